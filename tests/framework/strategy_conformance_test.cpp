// What every registered strategy promises, checked for each one the registry holds (so a strategy
// added later is covered without editing this file), in both precisions: it builds from its
// schema's defaults, the config loader rejects an unknown key in its node naming the key's JSON
// pointer, its checkpoint state (optimizers, hooks) survives a save / load / save round trip and a
// resumed fit continues bit for bit, and `kaa list` prints it. The model is Ginkgo's typed config
// tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "framework/api.hpp"
#include "framework/config/config.hpp"
#include "framework/config/strategy_nodes.hpp"
#include "framework/host_transfer.hpp"
#include "framework/model.hpp"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

/// Strategies that cannot be built from their node alone, with the reason. A strategy outside
/// this list that fails to build fails the test, and so does a listed one that builds.
const std::map<std::pair<kaa::Kind, std::string>, std::string> kCannotBuildStandalone = {
    {{kaa::Kind::initializer, "from_file"},
     "its defaults name no file: it needs \"weights\", \"archetypes\" or both, an either-or "
     "that the schema cannot declare, so the constructor checks it"}};

/// A value a required parameter (one without a default) accepts, derived from its declaration.
json value_for(const kaa::ParamSpec& p) {
  switch (p.type) {
    case kaa::ParamType::boolean:
      return false;
    case kaa::ParamType::string:
      return "conformance";
    case kaa::ParamType::choice:
      return p.choices.at(0);
    case kaa::ParamType::integer:
    case kaa::ParamType::number: {
      double v = 1.0;
      if (p.min && p.max) {
        v = 0.5 * (*p.min + *p.max);
      } else if (p.min) {
        v = *p.min + (p.min_exclusive || p.type == kaa::ParamType::number ? 1.0 : 0.0);
      } else if (p.max) {
        v = *p.max - 1.0;
      }
      if (p.type == kaa::ParamType::integer) return static_cast<long long>(v);
      return v;
    }
  }
  return nullptr;
}

/// {"type": name} with a value for every required parameter.
json minimal_node(const kaa::StrategyInfo& info) {
  json node = {{"type", info.name}};
  for (const auto& p : info.schema.params())
    if (p.required) node[p.name] = value_for(p);
  return node;
}

std::string label(const kaa::StrategyInfo& info) {
  return std::string(kaa::to_string(info.kind)) + " \"" + info.name + "\"";
}

/// Builds the strategy of `info.kind` from a resolved node through the registry.
template <class S>
void build(const kaa::Registry& registry, kaa::Kind kind, const json& resolved) {
  switch (kind) {
    case kaa::Kind::dataset:
      registry.make<kaa::Dataset, S>(resolved);
      return;
    case kaa::Kind::initializer:
      registry.make<kaa::Initializer, S>(resolved);
      return;
    case kaa::Kind::loss:
      registry.make<kaa::LossTerm, S>(resolved);
      return;
    case kaa::Kind::optimizer:
      registry.make<kaa::Optimizer, S>(resolved);
      return;
    case kaa::Kind::projector:
      registry.make<kaa::Projector, S>(resolved);
      return;
    case kaa::Kind::hook:
      registry.make<kaa::Hook, S>(resolved);
      return;
    case kaa::Kind::stopping:
      registry.make<kaa::StoppingRule, S>(resolved);
      return;
    case kaa::Kind::metric:
      registry.make<kaa::Metric, S>(resolved);
      return;
    case kaa::Kind::transform:
      registry.make<kaa::Transformer, S>(resolved);
      return;
  }
  FAIL() << "no way to build kind " << static_cast<int>(kind);
}

template <class S>
void check_builds_from_defaults(const kaa::Registry& registry, const kaa::StrategyInfo& info) {
  SCOPED_TRACE(label(info) + (sizeof(S) == 4 ? " (float)" : " (double)"));
  std::vector<std::string> issues;
  const json resolved = info.schema.resolve(minimal_node(info), "/strategy", issues);
  ASSERT_TRUE(issues.empty()) << "its schema defaults do not resolve: " << issues.front();
  const bool excused = kCannotBuildStandalone.count({info.kind, info.name}) > 0;
  try {
    build<S>(registry, info.kind, resolved);
    EXPECT_FALSE(excused) << "builds standalone now: remove it from kCannotBuildStandalone";
  } catch (const std::exception& e) {
    EXPECT_TRUE(excused) << "does not build from defaults: " << e.what();
  }
}

TEST(StrategyConformance, EveryStrategyBuildsFromItsSchemaDefaultsInBothPrecisions) {
  const kaa::Registry& registry = kaa::default_registry();
  ASSERT_FALSE(registry.all().empty());
  for (const kaa::StrategyInfo* info : registry.all()) {
    check_builds_from_defaults<float>(registry, *info);
    check_builds_from_defaults<double>(registry, *info);
  }
}

json shipped_base_config() { return kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json"); }

/// Puts `node` where a config names a strategy of its kind and returns the node's JSON pointer.
/// A projector goes on the first block it applies to; when the base config lacks that block, a
/// loss or optimizer that uses it is added.
std::string place(json& raw, const kaa::StrategyInfo& info, const json& node,
                  const kaa::Registry& registry) {
  auto append = [&](const char* section) {
    raw[section].push_back(node);
    return std::string("/") + section + "/" + std::to_string(raw[section].size() - 1);
  };
  switch (info.kind) {
    case kaa::Kind::dataset:
      raw["data"] = node;
      return "/data";
    case kaa::Kind::initializer:
      return append("initializers");
    case kaa::Kind::loss:
      return append("loss");
    case kaa::Kind::optimizer:
      raw["optimizer"] = node;
      return "/optimizer";
    case kaa::Kind::hook:
      return append("hooks");
    case kaa::Kind::stopping:
      return append("stopping");
    case kaa::Kind::metric:
      return append("metrics");
    case kaa::Kind::transform:
      raw["transform"] = node;
      return "/transform";
    case kaa::Kind::projector: {
      const auto block = std::find_if(std::begin(kaa::kBlocks), std::end(kaa::kBlocks),
                                      [&](kaa::Block b) { return info.blocks & kaa::bit(b); });
      if (block == std::end(kaa::kBlocks)) return "(applies to no block)";
      if ((kaa::needed_blocks(kaa::resolve_config(raw, registry, "base"), registry) &
           kaa::bit(*block)) == 0) {
        for (const kaa::StrategyInfo* user : registry.all()) {
          if (user->kind != kaa::Kind::loss && user->kind != kaa::Kind::optimizer) continue;
          if ((user->blocks & kaa::bit(*block)) == 0) continue;
          if (user->kind == kaa::Kind::loss)
            raw["loss"].push_back(minimal_node(*user));
          else
            raw["optimizer"] = minimal_node(*user);
          break;
        }
      }
      const std::string key = kaa::to_string(*block);
      raw["projectors"][key] = node;
      return "/projectors/" + key;
    }
  }
  return "(unknown kind)";
}

TEST(StrategyConformance, AnUnknownKeyIsRejectedWithItsPointer) {
  const kaa::Registry& registry = kaa::default_registry();
  for (const kaa::StrategyInfo* info : registry.all()) {
    SCOPED_TRACE(label(*info));
    json raw = shipped_base_config();
    json node = minimal_node(*info);
    node["conformance_unknown_key"] = 1;
    const std::string pointer = place(raw, *info, node, registry);
    const std::string expected = pointer + "/conformance_unknown_key: unknown key";
    try {
      kaa::resolve_config(raw, registry, "conformance");
      ADD_FAILURE() << "accepted an unknown key at " << pointer;
    } catch (const kaa::ConfigError& e) {
      const auto& issues = e.issues();
      const bool named = std::any_of(issues.begin(), issues.end(), [&](const std::string& issue) {
        return issue.find("conformance: " + expected) == 0;
      });
      EXPECT_TRUE(named) << "no issue starts with \"conformance: " << expected
                         << "\"; got: " << e.what();
    }
  }
}

// -------------------------------------------------------------------------------------------
// Checkpoint state

/// Every shipped config, in a stable order (configs/ and its subfolders).
std::vector<fs::path> shipped_configs() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(KAA_SOURCE_DIR "/configs"))
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// A raw config on a tiny synthetic set, `max_iter` updates, in precision S.
template <class S>
json tiny_version(json raw, long long max_iter) {
  // json::object(...) rather than a braced list: clang 14 under ASan leaked the replaced "data"
  // subtree with the braced form here (gcc does not; reproduced outside kaa with nlohmann 3.11.2).
  raw["data"] = json::object({{"type", "synthetic"},
                              {"n", 40},
                              {"d", 4},
                              {"n_archetypes", 3},
                              {"noise", 0.05},
                              {"seed", 2}});
  raw["model"]["n_archetypes"] = 3;
  raw["model"]["precision"] = sizeof(S) == 4 ? "float32" : "float64";
  raw["stopping"] = json::array({{{"type", "max_iter"}, {"value", max_iter}}});
  raw.erase("checkpoint");
  return raw;
}

/// Where a resolved config names strategy `info`: the checkpoint prefix the model gives it
/// ("optimizer", "hook<i>"), or "" when it does not.
std::string state_prefix(const json& resolved, const kaa::StrategyInfo& info) {
  if (info.kind == kaa::Kind::optimizer)
    return resolved["optimizer"]["type"] == info.name ? "optimizer" : "";
  for (std::size_t h = 0; h < resolved["hooks"].size(); ++h)
    if (resolved["hooks"][h]["type"] == info.name) return "hook" + std::to_string(h);
  return "";
}

/// The first config that names the strategy and resolves: a shipped one, else base.json with the
/// strategy put in. Null when there is none.
template <class S>
json config_using(const kaa::StrategyInfo& info, const kaa::Registry& registry,
                  long long max_iter) {
  std::vector<json> candidates;
  for (const auto& path : shipped_configs()) candidates.push_back(kaa::read_json_file(path));
  json substituted = shipped_base_config();
  place(substituted, info, minimal_node(info), registry);
  candidates.push_back(substituted);
  for (const json& raw : candidates) {
    try {
      const json resolved =
          kaa::resolve_config(tiny_version<S>(raw, max_iter), registry, "conformance");
      if (!state_prefix(resolved, info).empty()) return resolved;
    } catch (const kaa::ConfigError&) {
    }
  }
  return nullptr;
}

bool owned_by(const std::string& key, const std::string& prefix) {
  return key == prefix || key.rfind(prefix + ".", 0) == 0;
}

/// The entries of `state` under `prefix`, or (prefix empty) all but the wall-clock time.
kaa::SavedState part_of(const kaa::SavedState& state, const std::string& prefix) {
  kaa::SavedState out;
  for (const auto& [key, value] : state.scalars.items())
    if (prefix.empty() ? key != "seconds" : owned_by(key, prefix)) out.scalars[key] = value;
  for (const auto& [key, array] : state.arrays)
    if (prefix.empty() || owned_by(key, prefix)) out.arrays[key] = array;
  return out;
}

void expect_same_state(const kaa::SavedState& a, const kaa::SavedState& b,
                       const std::string& what) {
  EXPECT_EQ(a.scalars, b.scalars) << what;
  ASSERT_EQ(a.arrays.size(), b.arrays.size()) << what;
  for (const auto& [key, array] : a.arrays) {
    const auto other = b.arrays.find(key);
    ASSERT_NE(other, b.arrays.end()) << what << ": " << key << " missing";
    EXPECT_EQ(array.rows, other->second.rows) << what << ": " << key;
    EXPECT_EQ(array.cols, other->second.cols) << what << ": " << key;
    EXPECT_EQ(array.values, other->second.values) << what << ": " << key << " differs";
  }
}

/// Fits `resolved` for its max_iter updates saving after every update; returns the states.
template <class S>
std::vector<kaa::SavedState> fit_saving_each_update(const json& resolved,
                                                    const kaa::Registry& registry,
                                                    const kaa::Matrix<S>& X,
                                                    const kaa::SavedState* resume) {
  std::vector<kaa::SavedState> saved;
  kaa::CheckpointPolicy policy{1, 0.0, [&](const kaa::SavedState& s) { saved.push_back(s); }};
  kaa::Model<S> model(resolved, registry);
  auto params = model.allocate(X.extent(0), X.extent(1));
  if (resume == nullptr)
    model.initialize(X, params, resolved["model"]["seed"].get<std::uint64_t>());
  const kaa::FitTrace trace = model.iterate(X, params, {}, 0, &policy, resume);
  EXPECT_FALSE(trace.diverged) << trace.stop_reason;
  return saved;
}

/// A fresh instance of the strategy loads `state` and saves it again, unchanged.
template <class S>
void check_save_load_save(const json& resolved, const kaa::StrategyInfo& info,
                          const kaa::Registry& registry, const kaa::Matrix<S>& X,
                          const kaa::SavedState& state) {
  const std::string prefix = state_prefix(resolved, info);
  kaa::Model<S> shapes(resolved, registry);
  auto params = shapes.allocate(X.extent(0), X.extent(1));
  state.get_parameters("params", params);
  kaa::SavedState again;
  if (info.kind == kaa::Kind::optimizer) {
    auto fresh = registry.make<kaa::Optimizer, S>(resolved["optimizer"]);
    fresh->prepare(X, params);
    fresh->init(X, params);
    fresh->load_state(state, prefix);
    fresh->save_state(again, prefix);
  } else {
    auto fresh = registry.make<kaa::Hook, S>(resolved["hooks"][std::stoul(prefix.substr(4))]);
    fresh->prepare(X, params);
    fresh->load_state(state, prefix);
    fresh->save_state(again, prefix);
  }
  expect_same_state(part_of(state, prefix), again, "save, load into a fresh instance, save");
}

/// The JSON pointer of the strategy's node in a resolved config that names it.
std::string node_pointer(const json& resolved, const kaa::StrategyInfo& info) {
  const std::string prefix = state_prefix(resolved, info);
  return prefix == "optimizer" ? "/optimizer" : "/hooks/" + prefix.substr(4);
}

/// `resolved` and, for each choice and boolean parameter of the strategy, the configs with each
/// other value of it (state may exist only in some modes, e.g. keep_best's "after_update"); a
/// variant the config checks refuse is left out.
std::vector<std::pair<std::string, json>> mode_variants(const json& resolved,
                                                        const kaa::StrategyInfo& info,
                                                        const kaa::Registry& registry) {
  std::vector<std::pair<std::string, json>> out{{"as configured", resolved}};
  const json::json_pointer node(node_pointer(resolved, info));
  for (const auto& p : info.schema.params()) {
    std::vector<json> values;
    if (p.type == kaa::ParamType::choice)
      values.assign(p.choices.begin(), p.choices.end());
    else if (p.type == kaa::ParamType::boolean)
      values = {true, false};
    for (const json& value : values) {
      if (resolved[node][p.name] == value) continue;
      json variant = resolved;
      variant[node][p.name] = value;
      try {
        out.emplace_back(p.name + " = " + value.dump(),
                         kaa::resolve_config(variant, registry, "conformance"));
      } catch (const kaa::ConfigError&) {
      }
    }
  }
  return out;
}

/// Long enough for the scheduled hooks (archetypax's fire after updates 1, 16, 31, ...; restores
/// after 21) to act both before and after the state saved after update 17.
constexpr long long kUpdates = 34;

template <class S>
void check_state_round_trip(const json& resolved, const kaa::StrategyInfo& info,
                            const kaa::Registry& registry) {
  constexpr std::size_t kSavedAt = 17;  // the state saved after update 17 of kUpdates
  auto dataset = registry.make<kaa::Dataset, S>(resolved["data"]);
  const auto X = kaa::to_device<S>(dataset->load(0).X, "X");

  const auto straight = fit_saving_each_update<S>(resolved, registry, X, nullptr);
  ASSERT_GE(straight.size(), kSavedAt + 1) << "the fit stopped early";
  const kaa::SavedState& mid = straight[kSavedAt - 1];
  ASSERT_EQ(mid.scalars.at("updates").get<std::size_t>(), kSavedAt);

  check_save_load_save<S>(resolved, info, registry, X, mid);

  const auto resumed = fit_saving_each_update<S>(resolved, registry, X, &mid);
  ASSERT_EQ(resumed.size(), straight.size() - kSavedAt);
  for (std::size_t i = 0; i < resumed.size(); ++i)
    expect_same_state(part_of(straight[kSavedAt + i], ""), part_of(resumed[i], ""),
                      "resumed fit after update " + std::to_string(kSavedAt + i + 1));
}

template <class S>
void check_state_round_trips(const kaa::Registry& registry, const kaa::StrategyInfo& info) {
  SCOPED_TRACE(label(info) + (sizeof(S) == 4 ? " (float)" : " (double)"));
  const json resolved = config_using<S>(info, registry, kUpdates);
  ASSERT_FALSE(resolved.is_null())
      << "no shipped config names it and base.json with it does not resolve: add a config";
  for (const auto& [mode, config] : mode_variants(resolved, info, registry)) {
    SCOPED_TRACE(mode);
    check_state_round_trip<S>(config, info, registry);
  }
}

TEST(StrategyConformance, CheckpointStateRoundTripsAndAResumedFitContinuesExactly) {
  const kaa::Registry& registry = kaa::default_registry();
  std::size_t checked = 0;
  for (const kaa::StrategyInfo* info : registry.all()) {
    // The model checkpoints the optimizer's and the hooks' state; the other kinds keep none
    // (their interfaces have no save_state).
    if (info->kind != kaa::Kind::optimizer && info->kind != kaa::Kind::hook) continue;
    check_state_round_trips<float>(registry, *info);
    check_state_round_trips<double>(registry, *info);
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

// -------------------------------------------------------------------------------------------
// kaa list

TEST(StrategyConformance, KaaListPrintsEveryStrategy) {
  std::string out;
  {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(KAA_BINARY " list", "r"), ::pclose);
    ASSERT_NE(pipe, nullptr);
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe.get())) > 0;)
      out.append(buffer, n);
  }
  for (const kaa::StrategyInfo* info : kaa::default_registry().all()) {
    const std::string line = std::string(kaa::to_string(info->kind)) + " " + info->name +
                             (info->distributed ? " [distributed]" : "") + ": " + info->summary +
                             "\n";
    EXPECT_NE(out.find("\n" + line), std::string::npos)
        << "kaa list does not print " << label(*info) << "; expected the line: " << line;
  }
}

}  // namespace
