#pragma once
#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/config.hpp"
#include "tests/support/full_registry.hpp"

namespace kaa_test {

/// Builds strategy Impl<S> from raw parameters, with the schema's defaults filled; a parameter
/// the schema rejects fails the calling test. A strategy with nested strategies is resolved and
/// built through the full registry, as the config loader and the model do.
template <template <class> class Impl, class S>
Impl<S> make(const nlohmann::json& raw = nlohmann::json::object()) {
  std::vector<std::string> issues;
  if constexpr (kaa::BuiltWithRegistry<Impl<S>>) {
    const kaa::Registry registry = full_registry();
    nlohmann::json node = raw;
    node["type"] = Impl<S>::name;
    nlohmann::json resolved;
    for (kaa::Kind kind : kaa::all_kinds())
      if (registry.find(kind, Impl<S>::name) != nullptr)
        resolved = kaa::resolve_strategy_node(node, kind, registry, "/strategy", issues);
    EXPECT_TRUE(issues.empty()) << (issues.empty() ? "" : issues.front());
    return Impl<S>(Impl<S>::schema().bind(resolved), registry);
  } else {
    const nlohmann::json resolved = Impl<S>::schema().resolve(raw, "/strategy", issues);
    EXPECT_TRUE(issues.empty()) << (issues.empty() ? "" : issues.front());
    if constexpr (requires { typename Impl<S>::Params; })
      return Impl<S>(Impl<S>::schema().bind(resolved));
    else
      return Impl<S>();
  }
}

}  // namespace kaa_test
