#pragma once
#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

namespace kaa_test {

/// Builds strategy Impl<S> from raw parameters, with the schema's defaults filled; a parameter
/// the schema rejects fails the calling test.
template <template <class> class Impl, class S>
Impl<S> make(const nlohmann::json& raw = nlohmann::json::object()) {
  std::vector<std::string> issues;
  const nlohmann::json resolved = Impl<S>::schema().resolve(raw, "/strategy", issues);
  EXPECT_TRUE(issues.empty()) << (issues.empty() ? "" : issues.front());
  if constexpr (requires { typename Impl<S>::Params; })
    return Impl<S>(Impl<S>::schema().bind(resolved));
  else if constexpr (std::is_default_constructible_v<Impl<S>>)
    return Impl<S>();
  else  // still read from JSON (the nested strategies of issue 15 item 2)
    return Impl<S>(resolved);
}

}  // namespace kaa_test
