// `kaa report` on a sweep folder written by hand, so every number is known: summary.csv against
// hand-computed means and sample standard deviations, failed and foreign rows, seed stability,
// information gain with its elbow, and the figures (real PNGs: valid chunks, many colours).
#include <unistd.h>

#include <cmath>
#include <map>

#include <boost/iostreams/filter/gzip.hpp>

#include "framework/host_matrix.hpp"
#include "framework/io/matrix_io.hpp"
#include "tests/cli/cli_fixture.hpp"
#include "tests/support/gzip.hpp"
#include "tests/sweep/png_probe.hpp"

namespace {

using kaa_test::gzip;

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;
using json = nlohmann::json;

/// Columns of a CSV line without quoted commas.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  for (std::string c; std::getline(s, c, ',');) out.push_back(c);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

/// An IDX header of unsigned bytes with the given dimensions.
std::string idx_header(int dims, const std::vector<std::uint32_t>& extents) {
  std::string h{'\0', '\0', '\x08', static_cast<char>(dims)};
  for (std::uint32_t e : extents)
    for (int s = 24; s >= 0; s -= 8) h.push_back(static_cast<char>((e >> s) & 0xff));
  return h;
}

class Report : public Cli {
 protected:
  void SetUp() override {
    // One folder per test and process: test runs of other checkouts may run at the same time.
    dir_ = fs::temp_directory_path() /
           ("kaa_report_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  static constexpr int kN = 30, kD = 64;  // 30 "images" of 8 x 8 pixels

  /// Archetypes of one run: row j is a blob at pixel 9 j; seed 1 is seed 0 in reverse order,
  /// shifted by 0.5 in pixel 0, so the matched distance of the two is 0.5 for every k.
  static kaa::HostMatrix archetypes(int k, int seed) {
    kaa::HostMatrix Z(k, kD);
    for (int j = 0; j < k; ++j) {
      const int row = seed == 0 ? j : k - 1 - j;
      Z(row, (9 * j) % kD) = 16;
      Z(row, (9 * j + 1) % kD) = 8;
      Z(row, 0) += seed == 0 ? 0.0 : 0.5;
    }
    return Z;
  }

  /// A sweep over k = 2, 3, 4 with two seeds; rss per run chosen so the means are 100, 60, 30.
  fs::path make_folder() {
    const fs::path f = dir_ / "fab";
    fs::create_directories(f / "runs");
    // The data and labels as gzipped IDX files, as Fashion-MNIST ships them: the figures read
    // them like kaa does.
    std::string images = idx_header(3, {kN, 8, 8}), labels = idx_header(1, {kN});
    for (int i = 0; i < kN; ++i) {
      for (int p = 0; p < kD; ++p) images.push_back(static_cast<char>((i * 7 + p * 3) % 17));
      labels.push_back(static_cast<char>(i % 3));
    }
    std::ofstream(f / "x-images-idx3-ubyte.gz", std::ios::binary) << gzip(images);
    std::ofstream(f / "x-labels-idx1-ubyte.gz", std::ios::binary) << gzip(labels);
    const json data = {
        {"type", "file"}, {"path", (f / "x-images-idx3-ubyte.gz").string()}, {"format", "auto"}};
    json plan = {{"name", "fab"},
                 {"axes", {"/model/n_archetypes"}},
                 {"labels", {{"img", (f / "x-labels-idx1-ubyte.gz").string()}}},
                 {"runs", json::array()}};
    const std::map<int, std::pair<double, double>> rss{
        {2, {90, 110}}, {3, {55, 65}}, {4, {29, 31}}};
    std::string results;
    for (const auto& [k, values] : rss) {
      for (int seed = 0; seed < 2; ++seed) {
        const std::string id = "run" + std::to_string(k) + std::to_string(seed);
        const std::string group = "c@img /model/n_archetypes=" + std::to_string(k);
        json row = {{"id", id},
                    {"group", group},
                    {"config", "c"},
                    {"dataset", "img"},
                    {"seed", seed},
                    {"axes", {{"/model/n_archetypes", k}}},
                    {"run_dir", "runs/" + id}};
        json entry = row;
        entry["data"] = data;
        plan["runs"].push_back(entry);
        row["status"] = "ok";
        row["wall_seconds"] = 1.0 + seed;
        row["metrics"] = {{"rss", seed ? values.second : values.first},
                          {"explained_variance", 0.5 + 0.1 * seed},
                          {"recovery_error", {{"mean", 0.25 * (k + seed)}}},
                          {"iterations", 10},
                          {"seconds", 0.5},
                          {"n", kN},
                          {"d", kD},
                          {"seed", seed},
                          {"status", "ok"}};
        results += row.dump() + "\n";
        const fs::path run = f / "runs" / id;
        fs::create_directories(run);
        std::vector<std::string> header;
        for (int p = 0; p < kD; ++p) header.push_back("f" + std::to_string(p));
        kaa::write_csv(run / "archetypes.csv", archetypes(k, seed), header);
        kaa::HostMatrix W(kN, k);
        for (int i = 0; i < kN; ++i)
          for (int j = 0; j < k; ++j) W(i, j) = (i % k == j ? 0.6 : 0.4 / (k - 1));
        kaa::write_npy(run / "weights.npy", W, kaa::NpyType::float64);
        std::string loss = "update,loss\n";
        for (int t = 0; t < 10; ++t)
          loss += std::to_string(t) + "," + std::to_string(1.0 / (t + 1 + seed)) + "\n";
        std::ofstream(run / "loss_history.csv") << loss;
      }
    }
    // A failed run of k = 4 (seed 2), a row of a run no longer planned, a torn last row.
    plan["runs"].push_back({{"id", "run42"},
                            {"group", "c@img /model/n_archetypes=4"},
                            {"config", "c"},
                            {"dataset", "img"},
                            {"seed", 2},
                            {"axes", {{"/model/n_archetypes", 4}}},
                            {"run_dir", "runs/run42"},
                            {"data", data}});
    results += json{{"id", "run42"},
                    {"group", "c@img /model/n_archetypes=4"},
                    {"status", "failed"},
                    {"error", "boom"},
                    {"axes", {{"/model/n_archetypes", 4}}}}
                   .dump() +
               "\n";
    results += json{{"id", "old"},
                    {"group", "c@img /model/n_archetypes=4"},
                    {"status", "ok"},
                    {"metrics", {{"rss", 1e9}}}}
                   .dump() +
               "\n";
    results += "{\"id\": \"run43\", \"sta";
    std::ofstream(f / "results.jsonl") << results;
    std::ofstream(f / "sweep.json") << plan.dump(2);
    return f;
  }
};

TEST_F(Report, SummaryStabilityGainAndFiguresMatchTheHandComputation) {
  const fs::path f = make_folder();

  const Result r = run("report " + f.string() + " --plots");

  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::ifstream csv(f / "summary.csv");
  std::string line;
  std::getline(csv, line);
  const auto header = cells(line);
  auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name << " not in " << line;
    return static_cast<std::size_t>(it - header.begin());
  };
  std::map<std::string, std::vector<std::string>> by_k;
  while (std::getline(csv, line)) {
    const auto c = cells(line);
    by_k[c[column("/model/n_archetypes")]] = c;
  }
  ASSERT_EQ(by_k.size(), 3u);
  const auto& k3 = by_k.at("3");
  EXPECT_DOUBLE_EQ(std::stod(k3[column("rss_mean")]), 60.0);
  EXPECT_DOUBLE_EQ(std::stod(k3[column("rss_std")]), std::sqrt(50.0));         // ((-5)^2 + 5^2) / 1
  EXPECT_DOUBLE_EQ(std::stod(k3[column("recovery_error.mean_mean")]), 0.875);  // (0.75 + 1) / 2
  EXPECT_DOUBLE_EQ(std::stod(k3[column("wall_seconds_mean")]), 1.5);
  EXPECT_NEAR(std::stod(k3[column("stability_distance_mean")]), 0.5, 1e-12);
  EXPECT_EQ(k3[column("stability_distance_std")], "") << "one pair: no spread";
  EXPECT_EQ(k3[column("runs_ok")], "2");
  const auto& k4 = by_k.at("4");
  EXPECT_EQ(k4[column("runs_ok")], "2");
  EXPECT_EQ(k4[column("runs_failed")], "1");
  EXPECT_DOUBLE_EQ(std::stod(k4[column("rss_mean")]), 30.0) << "a foreign row was counted";
  EXPECT_EQ(header.end(), std::find(header.begin(), header.end(), "seed_mean"))
      << "metadata is not a metric";

  // Information gain: (100 - 60) / 100 = 0.4, (60 - 30) / 60 = 0.5; one difference, so the
  // elbow is k = 3 and archetypax's rule says 4.
  const json analysis = json::parse(slurp(f / "analysis.json"));
  ASSERT_EQ(analysis["information_gain"].size(), 1u);
  const json& ig = analysis["information_gain"][0];
  EXPECT_EQ(ig["k"], json({2, 3, 4}));
  EXPECT_TRUE(ig["gain"][0].is_null());
  EXPECT_DOUBLE_EQ(ig["gain"][1].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(ig["gain"][2].get<double>(), 0.5);
  EXPECT_EQ(ig["elbow_k"], 3);
  EXPECT_EQ(ig["elbow_k_archetypax"], 4);
  EXPECT_NE(r.out.find("elbow at k = 3 (archetypax's rule: 4)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 run(s) failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c@img /model/n_archetypes=4: boom"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("report: "), std::string::npos) << r.out;

  // The figures: every kind this sweep calls for, each a real picture listed in index.html.
  const std::string page = slurp(f / "index.html");
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(f / "figures")) {
    const std::string name = e.path().filename().string();
    names.insert(name.substr(0, name.find("_c_img")));
    EXPECT_NE(page.find("figures/" + name), std::string::npos) << name;
    try {
      const kaa_test::PngInfo png = kaa_test::probe_png(e.path());
      EXPECT_GE(png.width, 200u) << name;
      EXPECT_GE(png.height, 150u) << name;
      EXPECT_GT(png.colours, 8u) << name << " is nearly blank";
      EXPECT_GT(fs::file_size(e.path()), 5000u) << name;
    } catch (const std::exception& ex) {
      ADD_FAILURE() << name << ": not a valid PNG: " << ex.what();
    }
  }
  for (const char* expected : {"metrics_by_configuration.png", "loss_curves.png", "choose_k.png",
                               "scatter", "ternary", "images", "class_mass"})
    EXPECT_TRUE(names.count(expected)) << expected << " missing";
  EXPECT_NE(page.find("<td>60</td>"), std::string::npos) << "the summary table is on the page";
}

TEST_F(Report, NotASweepFolderIsAClearError) {
  const Result r = run("report " + dir_.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a sweep folder"), std::string::npos) << r.err;
}

}  // namespace
