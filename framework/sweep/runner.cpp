#include "framework/sweep/runner.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/sweep/child_process.hpp"
#include "framework/sweep/results_log.hpp"

namespace kaa::sweep {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::atomic<int> g_interrupts{0};
std::atomic<int> g_terminate{0};
extern "C" void on_stop_signal(int sig) {
  if (sig == SIGINT)
    g_interrupts.fetch_add(1);
  else
    g_terminate.store(1);
}

/// Installs the sweep's SIGINT/SIGTERM handlers for its lifetime.
class SignalScope {
 public:
  SignalScope() {
    g_interrupts = 0;
    g_terminate = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~SignalScope() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

void write_json(const fs::path& path, const json& j) {
  write_file_atomically(path, [&](std::ostream& os) { os << j.dump(2) << '\n'; });
}

/// The last line of a run's stderr that says something: kaa prints one line per error.
std::string last_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
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

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json row_of(const PlannedRun& r) {
  return {{"id", r.id},
          {"group", r.group},
          {"config", r.config_name},
          {"config_file", r.config_file},
          {"dataset", r.dataset},
          {"seed", r.seed},
          {"axes", r.axis_values},
          {"run_dir", "runs/" + r.id}};
}

/// A run folder is complete once renamed into place (kaa fit writes metrics.json last, in a
/// staging folder). If it holds exactly this run's config it need not run again.
bool finished_folder(const fs::path& folder, const json& resolved, json& metrics) {
  std::error_code ec;
  if (!fs::is_regular_file(folder / "metrics.json", ec) ||
      !fs::is_regular_file(folder / "config.json", ec))
    return false;
  try {
    if (read_json_file(folder / "config.json") != resolved) return false;
    metrics = read_json_file(folder / "metrics.json");
  } catch (const Error&) {
    return false;
  }
  return metrics.is_object() && metrics.contains("status") && metrics["status"].is_string();
}

/// The `kaa fit` command line of one run.
std::vector<std::string> fit_args(const fs::path& out, const PlannedRun& r, std::size_t threads,
                                  bool save_data) {
  std::vector<std::string> args{"fit",
                                (out / "configs" / (r.id + ".json")).string(),
                                "--out",
                                (out / "runs" / r.id).string(),
                                "--overwrite",
                                "--threads",
                                std::to_string(threads),
                                "--quiet",
                                "--progress-every",
                                "0"};
  if (save_data) args.push_back("--save-data");
  return args;
}

// Messages of a sweep over MPI ranks: a worker asks for work (telling the outcome of its last
// run), rank 0 answers with a run or with "stop".
constexpr int kTagReady = 101;   // [-1] or [run index, wait status]
constexpr int kTagAssign = 102;  // [run index, save data, threads] or [-1]

/// Children of a rank must not join its MPI job: they are plain single-rank runs.
void keep_children_out_of_mpi() { ::setenv("KAA_MPI_INIT", "0", 1); }

std::string signal_name(int sig) {
  const char* d = ::strsignal(sig);
  return std::to_string(sig) + (d ? std::string(" (") + d + ")" : std::string());
}

}  // namespace

std::size_t available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<std::size_t>(CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::pair<std::size_t, std::size_t> plan_concurrency(std::size_t cores, std::size_t runs,
                                                     std::size_t threads, std::size_t total) {
  cores = std::max<std::size_t>(1, cores);
  total = std::max<std::size_t>(1, total);
  if (threads > cores) threads = cores;
  if (runs == 0 && threads == 0) {
    // Runs are independent: one per core parallelises best; spare cores go to threads.
    runs = std::min(cores, total);
    threads = cores / runs;
  } else if (runs == 0) {
    runs = std::min(total, cores / threads);
  } else if (threads == 0) {
    runs = std::min({runs, cores, total});
    threads = cores / runs;
  } else if (runs * threads > cores) {
    runs = cores / threads;  // keep the threads asked for; run fewer at a time
  }
  runs = std::max<std::size_t>(1, std::min(runs, total));
  threads = std::max<std::size_t>(1, threads);
  return {runs, threads};
}

namespace {

/// The sweep folder's layout: configs/ (what each run receives), runs/ (run folders), logs/.
void create_sweep_folder(const fs::path& out) {
  for (const char* sub : {"", "configs", "runs", "logs"}) {
    std::error_code ec;
    fs::create_directories(out / sub, ec);
    if (ec) throw Error((out / sub).string() + ": cannot create sweep folder: " + ec.message());
  }
}

/// The plan, for reports and for anyone reading the folder later.
void write_plan(const Sweep& sweep, const fs::path& out) {
  json plan = {{"name", sweep.name},     {"file", sweep.file.string()},
               {"spec", sweep.spec},     {"axes", sweep.axis_pointers},
               {"labels", sweep.labels}, {"runs", json::array()}};
  for (const auto& r : sweep.runs) {
    json entry = row_of(r);
    entry["data"] = r.resolved["data"];
    plan["runs"].push_back(std::move(entry));
  }
  write_json(out / "sweep.json", plan);
}

/// The rows results.jsonl already holds (with `retry_failed`, the ok ones only: the others are
/// dropped from the file, to run again).
std::vector<json> recorded_rows(const ResultsLog& log, bool retry_failed) {
  std::vector<std::string> skipped_lines;
  std::vector<json> rows = log.read(&skipped_lines);
  for (const auto& s : skipped_lines) std::cerr << "kaa sweep: warning: " << s << "\n";
  if (!retry_failed) return rows;
  std::vector<json> kept;
  for (const auto& row : rows)
    if (row.value("status", "") == "ok") kept.push_back(row);
  if (kept.size() != rows.size()) log.rewrite(kept);
  return kept;
}

/// The row of a run that finished while an earlier sweep was being killed, before its row was
/// written.
json adopted_row(const PlannedRun& r, const json& metrics) {
  json row = row_of(r);
  const bool ok = metrics["status"] == "ok";
  row["status"] = ok ? "ok" : "diverged";
  row["exit_code"] = ok ? 0 : 3;
  if (!ok) row["error"] = metrics.value("stop_reason", std::string("diverged"));
  row["metrics"] = metrics;
  row["wall_seconds"] = metrics.value("total_seconds", 0.0);
  row["adopted"] = true;
  row["finished_at"] = now_utc();
  return row;
}

/// What is left to run, and the data sets whose data a run folder already saved.
struct Backlog {
  std::vector<const PlannedRun*> pending;
  std::set<std::string> data_saved;
};

/// Sorts the planned runs into done (recorded, or adopted from a complete run folder) and
/// pending; counts the done ones in `outcome`.
Backlog backlog_of(const Sweep& sweep, const RunnerOptions& options, const ResultsLog& log,
                   SweepOutcome& outcome) {
  std::set<std::string> finished;
  for (const auto& row : recorded_rows(log, options.retry_failed))
    finished.insert(row["id"].get<std::string>());
  Backlog backlog;
  for (const auto& r : sweep.runs) {
    const fs::path folder = options.out / "runs" / r.id;
    json metrics;
    if (finished.count(r.id)) {
      ++outcome.skipped;
    } else if (finished_folder(folder, r.resolved, metrics) &&
               (!options.retry_failed || metrics["status"] == "ok")) {
      log.append(adopted_row(r, metrics));
      ++outcome.adopted;
    } else {
      backlog.pending.push_back(&r);
      continue;
    }
    if (fs::exists(folder / "data.npy")) backlog.data_saved.insert(r.resolved["data"].dump());
  }
  return backlog;
}

/// Runs at a time and threads per run: one run per MPI rank, else as asked, within the cores.
std::pair<std::size_t, std::size_t> concurrency_of(const Sweep& sweep, const RunnerOptions& options,
                                                   int ranks, std::size_t pending) {
  const std::size_t cores =
      options.max_threads ? std::min(options.max_threads, available_cores()) : available_cores();
  const std::size_t runs = ranks > 1                 ? 1
                           : options.concurrent_runs ? options.concurrent_runs
                                                     : sweep.concurrent_runs;
  return plan_concurrency(cores, runs,
                          options.threads_per_run ? options.threads_per_run : sweep.threads_per_run,
                          pending);
}

void announce(const Sweep& sweep, const RunnerOptions& options, const SweepOutcome& outcome,
              int ranks, bool torn) {
  if (options.quiet) return;
  const std::size_t threads = outcome.threads_per_run;
  std::cerr << "kaa sweep " << sweep.name << ": " << sweep.runs.size() << " runs";
  if (outcome.skipped || outcome.adopted)
    std::cerr << " (" << outcome.skipped + outcome.adopted << " already done)";
  std::cerr << ", " << outcome.runs_at_a_time << " at a time";
  if (ranks > 1) std::cerr << " on each of " << ranks << " MPI ranks";
  std::cerr << " x " << threads << " thread" << (threads == 1 ? "" : "s") << "; folder "
            << options.out.string() << "\n";
  if (torn) std::cerr << "kaa sweep: cut off a torn last row of results.jsonl (a killed write)\n";
}

/// Why a run did not succeed, from its exit status, its stderr and its metrics.
std::string failure_of(const fs::path& err_file, int status, int code, const json& metrics) {
  std::string err = last_line(err_file);
  for (const char* prefix : {"kaa: error: ", "kaa fit: error: "})
    if (err.rfind(prefix, 0) == 0) err.erase(0, std::strlen(prefix));
  if (WIFSIGNALED(status))
    err = "killed by signal " + signal_name(WTERMSIG(status)) + (err.empty() ? "" : "; " + err);
  else if (err.empty())
    err = code == 0 ? "exit code 0 but no metrics.json" : "exit code " + std::to_string(code);
  if (code == 3 && metrics.is_object() && metrics.contains("stop_reason"))
    err = metrics["stop_reason"].get<std::string>();
  return err;
}

/// The row of a run whose `kaa fit` ended with wait status `status`: ok (exit 0 and its
/// metrics.json), diverged (exit 3) or failed, with the error.
json finished_row(const fs::path& out, const PlannedRun& r, int status, double seconds) {
  json row = row_of(r);
  row["wall_seconds"] = seconds;
  row["finished_at"] = now_utc();
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  row["exit_code"] = code;
  json metrics;
  if (code == 0 || code == 3) {
    try {
      metrics = read_json_file(out / "runs" / r.id / "metrics.json");
      row["metrics"] = metrics;
    } catch (const Error&) {
    }
  }
  if (code == 0 && metrics.is_object()) {
    row["status"] = "ok";
  } else {
    row["status"] = code == 3 ? "diverged" : "failed";
    row["error"] = failure_of(out / "logs" / (r.id + ".err"), status, code, metrics);
  }
  return row;
}

/// The progress lines (or, on a terminal, a bar redrawn in place) of the runs of one sweep.
class ProgressDisplay {
 public:
  ProgressDisplay(const SweepOutcome& outcome, std::size_t total, bool quiet)
      : outcome_(outcome), total_(total), quiet_(quiet), tty_(::isatty(2) != 0 && !quiet) {
    if (tty_ && total_ > 0) draw_bar();
  }
  bool tty() const { return tty_; }
  std::size_t done() const { return done_; }

  /// One more run finished with `status` after `seconds`.
  void finished(const PlannedRun& r, const std::string& status, double seconds) {
    ++done_;
    if (quiet_) return;
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f s", seconds);
    const std::string line = "[" + std::to_string(done_) + "/" + std::to_string(total_) + "] " +
                             r.group + " seed " + std::to_string(r.seed) + ": " + status + " (" +
                             secs + ")";
    if (!tty_) {
      std::cerr << line << ", ETA " << eta() << "\n";
      return;
    }
    // On a terminal: failures stay on screen as lines; the bar redraws in place.
    if (status.rfind("ok", 0) != 0) std::cerr << "\r\033[K" << line << "\n";
    draw_bar();
  }

 private:
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  std::string eta() const {
    return done_ ? format_duration(elapsed() / done_ * (total_ - done_)) : "?";
  }
  void draw_bar() const {
    const int width = 30;
    const int filled = total_ ? static_cast<int>(width * done_ / total_) : width;
    std::cerr << "\r\033[K[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
              << done_ << "/" << total_ << "  ok " << outcome_.ok << "  failed " << outcome_.failed
              << "  elapsed " << format_duration(elapsed()) << "  ETA " << eta() << std::flush;
    if (done_ == total_) std::cerr << "\n";
  }

  const SweepOutcome& outcome_;
  const std::size_t total_;
  const bool quiet_, tty_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::size_t done_ = 0;
};

/// Launches the pending runs (as children, and over MPI by handing them to the ranks that ask),
/// records each as it ends, and stops on SIGINT/SIGTERM as run_sweep describes.
class Scheduler {
 public:
  Scheduler(const Sweep& sweep, const RunnerOptions& options, const ResultsLog& log,
            Backlog backlog, SweepOutcome& outcome)
      : sweep_(sweep),
        options_(options),
        log_(log),
        backlog_(std::move(backlog)),
        outcome_(outcome),
        ranks_(parallel::world().size()),
        workers_(ranks_ - 1),
        progress_(outcome, backlog_.pending.size(), options.quiet) {}

  void run() {
    for (;;) {
      const bool stop_launching = g_interrupts > 0 || g_terminate > 0;
      react_to_signals(stop_launching);
      while (!stop_launching && next_ < backlog_.pending.size() &&
             children_.size() < outcome_.runs_at_a_time)
        launch(*backlog_.pending[next_++]);
      if (children_.empty() && workers_ == 0) break;
      const bool served = serve_workers(stop_launching);
      if (!wait_for_child(served)) break;
    }
    outcome_.interrupted =
        (g_interrupts > 0 || g_terminate > 0) && progress_.done() < backlog_.pending.size();
    if (outcome_.interrupted && progress_.tty()) std::cerr << "\n";
  }

 private:
  struct Child {
    const PlannedRun* run;
    std::chrono::steady_clock::time_point started;
    int rank = 0;  // the MPI rank it runs on
  };

  /// The first SIGINT stops launching; a second, or SIGTERM, stops the runs in flight.
  void react_to_signals(bool stop_launching) {
    if (stop_launching && !stopping_announced_ && !options_.quiet) {
      stopping_announced_ = true;
      if (!children_.empty() && g_terminate == 0 && g_interrupts == 1)
        std::cerr << (progress_.tty() ? "\r\033[K" : "") << "kaa sweep: interrupted; letting the "
                  << children_.size()
                  << " run(s) in flight finish (Ctrl-C again stops them; they will re-run)\n";
    }
    if ((g_interrupts > 1 || g_terminate > 0) && !killed_) {
      killed_ = true;
      for (const auto& [pid, c] : children_) ::kill(pid, SIGTERM);
    }
  }

  /// Writes the run's config; whether it saves its data (generated data, not a file the user
  /// has, are saved once per data set, for the plots).
  bool prepare(const PlannedRun& r) {
    write_json(options_.out / "configs" / (r.id + ".json"), r.resolved);
    return r.resolved["data"].value("type", "") != "file" &&
           backlog_.data_saved.insert(r.resolved["data"].dump()).second;
  }

  void launch(const PlannedRun& r) {
    const bool save_data = prepare(r);
    const fs::path& out = options_.out;
    const pid_t pid =
        start_child(options_.executable, fit_args(out, r, outcome_.threads_per_run, save_data),
                    out / "logs" / (r.id + ".out"), out / "logs" / (r.id + ".err"));
    children_[pid] = Child{&r, std::chrono::steady_clock::now()};
  }

  void record(const Child& c, int status) {
    if (killed_ && WIFSIGNALED(status)) return;  // stopped by us: unfinished, re-run on resume
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - c.started).count();
    json row = finished_row(options_.out, *c.run, status, seconds);
    if (ranks_ > 1) row["mpi_rank"] = c.rank;
    ++(row["status"] == "ok" ? outcome_.ok : outcome_.failed);
    log_.append(row);
    progress_.finished(*c.run,
                       row["status"].get<std::string>() +
                           (row.contains("error") ? ": " + row["error"].get<std::string>() : ""),
                       seconds);
  }

  /// Only rank 0 writes results.jsonl: workers report how their run ended, and rank 0 records it
  /// from the run folder on the shared file system, as for its own runs. Returns whether any
  /// worker was served.
  bool serve_workers(bool stop_launching) {
    const parallel::Communicator& comm = parallel::world();
    int source = 0;
    bool served = false;
    while (workers_ > 0 && comm.probe(kTagReady, source)) {
      served = true;
      const std::vector<double> report = comm.receive(source, kTagReady);
      const auto it = remote_.find(source);
      if (report.size() == 2 && report[0] >= 0 && it != remote_.end()) {
        const Child c = it->second;
        remote_.erase(it);
        record(c, static_cast<int>(report[1]));
      }
      if (!stop_launching && next_ < backlog_.pending.size()) {
        const PlannedRun& r = *backlog_.pending[next_++];
        const bool save_data = prepare(r);
        remote_[source] = Child{&r, std::chrono::steady_clock::now(), source};
        comm.send({static_cast<double>(&r - sweep_.runs.data()), save_data ? 1.0 : 0.0,
                   static_cast<double>(outcome_.threads_per_run)},
                  source, kTagAssign);
      } else {
        comm.send({-1.0}, source, kTagAssign);
        --workers_;
      }
    }
    return served;
  }

  /// Waits for a child to end (over MPI: polls, so that workers are served) and records it.
  /// Returns false when no child is left to wait for.
  bool wait_for_child(bool served) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, ranks_ > 1 ? WNOHANG : 0);
    if (ranks_ > 1 && (pid == 0 || (pid < 0 && errno == ECHILD))) {
      if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return true;
    }
    if (pid < 0) {
      if (errno == EINTR) return true;
      if (errno == ECHILD) return false;
      throw Error(std::string("sweep: waitpid: ") + std::strerror(errno));
    }
    const auto it = children_.find(pid);
    if (it == children_.end()) return true;
    const Child c = it->second;
    children_.erase(it);
    record(c, status);
    return true;
  }

  const Sweep& sweep_;
  const RunnerOptions& options_;
  const ResultsLog& log_;
  Backlog backlog_;
  SweepOutcome& outcome_;
  const int ranks_;
  int workers_;  // other ranks not yet told to stop
  ProgressDisplay progress_;
  std::map<pid_t, Child> children_;  // runs of this rank, by process id
  std::map<int, Child> remote_;      // runs on other ranks, by rank
  std::size_t next_ = 0;             // the next pending run to hand out
  bool stopping_announced_ = false, killed_ = false;
};

}  // namespace

SweepOutcome run_sweep(const Sweep& sweep, const RunnerOptions& options) {
  create_sweep_folder(options.out);
  const FolderLock lock(options.out / ".lock");
  write_plan(sweep, options.out);
  const ResultsLog log(options.out / "results.jsonl");
  const std::size_t torn = log.repair();
  SweepOutcome outcome;
  outcome.planned = sweep.runs.size();
  Backlog backlog = backlog_of(sweep, options, log, outcome);
  // Over several MPI ranks (one per node, or per run slot) every rank runs one run at a time;
  // rank 0 also hands out the others' runs, as they ask (docs/SCALING.md).
  const int ranks = parallel::world().size();
  if (ranks > 1) keep_children_out_of_mpi();
  std::tie(outcome.runs_at_a_time, outcome.threads_per_run) =
      concurrency_of(sweep, options, ranks, backlog.pending.size());
  announce(sweep, options, outcome, ranks, torn > 0);
  const SignalScope signals;
  Scheduler(sweep, options, log, std::move(backlog), outcome).run();
  return outcome;
}

void run_sweep_worker(const Sweep& sweep, const RunnerOptions& options) {
  const parallel::Communicator& comm = parallel::world();
  keep_children_out_of_mpi();
  std::vector<double> report{-1.0};
  for (;;) {
    comm.send(report, 0, kTagReady);
    const std::vector<double> task = comm.receive(0, kTagAssign);
    if (task.empty() || task[0] < 0) return;
    const PlannedRun& r = sweep.runs.at(static_cast<std::size_t>(task[0]));
    const pid_t pid =
        start_child(options.executable,
                    fit_args(options.out, r, static_cast<std::size_t>(task[2]), task[1] > 0),
                    options.out / "logs" / (r.id + ".out"), options.out / "logs" / (r.id + ".err"));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) throw Error(std::string("sweep: waitpid: ") + std::strerror(errno));
    }
    report = {task[0], static_cast<double>(status)};
  }
}

}  // namespace kaa::sweep
