#include "framework/kokkos_session.hpp"

#include <cstdlib>

#include <Kokkos_Core.hpp>

namespace kaa {

KokkosSession::KokkosSession(int threads) {
  // Kokkos warns on every start when OMP_PROC_BIND is unset; unbound threads are the safe choice on
  // shared machines, and a user who wants binding sets the variable.
  setenv("OMP_PROC_BIND", "false", 0);
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
