// `kaa sweep` as a process: a sweep killed with SIGKILL or stopped with SIGINT resumes without
// losing or duplicating a row and leaves no run behind; failed and diverged runs are recorded
// without stopping the sweep; bad sweeps stop before any run.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
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

/// Processes whose command line mentions `text` (other than this test).
int processes_mentioning(const std::string& text) {
  int found = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(getpid()))
      continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(text) != std::string::npos) ++found;
  }
  return found;
}

class Sweep : public Cli {
 protected:
  void SetUp() override {
    // One folder per test and process: test runs of other checkouts may run at the same time.
    dir_ = fs::temp_directory_path() /
           ("kaa_sweep_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  /// The base model on small synthetic data, `seeds` x rates runs of exactly `updates` updates.
  fs::path experiment(int seeds, const json& rates, int n = 200, int updates = 40) {
    json s = {
        {"name", "t"},
        {"configs", {std::string(KAA_SOURCE_DIR) + "/configs/base.json"}},
        {"datasets", {{"syn", {{"type", "synthetic"}, {"n", n}, {"d", 4}, {"n_archetypes", 3}}}}},
        {"set",
         {{"/model/n_archetypes", 3}, {"/stopping/1/tol", 0.0}, {"/stopping/2/value", updates}}},
        {"seeds", json::array()},
        {"axes", {{{"grid", {{"/optimizer/learning_rate", rates}}}}}}};
    for (int i = 0; i < seeds; ++i) s["seeds"].push_back(i);
    return file("sweep.json", s.dump(2));
  }

  /// Starts `kaa sweep SPEC --out OUT ARGS...` in the background, output to files in dir_.
  pid_t start(const fs::path& spec, const fs::path& out, std::vector<std::string> args) {
    args.insert(args.begin(), {KAA_BINARY, "sweep", spec.string(), "--out", out.string()});
    const std::string err = (dir_ / "bg.err").string();
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int devnull = ::open("/dev/null", O_WRONLY);
      const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(devnull, 1);
      ::dup2(e, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(KAA_BINARY, argv.data());
      ::_exit(127);
    }
    return pid;
  }

  /// Waits until results.jsonl holds at least `rows` complete rows (or 60 s pass).
  static std::size_t wait_for_rows(const fs::path& results, std::size_t rows) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    // The sweep may be writing as we read: count complete lines only.
    auto now = [&]() -> std::size_t {
      std::ifstream in(results);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    };
    while (now() < rows && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return now();
  }

  /// Every planned run exactly once, all ok, each with its run folder.
  static void expect_complete(const fs::path& out, std::size_t runs) {
    const auto rows = rows_of(out / "results.jsonl");
    std::map<std::string, int> count;
    for (const auto& row : rows) {
      ++count[row["id"].get<std::string>()];
      EXPECT_EQ(row["status"], "ok") << row.dump();
      EXPECT_TRUE(fs::exists(out / row["run_dir"].get<std::string>() / "metrics.json"));
    }
    EXPECT_EQ(rows.size(), runs);
    EXPECT_EQ(count.size(), runs) << "a run was recorded twice or lost";
  }
};

TEST_F(Sweep, KilledMidwayResumesWithEveryRunExactlyOnce) {
  // 8 runs of ~0.1 s or more, one at a time: the kill lands after the first row, mid-sweep.
  const fs::path spec = experiment(4, {0.001, 0.01}, 3000, 150);
  const fs::path out = dir_ / "out";
  const pid_t pid = start(spec, out, {"--runs", "1", "--threads-per-run", "1", "--no-report"});
  wait_for_rows(out / "results.jsonl", 1);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be killed";
  const std::size_t before = rows_of(out / "results.jsonl").size();
  ASSERT_GE(before, 1u);
  ASSERT_LT(before, 8u);
  // The run in flight dies with its sweep: nothing may keep writing into the folder.
  for (int i = 0; i < 200 && processes_mentioning(out.string()) > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(processes_mentioning(out.string()), 0) << "a run outlived its killed sweep";
  // The worst instant of a kill: a row torn in the middle of its write.
  { std::ofstream(out / "results.jsonl", std::ios::app) << "{\"id\": \"torn"; }

  const Result r = run("sweep " + spec.string() + " --out " + out.string());

  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("(" + std::to_string(before) + " already done)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("torn last row"), std::string::npos) << r.err;
  expect_complete(out, 8);
  // The run killed in flight left its staging folder; its re-run removed it.
  for (const auto& entry : fs::directory_iterator(out / "runs"))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
        << "stale staging folder left: " << entry.path();

  // The summary the resumed sweep printed and wrote: mean and sample std of rss per group,
  // against the rows.
  std::map<std::string, std::vector<double>> rss;
  for (const auto& row : rows_of(out / "results.jsonl"))
    rss[row["group"].get<std::string>()].push_back(row["metrics"]["rss"].get<double>());
  std::ifstream csv(out / "summary.csv");
  std::string header, line;
  std::getline(csv, header);
  std::vector<std::string> columns;
  std::stringstream h(header);
  for (std::string c; std::getline(h, c, ',');) columns.push_back(c);
  const auto col = std::find(columns.begin(), columns.end(), "rss_mean") - columns.begin();
  ASSERT_LT(col, static_cast<long>(columns.size())) << header;
  int checked = 0;
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;  // no commas inside these group names
    std::stringstream l(line);
    for (std::string c; std::getline(l, c, ',');) cells.push_back(c);
    const auto& values = rss.at(cells[0]);
    ASSERT_EQ(values.size(), 4u);
    double mean = 0, var = 0;
    for (double v : values) mean += v / 4;
    for (double v : values) var += (v - mean) * (v - mean) / 3;
    EXPECT_NEAR(std::stod(cells[col]), mean, 1e-12 * mean);
    EXPECT_NEAR(std::stod(cells[col + 1]), std::sqrt(var), 1e-9 * mean);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
  EXPECT_NE(r.out.find("stability_distance"), std::string::npos) << r.out;
}

TEST_F(Sweep, InterruptLetsRunsInFlightFinishAndSaysHowToResume) {
  const fs::path spec = experiment(4, {0.001, 0.01}, 3000, 150);
  const fs::path out = dir_ / "out";
  const pid_t pid = start(spec, out, {"--runs", "1", "--threads-per-run", "1"});
  wait_for_rows(out / "results.jsonl", 1);
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string err = slurp(dir_ / "bg.err");
  EXPECT_NE(err.find("to resume, run the same command again:\n  kaa sweep " + spec.string() +
                     " --out " + out.string()),
            std::string::npos)
      << err;
  const auto rows = rows_of(out / "results.jsonl");
  ASSERT_GE(rows.size(), 1u);
  ASSERT_LT(rows.size(), 8u) << "the sweep went on after the interrupt";
  for (const auto& row : rows) EXPECT_EQ(row["status"], "ok") << "the run in flight finished";

  const Result r = run("sweep " + spec.string() + " --out " + out.string() + " --no-report");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_complete(out, 8);
}

TEST_F(Sweep, FailedAndDivergedRunsAreRecordedAndTheSweepGoesOn) {
  // 400 archetypes on 200 rows cannot work; a loss bound of 1e-9 makes a fit diverge.
  json s = json::parse(slurp(experiment(1, {0.01})));
  s["set"].erase("/model/n_archetypes");
  s["axes"] = {
      {{"zip", {{"/model/n_archetypes", {3, 400, 3}}, {"/stopping/0/bound", {1e30, 1e30, 1e-9}}}}}};
  const fs::path spec = file("sweep2.json", s.dump());
  const fs::path out = dir_ / "out";

  const Result r = run("sweep " + spec.string() + " --out " + out.string());

  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, json> by_status;
  for (const auto& row : rows_of(out / "results.jsonl"))
    by_status[row["status"].get<std::string>()] = row;
  ASSERT_EQ(by_status.size(), 3u) << "expected one ok, one failed, one diverged";
  EXPECT_NE(by_status["failed"]["error"].get<std::string>().find("400 archetypes"),
            std::string::npos)
      << by_status["failed"].dump();
  EXPECT_EQ(by_status["failed"]["exit_code"], 2);
  EXPECT_EQ(by_status["diverged"]["exit_code"], 3);
  EXPECT_FALSE(by_status["diverged"]["error"].get<std::string>().empty());
  EXPECT_NE(r.err.find("2 run(s) failed"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("0/1"), std::string::npos) << "the table counts failures\n" << r.out;

  // Failed runs count as finished; --retry-failed runs them again, still one row per run.
  const Result again = run("sweep " + spec.string() + " --out " + out.string() + " --retry-failed");
  EXPECT_NE(again.err.find("3 runs (1 already done)"), std::string::npos) << again.err;
  EXPECT_EQ(rows_of(out / "results.jsonl").size(), 3u);
}

TEST_F(Sweep, ARunFinishedButNotRecordedIsAdoptedNotRerun) {
  const fs::path spec = experiment(2, {0.01});
  const fs::path out = dir_ / "out";
  ASSERT_EQ(run("sweep " + spec.string() + " --out " + out.string() + " -q --no-report").exit_code,
            0);
  // As if the sweep had been killed between a run's end and its row.
  auto rows = rows_of(out / "results.jsonl");
  ASSERT_EQ(rows.size(), 2u);
  std::ofstream(out / "results.jsonl") << rows[0].dump() << "\n";
  const auto log_time =
      fs::last_write_time(out / "logs" / (rows[1]["id"].get<std::string>() + ".err"));

  const Result r = run("sweep " + spec.string() + " --out " + out.string() + " --no-report");

  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = rows_of(out / "results.jsonl");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1]["adopted"], true);
  EXPECT_EQ(rows[1]["status"], "ok");
  EXPECT_EQ(fs::last_write_time(out / "logs" / (rows[1]["id"].get<std::string>() + ".err")),
            log_time)
      << "the run was started again";
}

TEST_F(Sweep, BadSweepStopsBeforeAnyRun) {
  json s = json::parse(slurp(experiment(1, {0.01})));
  s["axes"] = {{{"grid", {{"/optimizer/learning_rat", {0.1}}}}}};
  const fs::path out = dir_ / "out";
  const Result r = run("sweep " + file("bad.json", s.dump()).string() + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/optimizer/learning_rat: no such key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  const Result missing = run("sweep " + (dir_ / "nope.json").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.json: cannot open"), std::string::npos) << missing.err;
}

}  // namespace
