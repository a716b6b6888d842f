#pragma once
#include <filesystem>
#include <string>

#include "framework/sweep/sweep_spec.hpp"

namespace kaa::sweep {

struct RunnerOptions {
  std::filesystem::path out;         // the sweep folder
  std::filesystem::path executable;  // the kaa binary each run is a child process of
  std::size_t concurrent_runs = 0;   // 0 = from the sweep file, else as many as the cores allow
  std::size_t threads_per_run = 0;   // 0 = from the sweep file, else cores / runs
  std::size_t max_threads = 0;       // cores the sweep may use (0 = all this process may use)
  bool retry_failed = false;         // re-run the runs recorded as failed or diverged
  bool quiet = false;
};

struct SweepOutcome {
  std::size_t planned = 0, skipped = 0, adopted = 0, ok = 0, failed = 0;
  std::size_t runs_at_a_time = 0, threads_per_run = 0;
  bool interrupted = false;
};

/// How many runs at a time and threads per run: as asked, but never more runs x threads than
/// `cores` (fewer concurrent runs first, then fewer threads).
std::pair<std::size_t, std::size_t> plan_concurrency(std::size_t cores, std::size_t runs,
                                                     std::size_t threads_per_run,
                                                     std::size_t total_runs);

/// The cores this process may run on (its CPU affinity), at least 1.
std::size_t available_cores();

/// Runs every planned run not yet in results.jsonl, each as `kaa fit` in a child process, and
/// records each finished one (ok, diverged or failed, with its error) as one row. A run folder
/// already complete for the same config (a run that finished while its sweep was killed) is
/// recorded without running it again. The first SIGINT stops launching and lets the runs in
/// flight finish; a second SIGINT, or SIGTERM, stops them too (they are re-run on resume). Then
/// `interrupted` is set. Throws kaa::Error when another sweep holds the folder.
/// Over several MPI ranks this is rank 0's part: it also hands the pending runs, one at a time,
/// to the ranks that ask (run_sweep_worker), runs one itself at a time, and alone writes
/// results.jsonl (the run folders must be on a file system every rank shares).
SweepOutcome run_sweep(const Sweep& sweep, const RunnerOptions& options);

/// The other ranks' part of an MPI sweep: asks rank 0 for a run, runs it (`kaa fit` in a child
/// process), reports its exit status, until rank 0 says stop. `sweep` must be the one rank 0 has.
void run_sweep_worker(const Sweep& sweep, const RunnerOptions& options);

}  // namespace kaa::sweep
