#pragma once
#include <vector>

namespace kaa {

/// The kinds of strategy the registry holds. Apart from registry.hpp so that a Schema can name the
/// kind of a nested strategy without depending on the Registry.
enum class Kind {
  dataset,
  initializer,
  loss,
  optimizer,
  projector,
  hook,
  stopping,
  metric,
  transform
};

const std::vector<Kind>& all_kinds();
const char* to_string(Kind kind);

}  // namespace kaa
