// Checkpoint and resume of a fit killed with SIGKILL, and what a diverging fit leaves behind.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "tests/cli/cli_fixture.hpp"

namespace {

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;

/// Starts `kaa fit` in the background; returns its pid.
pid_t spawn_fit(const fs::path& cfg, const fs::path& out, const std::string& data = "") {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    if (data.empty()) {
      ::execl(KAA_BINARY, KAA_BINARY, "fit", cfg.c_str(), "--out", out.c_str(), "--threads=1",
              static_cast<char*>(nullptr));
    } else {
      ::execl(KAA_BINARY, KAA_BINARY, "fit", cfg.c_str(), "--out", out.c_str(), "--threads=1",
              "--data", data.c_str(), static_cast<char*>(nullptr));
    }
    ::_exit(127);
  }
  return pid;
}

std::size_t checkpoint_updates(const fs::path& state) {
  std::ifstream in(state);
  if (!in) return 0;
  try {
    return nlohmann::json::parse(in)["scalars"]["updates"].get<std::size_t>();
  } catch (const nlohmann::json::exception&) {
    return 0;  // being replaced right now
  }
}

TEST_F(Cli, FitKilledMidwayResumesToTheSameResult) {
  const auto cfg =
      config({{"data", {{"n", 40000}, {"d", 8}}},
              {"checkpoint", {{"every", 10}}},
              {"stopping",
               {{{"type", "loss_delta"}, {"tol", 0.0}}, {{"type", "max_iter"}, {"value", 400}}}}});
  const fs::path full = dir_ / "full", killed = dir_ / "killed";
  ASSERT_EQ(run("fit " + cfg.string() + " --out " + full.string()).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir_ / ".full.checkpoint")) << "a finished run keeps its checkpoint";

  const pid_t pid = spawn_fit(cfg, killed);
  const fs::path state = dir_ / ".killed.checkpoint" / "state.json";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (checkpoint_updates(state) < 30 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the fit ended before it could be killed mid-way";
  ASSERT_FALSE(fs::exists(killed));
  const std::size_t saved = checkpoint_updates(state);
  ASSERT_GE(saved, 30u);
  ASSERT_LT(saved, 400u);

  const Result r = run("fit --resume " + killed.string());

  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Same thread count: the resumed fit must match the uninterrupted one bit for bit.
  for (const char* name : {"archetypes.csv", "weights.npy", "loss_history.csv"})
    EXPECT_EQ(slurp(full / name), slurp(killed / name)) << name;
  EXPECT_FALSE(fs::exists(dir_ / ".killed.checkpoint"));
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".killed.tmp-"), std::string::npos)
        << "stale staging folder left: " << entry.path();
}

/// The id of a process that has ended (and been reaped): no process has it, barring reuse.
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

TEST_F(Cli, FitRemovesTheStagingFoldersOfDeadProcesses) {
  // What kill -9 leaves: a staging folder, and a replaced run folder publish() had not removed.
  const std::string dead = std::to_string(dead_pid()), alive = std::to_string(::getpid());
  const fs::path stale = dir_ / (".run.tmp-" + dead), old = dir_ / (".run.tmp-" + dead + ".old");
  const fs::path live = dir_ / (".run.tmp-" + alive), other = dir_ / (".other.tmp-" + dead);
  for (const fs::path& p : {stale, old, live, other}) {
    fs::create_directories(p);
    std::ofstream(p / "archetypes.csv") << "f0\n1\n";
  }

  const Result r = run("fit " + config().string() + " --out " + (dir_ / "run").string());

  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(stale)) << "a dead process's staging folder stayed";
  EXPECT_FALSE(fs::exists(old)) << "a dead process's replaced run folder stayed";
  EXPECT_TRUE(fs::exists(live)) << "a live process's staging folder was removed";
  EXPECT_TRUE(fs::exists(other)) << "another run's staging folder was removed";
}

TEST_F(Cli, ResumeWithoutCheckpointIsAClearError) {
  const Result r = run("fit --resume " + (dir_ / "nothing").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no checkpoint to resume from"), std::string::npos) << r.err;
}

TEST_F(Cli, ResumeRefusesChangedData) {
  std::ostringstream csv;
  for (int i = 0; i < 30000; ++i)
    csv << (i % 7) * 0.1 << ',' << (i % 11) * 0.2 << ',' << (i % 13) * 0.3 << '\n';
  const fs::path data = file("x.csv", csv.str());
  const auto cfg = config(
      {{"checkpoint", {{"every", 5}}}, {"stopping", {{{"type", "max_iter"}, {"value", 100000}}}}});
  const fs::path out = dir_ / "run";
  const pid_t pid = spawn_fit(cfg, out, data.string());
  const fs::path state = dir_ / ".run.checkpoint" / "state.json";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (checkpoint_updates(state) < 5 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_GE(checkpoint_updates(state), 5u);
  file("x.csv", "0,0,0\n1,0,0\n0,1,0\n1,1,1\n");

  const Result r = run("fit --resume " + out.string());

  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the data differ"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(Cli, DivergedFitKeepsTheBestParametersApartFromResults) {
  // Without the hull projection, a step size of 1e6 sends the loss past nan_guard's bound at
  // once.
  const auto cfg = config(
      {{"optimizer", {{"learning_rate", 1e6}}},
       {"projectors", {{"archetypes", {{"type", "none"}, {"k", nullptr}, {"eps", nullptr}}}}},
       {"stopping",
        {{{"type", "nan_guard"}, {"bound", 1e6}}, {{"type", "max_iter"}, {"value", 50}}}}});
  const fs::path out = dir_ / "run";

  const Result r = run("fit " + cfg.string() + " --out " + out.string());

  EXPECT_EQ(r.exit_code, 3) << r.err;
  const auto metrics = nlohmann::json::parse(slurp(out / "metrics.json"));
  EXPECT_EQ(metrics["status"], "diverged");
  EXPECT_NE(metrics["stop_reason"].get<std::string>().find("diverged"), std::string::npos);
  ASSERT_TRUE(metrics.contains("best_loss"));
  EXPECT_TRUE(std::isfinite(metrics["best_loss"].get<double>()));
  EXPECT_LT(metrics["best_loss"].get<double>(), 1e6);
  EXPECT_FALSE(fs::exists(out / "archetypes.csv")) << "diverged parameters presented as a result";
  const std::string best = slurp(out / "best_before_divergence_archetypes.csv");
  EXPECT_FALSE(best.empty());
  EXPECT_EQ(best.find("nan"), std::string::npos);
  EXPECT_EQ(best.find("inf"), std::string::npos);
}

}  // namespace
