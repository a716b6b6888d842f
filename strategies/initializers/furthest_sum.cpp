#include "strategies/initializers/furthest_sum.hpp"

#include <algorithm>
#include <deque>

#include "framework/error.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/furthest_sum.hpp"
#include "framework/kernels/mixing.hpp"
#include "framework/kernels/row_copy.hpp"

namespace kaa::strategies {

template <class S>
auto FurthestSum<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("replacements", &Params::replacements)
      .non_negative()
      .doc(
          "passes, once k rows are chosen, that drop the oldest choice and add the best row "
          "(Mørup & Hansen's loop of k + 10 passes makes 11)");
  return s;
}

template <class S>
FurthestSum<S>::FurthestSum(const Params& p) : config_(p) {}

template <class S>
void FurthestSum<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  const std::size_t n = X.extent(0), k = params.archetypes.extent(0);
  if (k > n) {
    throw Error("furthest_sum: " + std::to_string(k) +
                " archetypes requested but the data have only " + std::to_string(n) + " rows");
  }
  Vector<double> sum("kaa::furthest_sum.sum", n);
  auto sum_host = Kokkos::create_mirror_view(sum);
  std::vector<char> available(n, 1);
  std::deque<std::size_t> set;

  std::size_t last = std::min(n - 1, static_cast<std::size_t>(kernels::uniform01(seed, 1, 0) * n));
  if (this->weighted_rows()) {
    // Sample weights: the start is drawn with probability w_i / sum w, and rows of weight zero
    // are never chosen (a positive weight changes no distance, hence no later choice).
    const auto w = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), this->row_weights().w);
    const double target = kernels::uniform01(seed, 1, 0) * this->row_weights().total;
    std::size_t positive = 0;
    double cumulative = 0;
    bool drawn = false;
    for (std::size_t i = 0; i < n; ++i) {
      available[i] = w(i) > 0;
      if (!available[i]) continue;
      ++positive;
      cumulative += w(i);
      if (!drawn) last = i;  // the last positive row when rounding leaves the target past the end
      drawn = drawn || cumulative > target;
    }
    if (positive < k) {
      throw InputError("furthest_sum: " + std::to_string(k) + " archetypes requested but only " +
                       std::to_string(positive) + " rows have a positive sample weight");
    }
  }
  set.push_back(last);
  available[last] = 0;
  const std::size_t passes = k > 1 ? k - 1 + static_cast<std::size_t>(config_.replacements) : 0;
  for (std::size_t pass = 1; pass <= passes; ++pass) {
    if (pass >= k) {  // the set is full: the oldest choice makes room
      kernels::add_row_distances(ExecSpace(), X, set.front(), -1.0, sum);
      available[set.front()] = 1;
      set.pop_front();
    }
    kernels::add_row_distances(ExecSpace(), X, last, 1.0, sum);
    // The search runs on the host, so the index does not depend on the thread count.
    Kokkos::deep_copy(sum_host, sum);
    std::size_t best = n;
    for (std::size_t i = 0; i < n; ++i)
      if (available[i] && (best == n || sum_host(i) > sum_host(best))) best = i;
    last = best;
    set.push_back(best);
    available[best] = 0;
  }
  chosen_.assign(set.begin(), set.end());

  for (std::size_t c = 0; c < k; ++c)
    kernels::copy_row(ExecSpace(), X, chosen_[c], params.archetypes, c, "kaa::furthest_sum.copy");
  if (params.has(Block::mixing)) kernels::set_mixing_one_hot(params.mixing, chosen_);
}

template class FurthestSum<float>;
template class FurthestSum<double>;

}  // namespace kaa::strategies
