#pragma once
#include <filesystem>
#include <string>

#include "framework/sweep/sweep_spec.hpp"

namespace kaa::sweep {

struct RunnerOptions {
  std::filesystem::path out;         // the sweep folder
  std::filesystem::path executable;  // the kaa binary each run is a child process of
  std::size_t concurrent_runs = 0;   // 0 = from the sweep, else from the cores
  std::size_t threads_per_run = 0;   // 0 = from the sweep, else cores / runs
  std::size_t max_threads = 0;       // cores the sweep may use (0 = all)
  bool quiet = false;
};

struct SweepOutcome {
  std::size_t planned = 0, skipped = 0, ok = 0, failed = 0;
  bool interrupted = false;
};

/// Runs every planned run not yet in results.jsonl, each as `kaa fit` in a child process, never
/// more runs x threads than the cores. Finished runs (ok, diverged or failed) are recorded one
/// row each; SIGINT/SIGTERM stop launching, stop the runs in flight (they are re-run on resume)
/// and return with `interrupted`.
SweepOutcome run_sweep(const Sweep& sweep, const RunnerOptions& options);

}  // namespace kaa::sweep
