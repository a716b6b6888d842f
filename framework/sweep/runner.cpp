#include "framework/sweep/runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/sweep/results_log.hpp"

extern char** environ;

namespace kaa::sweep {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::atomic<int> g_signal{0};
extern "C" void on_stop_signal(int sig) { g_signal = sig; }

void write_json(const fs::path& path, const json& j) {
  write_file_atomically(path, [&](std::ostream& os) { os << j.dump(2) << '\n'; });
}

std::string last_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

std::string format_duration(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600,
                  (static_cast<int>(s) / 60) % 60);
  return buf;
}

struct Child {
  const PlannedRun* run;
  std::chrono::steady_clock::time_point started;
};

pid_t spawn(const fs::path& exe, const std::vector<std::string>& args, const fs::path& out_file,
            const fs::path& err_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<char*> argv;
  std::string exe_s = exe.string();
  argv.push_back(exe_s.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe_s.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(exe_s + ": cannot start a run: " + std::strerror(rc));
  return pid;
}

}  // namespace

SweepOutcome run_sweep(const Sweep& sweep, const RunnerOptions& options) {
  const fs::path out = options.out;
  for (const char* sub : {"", "configs", "runs", "logs"}) {
    std::error_code ec;
    fs::create_directories(out / sub, ec);
    if (ec) throw Error((out / sub).string() + ": cannot create sweep folder: " + ec.message());
  }
  // The plan, for reports and for anyone reading the folder later.
  json plan = {{"name", sweep.name},
               {"spec", sweep.spec},
               {"axes", sweep.axis_pointers},
               {"labels", sweep.labels},
               {"runs", json::array()}};
  for (const auto& r : sweep.runs) {
    plan["runs"].push_back({{"id", r.id},
                            {"group", r.group},
                            {"config", r.config_name},
                            {"dataset", r.dataset},
                            {"seed", r.seed},
                            {"axes", r.axis_values}});
  }
  write_json(out / "sweep.json", plan);

  const ResultsLog log(out / "results.jsonl");
  std::set<std::string> finished;
  for (const auto& row : log.read_and_repair())
    if (row.contains("id")) finished.insert(row["id"].get<std::string>());

  SweepOutcome outcome;
  outcome.planned = sweep.runs.size();
  std::vector<const PlannedRun*> pending;
  std::set<std::string> data_saved;
  for (const auto& r : sweep.runs) {
    if (finished.count(r.id)) {
      ++outcome.skipped;
      data_saved.insert(r.resolved["data"].dump());
    } else {
      pending.push_back(&r);
    }
  }

  std::size_t cores = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  if (options.max_threads > 0) cores = std::min(cores, options.max_threads);
  std::size_t runs = options.concurrent_runs ? options.concurrent_runs
                     : sweep.concurrent_runs ? sweep.concurrent_runs
                                             : cores;
  std::size_t threads = options.threads_per_run ? options.threads_per_run
                        : sweep.threads_per_run ? sweep.threads_per_run
                                                : std::max<std::size_t>(1, cores / runs);
  if (runs * threads > cores) {
    // Never oversubscribe: fewer concurrent runs, each with the threads asked for.
    runs = std::max<std::size_t>(1, cores / threads);
    threads = std::min(threads, cores);
  }
  const bool tty = ::isatty(2) != 0 && !options.quiet;
  if (!options.quiet) {
    std::cerr << "kaa sweep " << sweep.name << ": " << sweep.runs.size() << " runs ("
              << outcome.skipped << " already done), " << runs << " at a time x " << threads
              << " thread" << (threads == 1 ? "" : "s") << "; results in " << out.string() << "\n";
  }

  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  struct sigaction old_int {
  }, old_term{};
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);
  g_signal = 0;

  const auto start = std::chrono::steady_clock::now();
  std::map<pid_t, Child> children;
  std::size_t next = 0, done_now = 0;
  const std::size_t total = pending.size();

  auto progress = [&](const PlannedRun& r, const std::string& status, double seconds) {
    if (options.quiet) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::size_t left = total - done_now;
    const double eta = done_now ? elapsed / done_now * left : 0.0;
    if (tty) {
      const int width = 30;
      const int filled = total ? static_cast<int>(width * done_now / total) : width;
      std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
                << done_now << "/" << total << " ok " << outcome.ok << " failed " << outcome.failed
                << "  ETA " << format_duration(eta) << "   " << std::flush;
      if (left == 0) std::cerr << "\n";
    } else {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.2f", seconds);
      std::cerr << "run " << done_now << "/" << total << " " << r.id << " " << r.group << " seed "
                << r.seed << ": " << status << " (" << secs << " s), ETA " << format_duration(eta)
                << "\n";
    }
  };

  auto launch = [&](const PlannedRun& r) {
    const fs::path config = out / "configs" / (r.id + ".json");
    write_json(config, r.resolved);
    std::vector<std::string> args{"fit",
                                  config.string(),
                                  "--out",
                                  (out / "runs" / r.id).string(),
                                  "--overwrite",
                                  "--threads",
                                  std::to_string(threads),
                                  "--quiet",
                                  "--progress-every",
                                  "0"};
    // One copy of each data set beside its first run, for plots.
    if (data_saved.insert(r.resolved["data"].dump()).second) args.push_back("--save-data");
    const pid_t pid = spawn(options.executable, args, out / "logs" / (r.id + ".out"),
                            out / "logs" / (r.id + ".err"));
    children[pid] = Child{&r, std::chrono::steady_clock::now()};
  };

  auto record = [&](const Child& c, int status) {
    const PlannedRun& r = *c.run;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - c.started).count();
    if (WIFSIGNALED(status) && g_signal != 0) return;  // stopped by us: unfinished, re-run later
    json row = {{"id", r.id},
                {"group", r.group},
                {"config", r.config_name},
                {"dataset", r.dataset},
                {"seed", r.seed},
                {"axes", r.axis_values},
                {"wall_seconds", seconds},
                {"run_dir", "runs/" + r.id}};
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    row["exit_code"] = code;
    const fs::path metrics = out / "runs" / r.id / "metrics.json";
    if (fs::exists(metrics)) {
      try {
        row["metrics"] = read_json_file(metrics);
      } catch (const std::exception&) {
      }
    }
    if (code == 0) {
      row["status"] = "ok";
      ++outcome.ok;
    } else {
      row["status"] = code == 3 ? "diverged" : "failed";
      std::string err = last_line(out / "logs" / (r.id + ".err"));
      if (err.empty())
        err = WIFSIGNALED(status)
                  ? std::string("killed by signal ") + std::to_string(WTERMSIG(status))
                  : "exit code " + std::to_string(code);
      row["error"] = err;
      ++outcome.failed;
    }
    log.append(row);
    ++done_now;
    progress(r,
             row["status"].get<std::string>() +
                 (row.contains("error") ? ": " + row["error"].get<std::string>() : ""),
             seconds);
  };

  while ((next < pending.size() && g_signal == 0) || !children.empty()) {
    while (g_signal == 0 && next < pending.size() && children.size() < runs)
      launch(*pending[next++]);
    if (g_signal != 0) {
      for (const auto& [pid, c] : children) ::kill(pid, SIGTERM);
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      if (errno == ECHILD) break;
      throw Error(std::string("sweep: waitpid: ") + std::strerror(errno));
    }
    const auto it = children.find(pid);
    if (it == children.end()) continue;
    const Child c = it->second;
    children.erase(it);
    record(c, status);
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  outcome.interrupted = g_signal != 0;
  return outcome;
}

}  // namespace kaa::sweep
