#include "strategies/initializers/kmeans_pp.hpp"

#include <limits>
#include <vector>

#include "framework/error.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/kmeans_pp.hpp"
#include "framework/kernels/mixing.hpp"
#include "framework/kernels/row_copy.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa::strategies {

namespace {

/// min_dist(i) <- min(min_dist(i), |X(i, :) - center|^2) over this rank's rows, then their sum,
/// taken on the host in row order: the same for any thread count.
template <class S>
double shrink_distances(const Matrix<S>& X, const kernels::Work& center,
                        const Vector<double>& min_dist,
                        const typename Vector<double>::HostMirror& min_dist_host) {
  const std::size_t n = X.extent(0);
  kernels::shrink_min_distances(ExecSpace(), X, center, min_dist);
  Kokkos::deep_copy(min_dist_host, min_dist);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += min_dist_host(i);
  return total;
}

/// With sample weights: mass(i) = w_i D^2_i (row i drawn as its w_i copies would be) and their
/// sum. `mass` is its own array: on a host backend min_dist_host is min_dist itself.
template <class S>
double weighted_distances(const Matrix<S>& X, const kernels::Work& center,
                          const Vector<double>& min_dist,
                          const typename Vector<double>::HostMirror& min_dist_host,
                          const typename Vector<double>::HostMirror& w, std::vector<double>& mass) {
  shrink_distances(X, center, min_dist, min_dist_host);
  double total = 0;
  for (std::size_t i = 0; i < mass.size(); ++i) total += (mass[i] = w(i) * min_dist_host(i));
  return total;
}

/// The first row whose running sum of `mass` passes `target`, skipping rows of zero mass (the
/// last such row when rounding left the target at or past the end); `n` when none has mass.
template <class Mass>
std::size_t draw_row(const Mass& mass, std::size_t n, double target, double start = 0) {
  double cumulative = start;
  std::size_t last_positive = n;
  for (std::size_t i = 0; i < n; ++i) {
    if (mass[i] <= 0) continue;
    last_positive = i;
    cumulative += mass[i];
    if (cumulative > target) return i;
  }
  return last_positive;
}

}  // namespace

template <class S>
Schema KmeansPP<S>::schema() {
  return Schema();
}

template <class S>
void KmeansPP<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  if (parallel::distributed()) {
    if (this->weighted_rows())
      throw parallel::AgreedError(
          "kmeans_pp: sample weights in a fit over several MPI ranks are not supported; run it "
          "on one rank",
          2);
    initialize_distributed(X, params, seed);
    return;
  }
  const std::size_t n = X.extent(0), d = X.extent(1), k = params.archetypes.extent(0);
  if (k > n) {
    throw Error("kmeans_pp: " + std::to_string(k) +
                " archetypes requested but the data have only " + std::to_string(n) + " rows");
  }
  Vector<double> min_dist("kaa::kmeans_pp.min_dist", n);
  Kokkos::deep_copy(min_dist, std::numeric_limits<double>::max());
  auto min_dist_host = Kokkos::create_mirror_view(min_dist);
  const Matrix<S> Z = params.archetypes;
  kernels::Work center("kaa::kmeans_pp.center", 1, kernels::padded(d));

  chosen_.clear();
  // Sample weights: the first row is drawn with probability w_i / sum w, the next ones by w_i D^2,
  // so a zero-weight row is never chosen (unweighted: uniform, then D^2, as before).
  typename Vector<double>::HostMirror w_host;
  std::vector<double> mass;
  if (this->weighted_rows()) {
    w_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), this->row_weights().w);
    mass.resize(n);
  }
  std::size_t next =
      w_host.data() == nullptr
          ? static_cast<std::size_t>(kernels::uniform01(seed, 1, 0) * n)
          : draw_row(w_host, n, kernels::uniform01(seed, 1, 0) * this->row_weights().total);
  for (std::size_t c = 0;; ++c) {
    chosen_.push_back(next);
    kernels::copy_row(ExecSpace(), X, next, Z, c, "kaa::kmeans_pp.copy");
    if (c + 1 == k) break;
    // One pass over X per pick (O(n k d) in all); the pick as a padded double row.
    kernels::copy_row_to_double(ExecSpace(), X, next, center, "kaa::kmeans_pp.center");
    // Sequential sum and search on the host: the same index for any thread count.
    const double total = mass.empty()
                             ? shrink_distances(X, center, min_dist, min_dist_host)
                             : weighted_distances(X, center, min_dist, min_dist_host, w_host, mass);
    if (!(total > 0)) {
      throw InputError("kmeans_pp: only " + std::to_string(c + 1) +
                       " distinct rows found, fewer than the " + std::to_string(k) +
                       " archetypes requested");
    }
    const double target = kernels::uniform01(seed, 1, c + 1) * total;
    next = mass.empty() ? draw_row(min_dist_host, n, target) : draw_row(mass, n, target);
  }
  if (params.has(Block::mixing)) kernels::set_mixing_one_hot(params.mixing, chosen_);
}

template <class S>
void KmeansPP<S>::initialize_distributed(const Matrix<S>& X, Parameters<S>& params,
                                         std::uint64_t seed) {
  // The same draws as initialize(), from the same stream, over the global row order: the D^2
  // weights' running sum is this rank's partial sums in rank order (gathered, so every rank sees
  // the same numbers), the rank where it passes the target finds the row in its block and sends
  // it to all. Only R + d + 1 values cross per pick. Sums differ from one rank's in the last bits,
  // which changes a pick only when the target falls within rounding of a boundary.
  const parallel::Communicator& comm = parallel::world();
  const int ranks = comm.size(), me = comm.rank();
  const std::size_t n = X.extent(0), d = X.extent(1), k = params.archetypes.extent(0);
  const std::size_t total_rows = parallel::global_rows(n), offset = parallel::row_offset();
  if (k > total_rows) {
    throw Error("kmeans_pp: " + std::to_string(k) +
                " archetypes requested but the data have only " + std::to_string(total_rows) +
                " rows");
  }
  Vector<double> min_dist("kaa::kmeans_pp.min_dist", n);
  Kokkos::deep_copy(min_dist, std::numeric_limits<double>::max());
  auto min_dist_host = Kokkos::create_mirror_view(min_dist);
  const Matrix<S> Z = params.archetypes;
  auto Z_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Z);
  kernels::Work center("kaa::kmeans_pp.center", 1, kernels::padded(d));
  auto center_host = Kokkos::create_mirror_view(center);
  auto X_host_row = [&](std::size_t local, std::vector<double>& out) {
    auto row = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(),
                                                   Kokkos::subview(X, local, Kokkos::ALL()));
    for (std::size_t f = 0; f < d; ++f) out[1 + f] = static_cast<double>(row(f));
  };
  // [global index | row values], sent by the rank that owns the row.
  std::vector<double> pick(1 + d, 0.0);
  auto owner_of = [&](std::size_t global) {
    for (int r = 0; r < ranks; ++r)
      if (global < parallel::block_of(total_rows, r, ranks).end) return r;
    return ranks - 1;
  };

  chosen_.clear();
  std::size_t next = static_cast<std::size_t>(kernels::uniform01(seed, 1, 0) * total_rows);
  int owner = owner_of(next);
  if (owner == me) {
    pick[0] = static_cast<double>(next);
    X_host_row(next - offset, pick);
  }
  comm.broadcast(pick.data(), pick.size(), owner);
  for (std::size_t c = 0;; ++c) {
    next = static_cast<std::size_t>(pick[0]);
    chosen_.push_back(next);
    for (std::size_t f = 0; f < d; ++f) {
      Z_host(c, f) = static_cast<S>(pick[1 + f]);
      center_host(0, f) = pick[1 + f];
    }
    if (c + 1 == k) break;
    Kokkos::deep_copy(center, center_host);
    const double mine = shrink_distances(X, center, min_dist, min_dist_host);
    const std::vector<double> partial = comm.allgather(&mine, 1);
    double total = 0;
    for (double p : partial) total += p;
    if (!(total > 0)) {
      // Decided from the gathered sums, so every rank throws it here: one message, no abort.
      throw parallel::AgreedError("kmeans_pp: only " + std::to_string(c + 1) +
                                      " distinct rows found, fewer than the " + std::to_string(k) +
                                      " archetypes requested",
                                  2);
    }
    const double target = kernels::uniform01(seed, 1, c + 1) * total;
    // The rank whose block the running sum passes the target in; rounding may leave the target
    // at or past the end, then the last rank with weight takes its last positive row.
    double before = 0;
    owner = -1;
    int last_with_weight = 0;
    for (int r = 0; r < ranks; ++r) {
      if (partial[r] > 0) last_with_weight = r;
      if (owner < 0 && partial[r] > 0 && before + partial[r] > target) owner = r;
      if (owner < 0) before += partial[r];
    }
    if (owner < 0) {
      owner = last_with_weight;
      before = 0;
      for (int r = 0; r < owner; ++r) before += partial[r];
    }
    if (owner == me) {
      const std::size_t local = draw_row(min_dist_host, n, target, before);
      pick[0] = static_cast<double>(offset + local);
      X_host_row(local, pick);
    }
    comm.broadcast(pick.data(), pick.size(), owner);
  }
  Kokkos::deep_copy(Z, Z_host);
}

template class KmeansPP<float>;
template class KmeansPP<double>;

}  // namespace kaa::strategies
