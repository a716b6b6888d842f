// Parameters declared once: BoundSchema ties each key to a member of a typed struct, and the
// strategies built from schema defaults get the defaults `kaa list` documents.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "framework/config/bound_schema.hpp"
#include "framework/config/config.hpp"
#include "strategies/datasets/file.hpp"
#include "strategies/hooks/best_parameters/restore_on_rise.hpp"
#include "strategies/losses/archetype_sparsity.hpp"
#include "strategies/losses/huber.hpp"
#include "strategies/optimizers/frank_wolfe.hpp"
#include "strategies/optimizers/optax_chain.hpp"
#include "strategies/stopping/relative_improvement.hpp"
#include "tests/support/full_registry.hpp"

namespace {

using nlohmann::json;

enum class Shape { round, square };

struct Example {
  double rate = 0.5;
  int count = 3;
  std::size_t size = 7;
  std::uint64_t seed = 11;
  long long offset = -2;
  bool on = true;
  std::string path = "a.csv";
  std::string mode = "fast";
  Shape shape = Shape::square;
};

kaa::BoundSchema<Example> example_schema() {
  kaa::BoundSchema<Example> s;
  s.number("rate", &Example::rate).positive().doc("a number");
  s.integer("count", &Example::count).min(1).doc("an int");
  s.integer("size", &Example::size).doc("a size");
  s.integer("seed", &Example::seed).non_negative().doc("a seed");
  s.integer("offset", &Example::offset).doc("a signed integer");
  s.boolean("on", &Example::on).doc("a flag");
  s.string("path", &Example::path).doc("a string");
  s.choice("mode", &Example::mode, {"slow", "fast"}).doc("a choice kept as a string");
  s.choice("shape", &Example::shape, {{"round", Shape::round}, {"square", Shape::square}})
      .doc("a choice mapped to an enum");
  return s;
}

json resolved(const kaa::Schema& schema, const json& raw) {
  std::vector<std::string> issues;
  json out = schema.resolve(raw, "/x", issues);
  EXPECT_TRUE(issues.empty()) << (issues.empty() ? "" : issues.front());
  return out;
}

TEST(BoundSchema, DeclaresEachParameterWithTheStructsDefault) {
  const auto s = example_schema();
  const json expected = {{"rate", 0.5},     {"count", 3},     {"size", 7},
                         {"seed", 11},      {"offset", -2},   {"on", true},
                         {"path", "a.csv"}, {"mode", "fast"}, {"shape", "square"}};
  ASSERT_EQ(s.params().size(), expected.size());
  for (const kaa::ParamSpec& p : s.params())
    EXPECT_EQ(p.default_value, expected.at(p.name)) << p.name;
  EXPECT_EQ(s.find("count")->type, kaa::ParamType::integer);
  EXPECT_EQ(s.find("shape")->type, kaa::ParamType::choice);
  EXPECT_EQ(s.find("shape")->choices, (std::vector<std::string>{"round", "square"}));
}

TEST(BoundSchema, BindsEveryType) {
  const auto s = example_schema();
  const json raw = {
      {"rate", 2},        {"count", 9},       {"size", 40},      {"seed", 123456789012ULL},
      {"offset", -7},     {"on", false},      {"path", "b.npy"}, {"mode", "slow"},
      {"shape", "round"}, {"type", "ignored"}};
  const Example e = s.bind(resolved(s, raw));
  EXPECT_EQ(e.rate, 2.0);
  EXPECT_EQ(e.count, 9);
  EXPECT_EQ(e.size, 40u);
  EXPECT_EQ(e.seed, 123456789012ULL);
  EXPECT_EQ(e.offset, -7);
  EXPECT_FALSE(e.on);
  EXPECT_EQ(e.path, "b.npy");
  EXPECT_EQ(e.mode, "slow");
  EXPECT_EQ(e.shape, Shape::round);
  json back = raw;
  back.erase("type");
  back["rate"] = 2.0;
  EXPECT_EQ(s.to_json(e), back);
}

TEST(BoundSchema, ResolvedDefaultsBindToTheStructsDefaults) {
  const auto s = example_schema();
  const Example e = s.bind(resolved(s, json::object()));
  const Example d{};
  EXPECT_EQ(e.rate, d.rate);
  EXPECT_EQ(e.count, d.count);
  EXPECT_EQ(e.size, d.size);
  EXPECT_EQ(e.seed, d.seed);
  EXPECT_EQ(e.offset, d.offset);
  EXPECT_EQ(e.on, d.on);
  EXPECT_EQ(e.path, d.path);
  EXPECT_EQ(e.mode, d.mode);
  EXPECT_EQ(e.shape, d.shape);
}

TEST(BoundSchema, AMissingRequiredKeyOrAnUndeclaredChoiceIsAConfigError) {
  kaa::BoundSchema<Example> s;
  s.string("path", &Example::path).required();
  s.choice("shape", &Example::shape, {{"round", Shape::round}, {"square", Shape::square}});
  EXPECT_THROW((void)s.bind(json::object()), kaa::ConfigError);
  EXPECT_THROW((void)s.bind({{"path", "p"}, {"shape", "oval"}}), kaa::ConfigError);
  EXPECT_EQ(s.bind({{"path", "p"}}).shape, Shape::square);
}

TEST(BoundSchema, AnEnumDefaultMissingFromItsChoicesIsRefused) {
  kaa::BoundSchema<Example> s;
  EXPECT_THROW(s.choice("shape", &Example::shape, {{"round", Shape::round}}), kaa::Error);
}

/// What `kaa list` documents for a strategy's parameters (required ones given `required`) equals
/// its Params' initial values, and is what the registry builds it with from an empty node.
template <class Strategy>
void expect_declared_defaults(const json& required = json::object()) {
  const auto schema = Strategy::schema();
  json documented = required;
  for (const kaa::ParamSpec& p : schema.params())
    if (!p.required) documented[p.name] = p.default_value;
  EXPECT_EQ(schema.to_json(typename Strategy::Params{}).size(), schema.params().size());
  json defaults = schema.to_json(typename Strategy::Params{});
  for (auto& [key, value] : required.items()) defaults[key] = value;
  EXPECT_EQ(defaults, documented) << Strategy::name;
  EXPECT_EQ(schema.to_json(schema.bind(resolved(schema, required))), documented) << Strategy::name;
}

TEST(BoundSchema, StrategiesBuiltFromSchemaDefaultsHaveTheDeclaredDefaults) {
  using namespace kaa::strategies;
  expect_declared_defaults<Huber<double>>();
  expect_declared_defaults<ArchetypeSparsity<float>>();
  expect_declared_defaults<FrankWolfe<double>>();
  expect_declared_defaults<OptaxChain<double>>();
  expect_declared_defaults<RelativeImprovement<double>>();
  expect_declared_defaults<RestoreOnRise<double>>();
  expect_declared_defaults<File<double>>({{"path", "x.csv"}});

  const Huber<double>::Params h =
      Huber<double>::schema().bind(resolved(Huber<double>::schema(), json::object()));
  EXPECT_EQ(h.delta, 1e-3);
  EXPECT_EQ(h.weight, 1.0);
  EXPECT_EQ(h.reduction, common::Reduction::mean);
  const RestoreOnRise<double>::Params r = RestoreOnRise<double>::schema().bind(
      resolved(RestoreOnRise<double>::schema(), {{"best", "after_update"}}));
  EXPECT_EQ(r.every, 20u);
  EXPECT_EQ(r.start, 21u);
  EXPECT_EQ(r.best, common::BestChoice::after_update);
}

TEST(ModelSettings, ReadOnceFromTheResolvedConfig) {
  const auto registry = kaa_test::full_registry();
  json raw = kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json");
  raw["model"] = {{"n_archetypes", 4}, {"precision", "float64"}, {"seed", 9}};
  const kaa::ModelSettings m = kaa::model_settings(kaa::resolve_config(raw, registry, "base.json"));
  EXPECT_EQ(m.n_archetypes, 4u);
  EXPECT_EQ(m.precision, kaa::Precision::float64);
  EXPECT_EQ(m.seed, 9u);
  EXPECT_EQ(m.n_column_archetypes, 0u);
  EXPECT_FALSE(m.normalize);
  EXPECT_STREQ(kaa::to_string(m.precision), "float64");
}

}  // namespace
