#pragma once
#include "framework/registry/registry.hpp"
#include "strategies/register_all.hpp"

namespace kaa_test {

/// A registry holding every strategy kaa ships.
inline kaa::Registry full_registry() {
  kaa::Registry r;
  kaa::register_all(r);
  return r;
}

}  // namespace kaa_test
