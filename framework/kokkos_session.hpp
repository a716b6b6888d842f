#pragma once
#include <string>

namespace kaa {

/// How this process chose its OpenMP wait policy and thread count (recorded in metrics.json).
struct ThreadPolicy {
  std::string wait_policy = "unset";    // OMP_WAIT_POLICY as the OpenMP runtime read it at start
  std::string wait_policy_set_by = "";  // "user" or "kaa" ("" when unset)
  std::string threads_set_by =
      "";               // "requested" (--threads), "OMP_NUM_THREADS", "idle cores", "all cores"
  int busy_cores = -1;  // other runnable tasks seen at start (-1: not looked at)
};

/// The choices of this process so far.
const ThreadPolicy& thread_policy();

/// Call first in main of a binary that fits: unless the user set OMP_WAIT_POLICY or
/// GOMP_SPINCOUNT, re-executes the binary with OMP_WAIT_POLICY=passive. libgomp reads the variable
/// when it is loaded, before main, so setting it in the process has no effect, and its default
/// (spinning up to ~0.3 ms at every barrier) makes threads that share busy cores steal each other's
/// time. Returns only when no re-execution happens (or it failed).
void wait_passively_by_default(char** argv);

/// Threads for a user who chose none: the cores of this process not taken by other runnable
/// tasks at start (at least 1), so a fit on a busy machine does not wait at every barrier for a
/// thread the scheduler has put aside. Every cpu of the machine must be allowed to this process
/// (the count of runnable tasks is machine-wide); otherwise all allowed cores. Results do not
/// depend on the thread count.
int threads_for_idle_cores();

/// Initialises Kokkos for the life of the object with `threads` host threads (0 = Kokkos's
/// default: all cores, or OMP_NUM_THREADS; with `use_idle_cores`, threads_for_idle_cores() unless
/// OMP_NUM_THREADS is set). Built from our own arguments, never from argv, because Kokkos 3.4
/// would claim --help and --threads for itself.
class KokkosSession {
 public:
  explicit KokkosSession(int threads = 0, bool use_idle_cores = false);
  ~KokkosSession();
  KokkosSession(const KokkosSession&) = delete;
  KokkosSession& operator=(const KokkosSession&) = delete;
};

}  // namespace kaa
