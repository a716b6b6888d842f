#pragma once

namespace kaa {

/// Initialises Kokkos for the life of the object with `threads` host threads (0 = Kokkos's
/// default: all cores, or OMP_NUM_THREADS). Built from our own arguments, never from argv, because
/// Kokkos 3.4 would claim --help and --threads for itself.
class KokkosSession {
 public:
  explicit KokkosSession(int threads = 0);
  ~KokkosSession();
  KokkosSession(const KokkosSession&) = delete;
  KokkosSession& operator=(const KokkosSession&) = delete;
};

}  // namespace kaa
