// Sweep expansion (grid, zip, random), run-id stability and the bad inputs that must stop a sweep
// before any run starts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "framework/error.hpp"
#include "framework/sweep/sweep_spec.hpp"
#include "strategies/register_all.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class SweepSpec : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / "kaa_sweep_spec_test";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    kaa::register_all(registry_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  kaa::sweep::Sweep load(json spec, const std::map<std::string, std::string>& data = {}) {
    if (!spec.contains("configs"))
      spec["configs"] = {std::string(KAA_SOURCE_DIR) + "/configs/base.json"};
    const fs::path file = dir_ / "sweep.json";
    std::ofstream(file) << spec.dump(2);
    return kaa::sweep::load_sweep(file, data, {}, registry_);
  }

  std::string error_of(const json& spec, const std::map<std::string, std::string>& data = {}) {
    try {
      load(spec, data);
    } catch (const kaa::ConfigError& e) {
      return e.what();
    }
    return "no error";
  }

  fs::path dir_;
  kaa::Registry registry_;
};

TEST_F(SweepSpec, GridTimesZipTimesSeeds) {
  const auto s =
      load({{"seeds", {1, 2}},
            {"axes",
             {{{"grid", {{"/optimizer/learning_rate", {0.001, 0.01, 0.1}}}}},
              {{"zip", {{"/model/n_archetypes", {3, 4}}, {"/loss/1/weight", {-0.01, 0.0}}}}}}}});
  ASSERT_EQ(s.runs.size(), 3u * 2u * 2u);
  std::set<std::string> ids, groups;
  for (const auto& r : s.runs) {
    ids.insert(r.id);
    groups.insert(r.group);
    // zip pairs stay paired
    const int k = r.resolved["model"]["n_archetypes"];
    const double w = r.resolved["loss"][1]["weight"];
    EXPECT_EQ(k == 3, w == -0.01);
    EXPECT_EQ(r.resolved["model"]["seed"].get<std::uint64_t>(), r.seed);
  }
  EXPECT_EQ(ids.size(), 12u);
  EXPECT_EQ(groups.size(), 6u) << "seeds must share a group";
}

TEST_F(SweepSpec, RandomAxisIsReproducibleAndInRange) {
  const json spec = {
      {"axes",
       {{{"random",
          {{"/optimizer/learning_rate", {{"low", 1e-4}, {"high", 1e-1}, {"log", true}}},
           {"/model/n_archetypes", {{"low", 2}, {"high", 6}, {"integer", true}}}}},
         {"count", 20},
         {"seed", 3}}}}};
  const auto a = load(spec), b = load(spec);
  ASSERT_EQ(a.runs.size(), 20u);
  std::set<double> rates;
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    EXPECT_EQ(a.runs[i].id, b.runs[i].id);
    const double lr = a.runs[i].resolved["optimizer"]["learning_rate"];
    const int k = a.runs[i].resolved["model"]["n_archetypes"];
    EXPECT_GE(lr, 1e-4);
    EXPECT_LT(lr, 1e-1);
    EXPECT_GE(k, 2);
    EXPECT_LT(k, 6);
    rates.insert(lr);
  }
  EXPECT_GT(rates.size(), 15u) << "random values should differ";
  json other = spec;
  other["axes"][0]["seed"] = 4;
  EXPECT_NE(load(other).runs[0].id, a.runs[0].id) << "another seed, other values";
}

TEST(RunId, StableUnderKeyOrderAndChangedByAnyValue) {
  const json a = json::parse(R"({"model": {"seed": 1, "n_archetypes": 3}, "name": "x"})");
  const json b = json::parse(R"({"name": "x", "model": {"n_archetypes": 3, "seed": 1}})");
  const json c = json::parse(R"({"name": "x", "model": {"n_archetypes": 3, "seed": 2}})");
  EXPECT_EQ(kaa::sweep::run_id(a), kaa::sweep::run_id(b));
  EXPECT_NE(kaa::sweep::run_id(a), kaa::sweep::run_id(c));
  EXPECT_EQ(kaa::sweep::run_id(a).size(), 16u);
}

TEST_F(SweepSpec, AxisPointerThatDoesNotExist) {
  const auto e = error_of({{"axes", {{{"grid", {{"/optimizer/learnig_rate", {0.1}}}}}}}});
  EXPECT_NE(e.find("/optimizer/learnig_rate: no such key"), std::string::npos) << e;
}

TEST_F(SweepSpec, AxisValueOfTheWrongType) {
  const auto e = error_of({{"axes", {{{"grid", {{"/optimizer/learning_rate", {0.1, "fast"}}}}}}}});
  EXPECT_NE(e.find("/optimizer/learning_rate"), std::string::npos) << e;
  EXPECT_NE(e.find("\"fast\""), std::string::npos) << e;
}

TEST_F(SweepSpec, EmptyAxis) {
  const auto e = error_of({{"axes", {{{"grid", {{"/optimizer/learning_rate", json::array()}}}}}}});
  EXPECT_NE(e.find("empty axis"), std::string::npos) << e;
}

TEST_F(SweepSpec, DuplicateAxis) {
  const auto e = error_of({{"axes",
                            {{{"grid", {{"/optimizer/learning_rate", {0.1}}}}},
                             {{"grid", {{"/optimizer/learning_rate", {0.2}}}}}}}});
  EXPECT_NE(e.find("duplicate axis /optimizer/learning_rate"), std::string::npos) << e;
}

TEST_F(SweepSpec, MissingDataFileForOneDataSet) {
  std::ofstream(dir_ / "ok.csv") << "0,0\n1,0\n0,1\n1,1\n0.5,0.5\n0.2,0.1\n";
  const json spec = {{"datasets",
                      {{"good", {{"type", "file"}, {"path", (dir_ / "ok.csv").string()}}},
                       {"bad", {{"type", "file"}}}}}};
  const auto e = error_of(spec);
  EXPECT_NE(e.find("/datasets/bad: no data file given; pass --data bad=PATH"), std::string::npos)
      << e;
  const auto e2 = error_of(spec, {{"bad", (dir_ / "missing.csv").string()}});
  EXPECT_NE(e2.find("missing.csv does not exist"), std::string::npos) << e2;
  std::ofstream(dir_ / "ok2.csv") << "0,0\n2,0\n0,2\n2,2\n1,1\n0.4,0.2\n";
  EXPECT_EQ(load(spec, {{"bad", (dir_ / "ok2.csv").string()}}).runs.size(), 2u);
}

TEST_F(SweepSpec, UnknownSpecKeyAndUnmatchedConfigGlob) {
  EXPECT_NE(error_of({{"sedes", {1}}}).find("did you mean \"seeds\""), std::string::npos);
  EXPECT_NE(error_of({{"configs", {"nothing/*.json"}}}).find("no file matches"), std::string::npos);
}

}  // namespace
