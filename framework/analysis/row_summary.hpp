#pragma once
#include <cstddef>

#include <nlohmann/json.hpp>

#include "framework/types.hpp"

namespace kaa::analysis {

/// Mean, population standard deviation, min and max of the entries of v that are >= 0; negative
/// entries mark rows without a defined value and are left out. All zero when count == 0.
struct RowSummary {
  std::size_t count = 0;
  double mean = 0, std = 0, min = 0, max = 0;
};
RowSummary summarize_nonnegative(const Vector<double>& v);

/// Writes `prefix` (mean), prefix_std, prefix_min and prefix_max; null when no row counted.
void write_summary(const RowSummary& s, const std::string& prefix, nlohmann::json& out);

}  // namespace kaa::analysis
