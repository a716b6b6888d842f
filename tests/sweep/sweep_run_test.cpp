// `kaa sweep` and `kaa report` as processes: a sweep killed with SIGKILL resumes without losing or
// duplicating rows, failed runs are recorded without stopping the sweep, and the report's numbers
// and figures are what the runs say.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "tests/cli/cli_fixture.hpp"

namespace {

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<json> rows_of(const fs::path& file) {
  std::vector<json> rows;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) rows.push_back(json::parse(line));  // throws on a corrupt row
  return rows;
}

class Sweep : public Cli {
 protected:
  /// A sweep over the base config on small synthetic data: `seeds` x `rates` runs.
  fs::path experiment(int seeds, const json& rates, int n = 300, int max_iter = 60) {
    json s = {
        {"name", "t"},
        {"configs", {std::string(KAA_SOURCE_DIR) + "/configs/base.json"}},
        {"datasets", {{"syn", {{"type", "synthetic"}, {"n", n}, {"d", 4}, {"n_archetypes", 3}}}}},
        {"set", {{"/model/n_archetypes", 3}, {"/stopping/2/value", max_iter}}},
        {"seeds", json::array()},
        {"axes", {{{"grid", {{"/optimizer/learning_rate", rates}}}}}}};
    for (int i = 0; i < seeds; ++i) s["seeds"].push_back(i);
    return file("sweep.json", s.dump(2));
  }
};

TEST_F(Sweep, KilledMidwayResumesWithEveryRunExactlyOnce) {
  // 12 runs of a fit that takes a noticeable time each, one at a time.
  const fs::path spec = experiment(4, {0.001, 0.01, 0.1}, 20000, 400);
  const fs::path out = dir_ / "out";
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl(KAA_BINARY, KAA_BINARY, "sweep", spec.c_str(), "--out", out.c_str(), "--runs", "1",
            "--threads-per-run", "1", "--no-report", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const fs::path results = out / "results.jsonl";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  auto rows_now = [&] { return fs::exists(results) ? rows_of(results).size() : 0u; };
  while (rows_now() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be killed";
  const std::size_t before = rows_now();
  ASSERT_GE(before, 2u);
  ASSERT_LT(before, 12u);
  // Simulate the worst instant: a row torn by the kill.
  { std::ofstream(results, std::ios::app) << "{\"id\": \"torn"; }

  const Result r =
      run("sweep " + spec.string() + " --out " + out.string() + " --runs 2 --threads-per-run 1");

  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = rows_of(results);
  std::map<std::string, int> count;
  for (const auto& row : rows) ++count[row["id"].get<std::string>()];
  EXPECT_EQ(rows.size(), 12u);
  EXPECT_EQ(count.size(), 12u) << "a run was recorded twice or lost";
  for (const auto& row : rows) {
    EXPECT_EQ(row["status"], "ok") << row.dump();
    EXPECT_TRUE(fs::exists(out / row["run_dir"].get<std::string>() / "metrics.json"));
  }
  EXPECT_NE(r.err.find("(" + std::to_string(before) + " already done)"), std::string::npos)
      << r.err;
}

TEST_F(Sweep, FailedRunIsRecordedAndTheSweepGoesOn) {
  // 400 archetypes on 300 rows cannot work; the other value can.
  json s = json::parse(slurp(experiment(1, {0.01})));
  s["axes"] = {{{"grid", {{"/model/n_archetypes", {3, 400}}}}}};
  const fs::path spec = file("sweep2.json", s.dump());
  const fs::path out = dir_ / "out";

  const Result r = run("sweep " + spec.string() + " --out " + out.string() + " --runs 1");

  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto rows = rows_of(out / "results.jsonl");
  ASSERT_EQ(rows.size(), 2u);
  int failed = 0;
  for (const auto& row : rows) {
    if (row["status"] == "failed") {
      ++failed;
      EXPECT_NE(row["error"].get<std::string>().find("400 archetypes"), std::string::npos)
          << row.dump();
    } else {
      EXPECT_EQ(row["status"], "ok");
    }
  }
  EXPECT_EQ(failed, 1);
  EXPECT_NE(r.err.find("1 run(s) failed"), std::string::npos) << r.err;
}

TEST_F(Sweep, ReportSummaryMatchesTheRowsAndFiguresAreRealImages) {
  const fs::path spec = experiment(3, {0.001, 0.05});
  const fs::path out = dir_ / "out";
  ASSERT_EQ(run("sweep " + spec.string() + " --out " + out.string() + " -q --no-report").exit_code,
            0);

  const Result r = run("report " + out.string() + " --plots");

  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  // Hand computation of one cell: the mean and sample std of rss over the seeds of one group.
  std::map<std::string, std::vector<double>> rss;
  for (const auto& row : rows_of(out / "results.jsonl"))
    rss[row["group"].get<std::string>()].push_back(row["metrics"]["rss"].get<double>());
  ASSERT_EQ(rss.size(), 2u);
  std::ifstream csv(out / "summary.csv");
  std::string header, line;
  std::getline(csv, header);
  std::vector<std::string> columns;
  {
    std::stringstream h(header);
    for (std::string c; std::getline(h, c, ',');) columns.push_back(c);
  }
  const auto col = std::find(columns.begin(), columns.end(), "rss_mean") - columns.begin();
  ASSERT_LT(col, static_cast<long>(columns.size())) << header;
  int checked = 0;
  while (std::getline(csv, line)) {
    // Group names hold no commas here: plain split.
    std::vector<std::string> cells;
    std::stringstream l(line);
    for (std::string c; std::getline(l, c, ',');) cells.push_back(c);
    const auto& values = rss.at(cells[0]);
    double mean = 0, var = 0;
    for (double v : values) mean += v / values.size();
    for (double v : values) var += (v - mean) * (v - mean) / (values.size() - 1);
    EXPECT_NEAR(std::stod(cells[col]), mean, 1e-5 * mean);
    EXPECT_NEAR(std::stod(cells[col + 1]), std::sqrt(var), 1e-4 * mean + 1e-9);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
  EXPECT_NE(r.out.find("stability_distance"), std::string::npos) << r.out;

  // Figures: PNG signature, a real size, and more than one colour (decoded by matplotlib).
  ASSERT_TRUE(fs::exists(out / "index.html"));
  const std::string page = slurp(out / "index.html");
  std::vector<fs::path> pngs;
  for (const auto& e : fs::directory_iterator(out / "figures"))
    if (e.path().extension() == ".png") pngs.push_back(e.path());
  ASSERT_GE(pngs.size(), 3u);  // loss curves, metric vs learning rate, scatter
  for (const auto& png : pngs) {
    const std::string bytes = slurp(png);
    EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << png;
    EXPECT_GT(bytes.size(), 5000u) << png;
    EXPECT_NE(page.find(png.filename().string()), std::string::npos) << png;
    const std::string cmd =
        "/usr/bin/python3 -c \"import sys, numpy, matplotlib.image as m; "
        "a = m.imread(sys.argv[1]); "
        "sys.exit(0 if len(numpy.unique(a.reshape(-1, a.shape[-1]), axis=0)) > 10 else 1)\" " +
        png.string();
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "not a real picture: " << png;
  }
}

TEST_F(Sweep, BadSweepStopsBeforeAnyRun) {
  json s = json::parse(slurp(experiment(1, {0.01})));
  s["axes"] = {{{"grid", {{"/optimizer/learning_rat", {0.1}}}}}};
  const fs::path out = dir_ / "out";
  const Result r = run("sweep " + file("bad.json", s.dump()).string() + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/optimizer/learning_rat: no such key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
