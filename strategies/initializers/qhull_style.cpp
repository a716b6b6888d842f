#include "strategies/initializers/qhull_style.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/mixing.hpp"
#include "strategies/common/geometry/support.hpp"

namespace kaa::strategies {

template <class S>
auto QhullStyle<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("directions", &Params::directions)
      .min(0)
      .doc("random directions searched for hull vertices (plus the 2d coordinate directions)");
  return s;
}

template <class S>
QhullStyle<S>::QhullStyle(const Params& p) : config_(p) {}

template <class S>
void QhullStyle<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = params.archetypes.extent(0);
  if (k > n) {
    throw Error("qhull_style: " + std::to_string(k) +
                " archetypes requested but the data have only " + std::to_string(n) + " rows");
  }
  common::Support<S> support;
  support.bind(X);

  const std::size_t m = static_cast<std::size_t>(config_.directions) + 2 * d;
  HostMatrix U(m, d);
  const std::vector<double> normals = common::normal_draws(seed, 3, config_.directions * d);
  for (std::size_t i = 0; i < static_cast<std::size_t>(config_.directions); ++i) {
    double norm = 0;
    for (std::size_t f = 0; f < d; ++f) norm += normals[i * d + f] * normals[i * d + f];
    norm = std::sqrt(norm);
    for (std::size_t f = 0; f < d; ++f) U(i, f) = norm > 0 ? normals[i * d + f] / norm : 0.0;
  }
  for (std::size_t f = 0; f < d; ++f) {
    U(config_.directions + 2 * f, f) = 1.0;
    U(config_.directions + 2 * f + 1, f) = -1.0;
  }
  std::vector<double> top;
  support.extremes(U, vertices_, top);
  std::sort(vertices_.begin(), vertices_.end());
  vertices_.erase(std::unique(vertices_.begin(), vertices_.end()), vertices_.end());

  const std::size_t V = vertices_.size();
  chosen_.clear();
  if (V > k) {
    const HostMatrix P = support.rows(vertices_);
    std::vector<double> nearest(V, std::numeric_limits<double>::infinity());
    std::vector<bool> taken(V, false);
    std::size_t next = 0;
    for (std::size_t c = 0; c < k; ++c) {
      taken[next] = true;
      chosen_.push_back(vertices_[next]);
      const std::size_t from = next;
      double best = -1;
      for (std::size_t v = 0; v < V; ++v) {
        double dist = 0;
        for (std::size_t f = 0; f < d; ++f) dist += (P(v, f) - P(from, f)) * (P(v, f) - P(from, f));
        nearest[v] = std::min(nearest[v], dist);
        if (!taken[v] && nearest[v] > best) {
          best = nearest[v];
          next = v;
        }
      }
    }
  } else {
    chosen_ = vertices_;
    // Fill with distinct non-vertex rows by a partial Fisher-Yates shuffle.
    std::vector<long> pool;
    pool.reserve(n - V);
    for (std::size_t i = 0, v = 0; i < n; ++i) {
      if (v < V && vertices_[v] == static_cast<long>(i)) {
        ++v;
        continue;
      }
      pool.push_back(static_cast<long>(i));
    }
    for (std::size_t c = 0; chosen_.size() < k; ++c) {
      const std::size_t pick =
          c + static_cast<std::size_t>(kernels::uniform01(seed, 4, c) * (pool.size() - c));
      std::swap(pool[c], pool[std::min(pick, pool.size() - 1)]);
      chosen_.push_back(pool[c]);
    }
  }
  Kokkos::deep_copy(params.archetypes, to_device<S>(support.rows(chosen_), "kaa::qhull_style"));
  if (params.has(Block::mixing))
    kernels::set_mixing_one_hot(params.mixing,
                                std::vector<std::size_t>(chosen_.begin(), chosen_.end()));
}

template class QhullStyle<float>;
template class QhullStyle<double>;

}  // namespace kaa::strategies
