#include "framework/kokkos_session.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include <Kokkos_Core.hpp>

namespace kaa {

namespace {

/// Set in the environment of the re-executed binary: the wait policy there is kaa's choice.
constexpr const char* kChosenByKaa = "KAA_CHOSE_OMP_WAIT_POLICY";

ThreadPolicy& policy() {
  static ThreadPolicy p;
  return p;
}

/// procs_running of /proc/stat: runnable tasks on the whole machine, this one included; -1 when
/// unreadable.
int running_tasks() {
  std::ifstream in("/proc/stat");
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == "procs_running" && in >> value) return static_cast<int>(value);
    in.ignore(1 << 20, '\n');
  }
  return -1;
}

}  // namespace

const ThreadPolicy& thread_policy() {
  ThreadPolicy& p = policy();
  if (const char* w = std::getenv("OMP_WAIT_POLICY")) {
    p.wait_policy = w;
    const char* mark = std::getenv(kChosenByKaa);
    p.wait_policy_set_by = mark && p.wait_policy == mark ? "kaa" : "user";
  }
  return p;
}

void wait_passively_by_default(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
  setenv("OMP_WAIT_POLICY", "passive", 1);
  setenv(kChosenByKaa, "passive", 1);
  ::execv("/proc/self/exe", argv);
  // Not re-executed (no /proc): the runtime keeps its default, and metrics.json must say so.
  unsetenv("OMP_WAIT_POLICY");
  unsetenv(kChosenByKaa);
}

int threads_for_idle_cores() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  const int allowed = sched_getaffinity(0, sizeof mask, &mask) == 0
                          ? CPU_COUNT(&mask)
                          : static_cast<int>(std::thread::hardware_concurrency());
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  if (allowed < 1) return 1;
  if (online != allowed) return allowed;
  // The fewest of a few looks: compilers and short jobs come and go, busy neighbours stay.
  int fewest = -1;
  for (int look = 0; look < 3; ++look) {
    if (look) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const int running = running_tasks();
    if (running < 0) return allowed;
    fewest = fewest < 0 ? running : std::min(fewest, running);
  }
  policy().busy_cores = std::max(0, fewest - 1);
  return std::clamp(allowed - policy().busy_cores, 1, allowed);
}

KokkosSession::KokkosSession(int threads, bool use_idle_cores) {
  // Kokkos warns on every start when OMP_PROC_BIND is unset; unbound threads are the safe choice on
  // shared machines, and a user who wants binding sets the variable.
  setenv("OMP_PROC_BIND", "false", 0);
  ThreadPolicy& p = policy();
  if (threads > 0) {
    p.threads_set_by = "requested";
  } else if (std::getenv("OMP_NUM_THREADS")) {
    p.threads_set_by = "OMP_NUM_THREADS";
  } else if (use_idle_cores) {
    threads = threads_for_idle_cores();
    p.threads_set_by = "idle cores";
  } else {
    p.threads_set_by = "all cores";
  }
#if KOKKOS_VERSION >= 30700
  Kokkos::InitializationSettings settings;
  if (threads > 0) settings.set_num_threads(threads);
  Kokkos::initialize(settings);
#else
  Kokkos::InitArguments args;
  args.num_threads = threads > 0 ? threads : -1;
  Kokkos::initialize(args);
#endif
}

KokkosSession::~KokkosSession() { Kokkos::finalize(); }

}  // namespace kaa
