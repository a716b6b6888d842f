// The registry holds every strategy written under strategies/, each documented. Building each in
// both precisions is strategy_conformance_test's job.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "framework/config/config.hpp"
#include "framework/config/strategy_docs.hpp"
#include "strategies/register_all.hpp"
#include "strategy_files.hpp"

#include <fstream>
#include <sstream>

namespace {

const std::map<std::string, kaa::Kind> kKindOfFolder = {
    {"datasets", kaa::Kind::dataset},     {"initializers", kaa::Kind::initializer},
    {"losses", kaa::Kind::loss},          {"optimizers", kaa::Kind::optimizer},
    {"projectors", kaa::Kind::projector}, {"hooks", kaa::Kind::hook},
    {"stopping", kaa::Kind::stopping},    {"metrics", kaa::Kind::metric},
    {"transforms", kaa::Kind::transform}};

TEST(Registry, EveryStrategyFileIsRegisteredUnderItsKind) {
  kaa::Registry registry;
  kaa::register_all(registry);
  std::size_t strategy_files = 0;

  for (const auto& [folder, stem] : kStrategyFiles) {
    const std::string path(folder);
    if (path.empty()) continue;  // register_all.hpp itself
    // strategies/<kind>/ or, for hooks, strategies/hooks/<sort>/; strategies/common/ holds the
    // pieces strategies share, none of them a strategy.
    const std::string kind_folder = path.substr(0, path.find('/'));
    if (kind_folder == "common") continue;
    const auto kind = kKindOfFolder.find(kind_folder);
    ASSERT_NE(kind, kKindOfFolder.end()) << "strategies/" << path << " is not a known kind";
    EXPECT_NE(registry.find(kind->second, stem), nullptr)
        << "strategies/" << folder << "/" << stem << ".hpp is not registered in register_all.cpp";
    ++strategy_files;
  }

  EXPECT_EQ(registry.all().size(), strategy_files) << "a registered name has no file of its own";
}

TEST(Registry, BaseModelStrategiesArePresent) {
  kaa::Registry registry;
  kaa::register_all(registry);
  const std::vector<std::pair<kaa::Kind, const char*>> expected = {
      {kaa::Kind::initializer, "uniform_weights"},
      {kaa::Kind::initializer, "kmeans_pp"},
      {kaa::Kind::initializer, "from_file"},
      {kaa::Kind::loss, "reconstruction"},
      {kaa::Kind::loss, "entropy"},
      {kaa::Kind::optimizer, "adam"},
      {kaa::Kind::projector, "simplex_clamp"},
      {kaa::Kind::projector, "knn_hull"},
      {kaa::Kind::projector, "simplex_euclidean"},
      {kaa::Kind::stopping, "loss_delta"},
      {kaa::Kind::stopping, "max_iter"},
      {kaa::Kind::stopping, "nan_guard"},
      {kaa::Kind::metric, "rss"},
      {kaa::Kind::metric, "explained_variance"},
      {kaa::Kind::dataset, "synthetic"},
      {kaa::Kind::dataset, "file"},
      {kaa::Kind::transform, "projected_gradient"},
      {kaa::Kind::transform, "archetypax_pgd"}};

  for (const auto& [kind, name] : expected) EXPECT_NE(registry.find(kind, name), nullptr) << name;
}

TEST(Registry, DuplicateNameIsAnError) {
  kaa::Registry registry;
  kaa::register_all(registry);

  EXPECT_THROW(kaa::register_all(registry), kaa::Error);
}

TEST(Registry, EveryParameterIsDocumented) {
  kaa::Registry registry;
  kaa::register_all(registry);

  for (const auto* info : registry.all()) {
    EXPECT_FALSE(info->summary.empty()) << info->name;
    for (const auto& p : info->schema.params())
      EXPECT_FALSE(p.doc.empty()) << info->name << "." << p.name;
  }
}

TEST(Registry, ConfigReferenceIsCurrent) {
  kaa::Registry registry;
  kaa::register_all(registry);
  std::ifstream in(KAA_SOURCE_DIR "/docs/CONFIG_REFERENCE.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string doc = buffer.str();
  const std::string begin = "<!-- BEGIN kaa list --markdown -->\n";
  const std::string end = "<!-- END kaa list --markdown -->";
  const auto b = doc.find(begin), e = doc.find(end);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);

  const std::string checked_in = doc.substr(b + begin.size(), e - b - begin.size());

  EXPECT_EQ(checked_in, kaa::strategy_reference(registry, true))
      << "docs/CONFIG_REFERENCE.md is stale: run scripts/update_config_reference.sh";
}

}  // namespace
