// The embedding API with every strategy kaa ships. Compiled into kaa_strategies (see the install
// block of CMakeLists.txt): it needs register_all, and the framework must not depend on strategies.
#include "framework/api.hpp"
#include "strategies/register_all.hpp"

namespace kaa {

const Registry& default_registry() {
  static const Registry registry = [] {
    Registry r;
    register_all(r);
    return r;
  }();
  return registry;
}

Result fit(const nlohmann::json& config, const MatrixRef& X, const FitControl& control) {
  return fit(config, X, default_registry(), control);
}

Result fit(const nlohmann::json& config, const FitControl& control) {
  return fit(config, default_registry(), control);
}

}  // namespace kaa
