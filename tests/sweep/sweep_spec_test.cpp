// Sweep files: expansion (grid, zip, random), run ids, paths, and every bad input that must stop a
// sweep before any run starts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/sweep/axes.hpp"
#include "framework/sweep/run_id.hpp"
#include "framework/sweep/sweep_spec.hpp"
#include "strategies/register_all.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class SweepSpec : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kaa_sweep_spec_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "experiments");
    kaa::register_all(registry_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  kaa::sweep::Sweep load(json spec, const std::map<std::string, std::string>& data = {},
                         const std::map<std::string, std::string>& labels = {}) {
    if (!spec.contains("configs"))
      spec["configs"] = {std::string(KAA_SOURCE_DIR) + "/configs/base.json"};
    const fs::path file = dir_ / "experiments" / "sweep.json";
    std::ofstream(file) << spec.dump(2);
    return kaa::sweep::load_sweep(file, data, labels, registry_);
  }

  std::string error_of(const json& spec, const std::map<std::string, std::string>& data = {},
                       const std::map<std::string, std::string>& labels = {}) {
    try {
      load(spec, data, labels);
    } catch (const kaa::ConfigError& e) {
      return e.what();
    }
    return "no error";
  }

  /// Checks that loading fails with a message containing every one of `parts`.
  void expect_error(const json& spec, const std::vector<std::string>& parts,
                    const std::map<std::string, std::string>& data = {}) {
    const std::string e = error_of(spec, data);
    for (const auto& part : parts) EXPECT_NE(e.find(part), std::string::npos) << e;
  }

  fs::path dir_;
  kaa::Registry registry_;
};

TEST(SweepAxes, ExpansionIsTheProductFirstAxisSlowest) {
  const std::vector<kaa::sweep::Axis> axes{
      {{{"/a", 1}}, {{"/a", 2}}},
      {{{"/b", "x"}, {"/c", true}}, {{"/b", "y"}, {"/c", false}}, {{"/b", "z"}, {"/c", true}}}};
  const auto points = kaa::sweep::expand(axes);
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(points[0], json::parse(R"({"/a": 1, "/b": "x", "/c": true})"));
  EXPECT_EQ(points[1], json::parse(R"({"/a": 1, "/b": "y", "/c": false})"));
  EXPECT_EQ(points[5], json::parse(R"({"/a": 2, "/b": "z", "/c": true})"));
  EXPECT_EQ(kaa::sweep::expand({}).size(), 1u) << "no axes: one run per config and seed";
}

TEST_F(SweepSpec, GridTimesZipTimesSeeds) {
  const auto s =
      load({{"seeds", {1, 2}},
            {"axes",
             {{{"grid", {{"/optimizer/learning_rate", {0.001, 0.01, 0.1}}}}},
              {{"zip", {{"/model/n_archetypes", {3, 4}}, {"/loss/1/weight", {-0.01, 0.0}}}}}}}});
  ASSERT_EQ(s.runs.size(), 3u * 2u * 2u);
  std::set<std::string> ids, groups;
  std::set<std::pair<double, int>> grid_points;
  for (const auto& r : s.runs) {
    ids.insert(r.id);
    groups.insert(r.group);
    const int k = r.resolved["model"]["n_archetypes"];
    const double w = r.resolved["loss"][1]["weight"];
    EXPECT_EQ(k == 3, w == -0.01) << "zipped values must stay paired";
    EXPECT_EQ(r.resolved["model"]["seed"].get<std::uint64_t>(), r.seed);
    EXPECT_EQ(r.axis_values.size(), 3u);
    grid_points.insert({r.resolved["optimizer"]["learning_rate"].get<double>(), k});
  }
  EXPECT_EQ(ids.size(), 12u);
  EXPECT_EQ(groups.size(), 6u) << "the seeds of a point share its group";
  EXPECT_EQ(grid_points.size(), 6u) << "every learning rate with every zip point";
}

TEST_F(SweepSpec, GridWithTwoPointersIsTheirProduct) {
  const auto s = load(
      {{"axes",
        {{{"grid",
           {{"/optimizer/learning_rate", {0.01, 0.1}}, {"/model/n_archetypes", {2, 3, 4}}}}}}}});
  EXPECT_EQ(s.runs.size(), 6u);
}

TEST_F(SweepSpec, RandomAxisIsReproducibleFromItsSeedAndInItsRanges) {
  const json spec = {
      {"axes",
       {{{"random",
          {{"/optimizer/learning_rate", {{"low", 1e-4}, {"high", 1e-1}, {"log", true}}},
           {"/model/n_archetypes", {{"low", 2}, {"high", 4}, {"integer", true}}}}},
         {"count", 200},
         {"seed", 3}}}}};
  const auto a = load(spec), b = load(spec);
  ASSERT_EQ(a.runs.size(), b.runs.size());
  ASSERT_GT(a.runs.size(), 150u) << "only equal points collapse";
  std::set<int> ks;
  int below_geometric_mean = 0;
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    EXPECT_EQ(a.runs[i].id, b.runs[i].id);
    const double lr = a.runs[i].resolved["optimizer"]["learning_rate"];
    const int k = a.runs[i].resolved["model"]["n_archetypes"];
    EXPECT_GE(lr, 1e-4);
    EXPECT_LT(lr, 1e-1);
    ks.insert(k);
    below_geometric_mean += lr < std::sqrt(1e-4 * 1e-1);
  }
  EXPECT_EQ(ks, (std::set<int>{2, 3, 4})) << "integer ranges include both ends";
  // Log-uniform: half the draws below the geometric mean (binomial sd ~ 7 of 200).
  EXPECT_NEAR(below_geometric_mean, a.runs.size() / 2.0, 35.0);
  json other = spec;
  other["axes"][0]["seed"] = 4;
  const auto c = load(other);
  EXPECT_NE(c.runs[0].resolved["optimizer"]["learning_rate"],
            a.runs[0].resolved["optimizer"]["learning_rate"])
      << "another seed, other values";
}

TEST(RunId, StableUnderKeyOrderAndNamesTheDataSet) {
  const json a = json::parse(R"({"model": {"seed": 1, "n_archetypes": 3}, "name": "x"})");
  const json b = json::parse(R"({"name": "x", "model": {"n_archetypes": 3, "seed": 1}})");
  EXPECT_EQ(kaa::sweep::run_id(a), kaa::sweep::run_id(b));
  EXPECT_EQ(kaa::sweep::run_id(a).size(), 16u);
  EXPECT_EQ(kaa::sweep::run_id(a).find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(kaa::sweep::run_id(a, "one"), kaa::sweep::run_id(a, "two"));
  EXPECT_NE(kaa::sweep::run_id(a, "one"), kaa::sweep::run_id(a));
}

/// Every leaf of the resolved base config, changed one at a time, gives a new id.
TEST(RunId, AnyChangeOfAResolvedValueChangesIt) {
  kaa::Registry registry;
  kaa::register_all(registry);
  const json resolved = kaa::resolve_config(
      kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json"), registry, "base.json");
  std::set<std::string> ids{kaa::sweep::run_id(resolved)};
  const json flat = resolved.flatten();
  std::size_t changed = 0;
  for (const auto& [ptr, value] : flat.items()) {
    json copy = resolved;
    json& leaf = copy[json::json_pointer(ptr)];
    if (value.is_boolean())
      leaf = !value.get<bool>();
    else if (value.is_number_integer())
      leaf = value.get<long long>() + 1;
    else if (value.is_number())
      leaf = value.get<double>() * (1 + 1e-12) + 1e-300;
    else if (value.is_string())
      leaf = value.get<std::string>() + "x";
    else
      continue;
    ids.insert(kaa::sweep::run_id(copy));
    ++changed;
  }
  EXPECT_GT(changed, 20u);
  EXPECT_EQ(ids.size(), changed + 1) << "two different configs share an id";
}

TEST_F(SweepSpec, SameRunsGetTheSameIdsWhateverTheKeyOrderOfTheFiles) {
  // The base config rewritten with its keys in reverse order: same resolved runs, same ids.
  const json base = kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json");
  std::string reversed = "{";
  std::vector<std::string> keys;
  for (const auto& [k, v] : base.items()) keys.push_back(k);
  for (std::size_t i = keys.size(); i-- > 0;)
    reversed += json(keys[i]).dump() + ":" + base[keys[i]].dump() + (i ? "," : "}");
  fs::create_directories(dir_ / "configs");
  std::ofstream(dir_ / "configs" / "base.json") << reversed;
  const json axes = {{{"grid", {{"/optimizer/learning_rate", {0.01, 0.1}}}}}};
  const auto a = load({{"seeds", {0, 1}}, {"axes", axes}});
  const auto b = load({{"seeds", {0, 1}}, {"axes", axes}, {"configs", {"configs/base.json"}}});
  ASSERT_EQ(a.runs.size(), 4u);
  ASSERT_EQ(b.runs.size(), 4u);
  for (std::size_t i = 0; i < a.runs.size(); ++i) EXPECT_EQ(a.runs[i].id, b.runs[i].id);
}

TEST_F(SweepSpec, RelativePathsStartAtTheFolderAboveTheSweepFile) {
  fs::create_directories(dir_ / "configs");
  json base = kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json");
  base.erase("name");
  std::ofstream(dir_ / "configs" / "a.json") << base.dump();
  std::ofstream(dir_ / "configs" / "b.json") << base.dump();
  std::ofstream(dir_ / "configs" / "notes.txt") << "not a config";
  fs::create_directories(dir_ / "data");
  std::ofstream(dir_ / "data" / "x.csv") << "0,0\n1,0\n0,1\n1,1\n0.5,0.5\n0.2,0.1\n";
  const auto s = load({{"configs", {"configs/*.json"}},
                       {"datasets", {{"x", {{"type", "file"}, {"path", "data/x.csv"}}}}},
                       {"set", {{"/model/n_archetypes", 3}}}});
  ASSERT_EQ(s.runs.size(), 2u);
  EXPECT_EQ(s.runs[0].config_name, "a") << "a config without a name is named by its file";
  EXPECT_EQ(s.runs[1].config_name, "b");
  EXPECT_EQ(fs::path(s.runs[0].resolved["data"]["path"].get<std::string>()),
            (dir_ / "data" / "x.csv").lexically_normal());
}

TEST_F(SweepSpec, DataFromTheCommandLineAndLabels) {
  std::ofstream(dir_ / "x.csv") << "0,0\n1,0\n0,1\n1,1\n0.5,0.5\n0.2,0.1\n";
  std::ofstream(dir_ / "y.csv") << "0\n1\n0\n1\n0\n1\n";
  const auto s = load({{"datasets", {{"mine", {{"type", "file"}}}, {"syn", "synthetic"}}},
                       {"set", {{"/model/n_archetypes", 3}}}},
                      {{"mine", (dir_ / "x.csv").string()}}, {{"mine", (dir_ / "y.csv").string()}});
  ASSERT_EQ(s.runs.size(), 2u);
  EXPECT_EQ(s.runs[0].dataset, "mine");
  EXPECT_EQ(s.runs[0].group, "base@mine");
  EXPECT_EQ(s.runs[1].resolved["data"]["type"], "synthetic");
  EXPECT_EQ(s.labels.at("mine"), (dir_ / "y.csv").string());
}

TEST_F(SweepSpec, AxisPointerThatDoesNotExist) {
  expect_error({{"axes", {{{"grid", {{"/optimizer/learnig_rate", {0.1}}}}}}}},
               {"sweep.json: /axes/0/grid/~1optimizer~1learnig_rate: /optimizer/learnig_rate: no "
                "such key in the resolved config",
                "did you mean /optimizer/learning_rate?", "base.json"});
  expect_error({{"set", {{"/model/n_archetype", 3}}}},
               {"/set/~1model~1n_archetype: /model/n_archetype: no such key",
                "did you mean /model/n_archetypes?"});
  expect_error({{"axes", {{{"grid", {{"/loss/7/weight", {0.1}}}}}}}},
               {"/loss/7/weight: no such key"});
}

TEST_F(SweepSpec, AxisValueOfTheWrongType) {
  expect_error({{"axes", {{{"grid", {{"/optimizer/learning_rate", {0.1, "fast"}}}}}}}},
               {"with /optimizer/learning_rate=\"fast\"", "/optimizer/learning_rate: expected",
                "got \"fast\""});
  expect_error({{"axes", {{{"zip", {{"/model/n_archetypes", {3, -1}}, {"/model/seed", {1, 2}}}}}}}},
               {"/model/n_archetypes: ", "got -1"});
}

TEST_F(SweepSpec, EmptyAxis) {
  expect_error({{"axes", {{{"grid", {{"/optimizer/learning_rate", json::array()}}}}}}},
               {"/axes/0/grid/~1optimizer~1learning_rate: empty axis"});
  expect_error({{"axes", {{{"zip", {{"/model/seed", json::array()}}}}}}}, {"empty axis"});
  expect_error({{"axes", {{{"grid", json::object()}}}}}, {"/axes/0/grid: expected an object"});
}

TEST_F(SweepSpec, DuplicateAxis) {
  expect_error(
      {{"axes",
        {{{"grid", {{"/optimizer/learning_rate", {0.1}}}}},
         {{"grid", {{"/optimizer/learning_rate", {0.2}}}}}}}},
      {"/axes/1/grid/~1optimizer~1learning_rate: duplicate axis /optimizer/learning_rate"});
  expect_error({{"set", {{"/optimizer/learning_rate", 0.1}}},
                {"axes", {{{"grid", {{"/optimizer/learning_rate", {0.2}}}}}}}},
               {"duplicate axis", "also set by /set/~1optimizer~1learning_rate"});
  expect_error({{"seeds", {1, 2}}, {"axes", {{{"grid", {{"/model/seed", {3}}}}}}}},
               {"also set by /seeds"});
  expect_error({{"axes",
                 {{{"grid", {{"/optimizer", {"adam"}}}}},
                  {{"grid", {{"/optimizer/learning_rate", {0.2}}}}}}}},
               {"overlapping axes /optimizer and /optimizer/learning_rate"});
}

TEST_F(SweepSpec, MissingDataFileForOneDataSet) {
  std::ofstream(dir_ / "ok.csv") << "0,0\n1,0\n0,1\n1,1\n0.5,0.5\n0.2,0.1\n";
  const json spec = {{"datasets",
                      {{"good", {{"type", "file"}, {"path", (dir_ / "ok.csv").string()}}},
                       {"bad", {{"type", "file"}}}}},
                     {"set", {{"/model/n_archetypes", 3}}}};
  expect_error(spec, {"/datasets/bad: no data file given; pass --data bad=PATH"});
  expect_error(spec, {"/datasets/bad: data file", "missing.csv does not exist"},
               {{"bad", (dir_ / "missing.csv").string()}});
  expect_error(spec, {"--data bda=", "no data set \"bda\" (did you mean \"bad\"?)"},
               {{"bda", (dir_ / "ok.csv").string()}});
  std::ofstream(dir_ / "ok2.csv") << "0,0\n2,0\n0,2\n2,2\n1,1\n0.4,0.2\n";
  EXPECT_EQ(load(spec, {{"bad", (dir_ / "ok2.csv").string()}}).runs.size(), 2u);
}

TEST_F(SweepSpec, MalformedSweepFilesNameTheKey) {
  expect_error({{"sedes", {1}}}, {"/sedes: unknown key (did you mean \"seeds\"?)"});
  expect_error({{"configs", {"nothing/*.json"}}}, {"/configs/0: no file matches"});
  expect_error({{"configs", json::array()}}, {"/configs: expected a non-empty list"});
  expect_error({{"seeds", {1, -2}}}, {"/seeds/1: expected an integer >= 0, got -2"});
  expect_error({{"seeds", {1, 1}}}, {"/seeds/1: duplicate seed 1"});
  expect_error({{"name", 5}}, {"/name: expected a non-empty string"});
  expect_error({{"runs", 0}}, {"/runs: expected an integer >= 1"});
  expect_error({{"axes", {{{"grid", {{"optimizer", {1}}}}}}}}, {"is not a JSON pointer"});
  expect_error({{"axes", {{{"grid", {{"/a", {1}}}}, {"zip", {{"/b", {1}}}}}}}},
               {"/axes/0: an axis has exactly one of"});
  expect_error(
      {{"axes", {{{"zip", {{"/model/seed", {1, 2}}, {"/model/n_archetypes", {3}}}}}}}},
      {"/axes/0/zip/~1model~1seed: 2 values, but /model/n_archetypes in the same zip has 1"});
  expect_error({{"axes",
                 {{{"random", {{"/optimizer/learning_rate", {{"low", 0.1}, {"high", 0.01}}}}},
                   {"count", 3}}}}},
               {"empty range"});
  expect_error(
      {{"axes",
        {{{"random", {{"/optimizer/learning_rate", {{"low", 0.0}, {"high", 1}, {"log", true}}}}},
          {"count", 3}}}}},
      {"a log-scale range needs low > 0"});
  expect_error(
      {{"axes",
        {{{"random", {{"/optimizer/learning_rate", {{"low", 0.1}, {"hihg", 1}}}}}, {"count", 3}}}}},
      {"unknown key (did you mean \"high\"?)"});
  expect_error(
      {{"axes", {{{"random", {{"/optimizer/learning_rate", {{"low", 0.1}, {"high", 1}}}}}}}}},
      {"/axes/0/count: a random axis needs \"count\""});
  expect_error({{"labels", {{"nope", "x.csv"}}}}, {"/labels/nope: no data set \"nope\""});
}

TEST_F(SweepSpec, EveryProblemIsReportedAtOnce) {
  const std::string e = error_of(
      {{"seeds", {1, 1}}, {"axes", {{{"grid", {{"/optimizer/learning_rate", json::array()}}}}}}});
  EXPECT_NE(e.find("2 config errors"), std::string::npos) << e;
  // A missing pointer does not hide a wrong value on another axis of the same point.
  const std::string both = error_of({{"axes",
                                      {{{"grid", {{"/optimizer/learning_rate", {"fast"}}}}},
                                       {{"grid", {{"/optimizer/learnig_rate", {1}}}}}}}});
  EXPECT_NE(both.find("2 config errors"), std::string::npos) << both;
  EXPECT_NE(both.find("got \"fast\""), std::string::npos) << both;
}

}  // namespace
