// A nested strategy field (Schema::strategy): the child node is validated against the registry,
// its defaults filled, its problems reported at its own JSON pointer, and the registry builds it.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "framework/config/config.hpp"
#include "framework/config/strategy_docs.hpp"
#include "tests/support/full_registry.hpp"

namespace {

using kaa_test::full_registry;
using nlohmann::json;

/// The hook node resolved at /hooks/0, with the issues it raised.
json resolve_hook(const json& node, std::vector<std::string>& issues) {
  const auto registry = full_registry();
  return kaa::resolve_strategy_node(node, kaa::Kind::hook, registry, "/hooks/0", issues);
}

/// The single issue a blended_projection hook with this projector raises.
std::string single_projector_issue(const json& projector) {
  std::vector<std::string> issues;
  resolve_hook({{"type", "blended_projection"}, {"projector", projector}}, issues);
  EXPECT_EQ(issues.size(), 1u);
  return issues.empty() ? "" : issues.front();
}

TEST(NestedStrategy, DefaultChildIsFilledWithItsOwnDefaults) {
  std::vector<std::string> issues;
  const json hook = resolve_hook({{"type", "blended_projection"}}, issues);
  ASSERT_TRUE(issues.empty()) << issues.front();
  // The child as the projector resolves on its own.
  const auto registry = full_registry();
  const json cbap =
      kaa::resolve_strategy_node("cbap", kaa::Kind::projector, registry, "/p", issues);
  EXPECT_EQ(hook["projector"], cbap);
  EXPECT_EQ(hook["projector"]["alpha"], 0.1);
  // Resolving the resolved node changes nothing.
  EXPECT_EQ(resolve_hook(hook, issues), hook);
  EXPECT_TRUE(issues.empty());
}

TEST(NestedStrategy, ChildGivenByNameOrObjectKeepsItsParameters) {
  std::vector<std::string> issues;
  const json by_name =
      resolve_hook({{"type", "blended_projection"}, {"projector", "knn_hull"}}, issues);
  const json by_object = resolve_hook(
      {{"type", "blended_projection"}, {"projector", {{"type", "knn_hull"}, {"k", 3}}}}, issues);
  ASSERT_TRUE(issues.empty()) << issues.front();
  EXPECT_EQ(by_name["projector"]["k"], 10);
  EXPECT_EQ(by_object["projector"]["k"], 3);
  EXPECT_EQ(by_object["projector"]["eps"], 1e-10);
}

TEST(NestedStrategy, EachChildMistakeIsReportedAtTheChildsPointer) {
  // The projector given, and the text its single issue must contain.
  const std::vector<std::pair<json, std::string>> cases = {
      {"cbp", "/hooks/0/projector/type: unknown projector \"cbp\" (did you mean \"cbap\"?)"},
      {{{"type", "knn_hull"}, {"kk", 3}},
       "/hooks/0/projector/kk: unknown key (did you mean \"k\"?)"},
      {{{"type", "knn_hull"}, {"k", 0}}, "/hooks/0/projector/k: expected an integer [1, "},
      {3, "/hooks/0/projector: expected a projector name or an object"},
      {"simplex_clamp",
       "/hooks/0/projector/type: projector \"simplex_clamp\" cannot be applied to archetypes"}};
  for (const auto& [projector, expected] : cases) {
    const std::string issue = single_projector_issue(projector);
    EXPECT_NE(issue.find(expected), std::string::npos) << issue;
  }
  EXPECT_NE(single_projector_issue({{"type", "knn_hull"}, {"k", 0}}).find("got 0"),
            std::string::npos);
}

TEST(NestedStrategy, ChildErrorInAConfigFileCarriesTheFileAndPointer) {
  const auto registry = full_registry();
  json raw = kaa::read_json_file(KAA_SOURCE_DIR "/configs/improved.json");
  ASSERT_EQ(raw["hooks"][1]["type"], "blended_projection");
  raw["hooks"][1]["projector"]["alpha"] = 2.0;
  try {
    kaa::resolve_config(raw, registry, "improved.json");
    ADD_FAILURE() << "config was accepted";
  } catch (const kaa::ConfigError& e) {
    ASSERT_EQ(e.issues().size(), 1u) << e.what();
    EXPECT_NE(e.issues().front().find("improved.json: /hooks/1/projector/alpha: expected a number "
                                      "[0, 1], got 2"),
              std::string::npos)
        << e.what();
  }
}

TEST(NestedStrategy, RegistryBuildsTheParentWithItsChildInBothPrecisions) {
  const auto registry = full_registry();
  std::vector<std::string> issues;
  for (const char* projector : {"cbap", "convex_hull", "knn_hull"}) {
    const json hook =
        resolve_hook({{"type", "blended_projection"}, {"projector", projector}}, issues);
    ASSERT_TRUE(issues.empty()) << issues.front();
    const auto single = registry.make<kaa::Hook, float>(hook);
    const auto dual = registry.make<kaa::Hook, double>(hook);
    EXPECT_NE(single, nullptr);
    EXPECT_NE(dual, nullptr);
  }
}

TEST(NestedStrategy, ListShowsTheKindAndDefault) {
  const auto registry = full_registry();
  const std::string text = kaa::strategy_reference(registry, false, kaa::Kind::hook);
  EXPECT_NE(text.find("projector (strategy (projector), default {\"type\":\"cbap\"}, applies to "
                      "archetypes)"),
            std::string::npos)
      << text;
}

}  // namespace
