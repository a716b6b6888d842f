// `kaa report` on a sweep folder written by hand, so every number is known: summary.csv against
// hand-computed means and sample standard deviations, failed and foreign rows, seed stability,
// information gain with its elbow, and the figures (real PNGs: valid chunks, many colours).
#include <unistd.h>

#include <cmath>
#include <map>
#include <set>

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
  for (const char* expected :
       {"metrics_by_configuration.png", "loss_curves.png", "choose_k.png", "scatter", "ternary",
        "simplex", "images", "class_mass", "metric_vs_model_n_archetypes.png"})
    EXPECT_TRUE(names.count(expected)) << expected << " missing";
  // The compact summary: mean ± std at 4 (std 2) significant digits, the lowest RSS (k = 4:
  // 30 ± sqrt(2)) marked best and ranked first; the k = 3 row is 60 ± sqrt(50).
  EXPECT_NE(page.find(">60 ± 7.1</td>"), std::string::npos) << "the summary table is on the page";
  EXPECT_NE(page.find("<td class=\"num best\" data-v=\"30.0\">30 ± 1.4</td>"), std::string::npos)
      << "the best RSS is not marked";
  EXPECT_NE(page.find("<td class=\"num\" data-v=\"1\">1</td><td class=\"name\">c@img "
                      "/model/n_archetypes=4</td>"),
            std::string::npos)
      << "k = 4 (lowest RSS) is not ranked first";
  for (const char* caption : {"Convergence: loss against updates", "regular 4-gon",
                              "Each archetype drawn as an image", "Reproduce it"})
    EXPECT_NE(page.find(caption), std::string::npos) << caption;
}

TEST_F(Report, ASingleRunFolderGetsItsSummaryProfilesAndPage) {
  // A run folder as kaa fit writes it, with 3 features named by the data's CSV header and
  // 4 archetypes; the data file is the one its config names.
  const fs::path run_dir = dir_ / "run";
  fs::create_directories(run_dir);
  constexpr int n = 40, d = 3, k = 4;
  kaa::HostMatrix X(n, d), W(n, k), Z(k, d);
  for (int i = 0; i < n; ++i)
    for (int f = 0; f < d; ++f) X(i, f) = std::sin(1.0 + i * (f + 1)) * (10.0 * f + 1);
  for (int j = 0; j < k; ++j)
    for (int f = 0; f < d; ++f) Z(j, f) = X(j * 7, f);
  for (int i = 0; i < n; ++i) W(i, i % k) = 1.0;
  kaa::write_csv(dir_ / "data.csv", X, {"alcohol", "ash", "hue"});
  kaa::write_csv(run_dir / "archetypes.csv", Z, {"f0", "f1", "f2"});
  kaa::write_npy(run_dir / "weights.npy", W, kaa::NpyType::float64);
  std::ofstream(run_dir / "loss_history.csv") << "update,loss\n0,3\n1,2\n2,1.5\n";
  std::ofstream(run_dir / "config.json") << json{
      {"data", {{"type", "file"}, {"path", (dir_ / "data.csv").string()}}},
      {"model", {{"n_archetypes", k}, {"normalize", true}}},
      {"loss", {{{"type", "reconstruction"}}}}}.dump();
  std::ofstream(run_dir / "metrics.json") << json{
      {"status", "ok"},
      {"stop_reason", "loss_delta"},
      {"rss", 12.5},
      {"rss_fitted", 0.75},
      {"explained_variance_fitted", 0.5},
      {"seconds", 0.25},
      {"n", n},
      {"d", d},
      {"n_archetypes", k},
      {"kaa_version", "9.9"},
      {"git_commit", "abc"}}.dump();

  const Result r = run("report " + run_dir.string() + " --plots");

  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("rss_fitted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0.75"), std::string::npos) << r.out;
  const std::string page = slurp(run_dir / "index.html");
  EXPECT_NE(page.find("RSS (fitted space)"), std::string::npos) << "fitted space leads";
  EXPECT_NE(page.find(">0.75</td>"), std::string::npos);
  EXPECT_NE(page.find("kaa 9.9 (commit abc)"), std::string::npos);
  std::set<std::string> kinds;
  for (const auto& e : fs::directory_iterator(run_dir / "figures")) {
    const std::string name = e.path().filename().string();
    kinds.insert(name.substr(0, name.find('_')));
    EXPECT_NE(page.find("figures/" + name), std::string::npos) << name;
    EXPECT_NO_THROW(kaa_test::probe_png(e.path())) << name;
  }
  for (const char* kind : {"profiles", "simplex", "scatter", "loss"})
    EXPECT_TRUE(kinds.count(kind)) << kind << " missing";
}

TEST_F(Report, FittedSpaceFitMatchesAnIndependentComputation) {
  // With model.normalize the run records the RSS and explained variance in the z-scores the fit
  // minimised; recomputed here from the saved data, its standardisation and the archetypes.
  const fs::path out = dir_ / "fit";
  const Result r =
      run("fit " + std::string(KAA_SOURCE_DIR) +
          "/configs/als.json --set /model/normalize=true --set /data/n=300 --set /data/d=4 "
          "--set /data/n_archetypes=3 --set /model/n_archetypes=3 --save-data --out " +
          out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json metrics = json::parse(slurp(out / "metrics.json"));
  const json prep = json::parse(slurp(out / "preprocessing.json"));
  const kaa::HostMatrix X = kaa::read_npy(out / "data.npy");
  const kaa::HostMatrix W = kaa::read_npy(out / "weights.npy");
  const kaa::HostMatrix Z = kaa::read_csv(out / "archetypes.csv");  // original units
  const auto mean = prep["mean"].get<std::vector<double>>();
  const auto sd = prep["std"].get<std::vector<double>>();
  double rss = 0, tss = 0;
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) {
      double fit = 0;  // weights sum to 1, so the z-score of w Z is w z(Z)
      for (std::size_t j = 0; j < Z.rows; ++j) fit += W(i, j) * (Z(j, f) - mean[f]) / sd[f];
      const double z = (X(i, f) - mean[f]) / sd[f];
      rss += (z - fit) * (z - fit);
      tss += z * z;  // z-scores have mean 0
    }
  ASSERT_TRUE(metrics.contains("rss_fitted")) << metrics.dump();
  EXPECT_NEAR(metrics["rss_fitted"].get<double>(), rss, 1e-8 * rss);
  EXPECT_NEAR(metrics["explained_variance_fitted"].get<double>(), 1 - rss / tss, 1e-8);
  EXPECT_GT(std::abs(metrics["rss"].get<double>() - rss), 1e-3 * rss)
      << "original units and z-scores should differ on this data";

  const Result raw = run("fit " + std::string(KAA_SOURCE_DIR) +
                         "/configs/als.json --set /data/n=300 --out " + (dir_ / "raw").string());
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_FALSE(json::parse(slurp(dir_ / "raw" / "metrics.json")).contains("rss_fitted"))
      << "without normalize the fitted space is the original one: no duplicate";
}

TEST_F(Report, NotASweepFolderIsAClearError) {
  const Result r = run("report " + dir_.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a sweep folder"), std::string::npos) << r.err;
}

}  // namespace
