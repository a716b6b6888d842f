#pragma once
#include <string>
#include <utility>
#include <vector>

namespace kaa::strategies::common {

/// How a loss term combines its per-row values: their mean (archetypax) or their plain sum.
enum class Reduction { mean, sum };

inline std::vector<std::pair<std::string, Reduction>> reduction_choices() {
  return {{"mean", Reduction::mean}, {"sum", Reduction::sum}};
}

}  // namespace kaa::strategies::common
