#pragma once
#include "framework/registry/registry.hpp"

namespace kaa {

/// Adds every strategy kaa ships to `registry`. The one place a new strategy is listed.
void register_all(Registry& registry);

}  // namespace kaa
