#include "strategies/datasets/coreset.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "framework/error.hpp"
#include "framework/kernels/counter_rng.hpp"

namespace kaa::strategies {

namespace coreset {

namespace {

/// The draws' stream: "coreset" in ASCII, apart from the initializers' small stream numbers
/// that share the model's seed.
constexpr std::uint64_t kDrawStream = 0x636f7265736574ULL;

double weight_of(const std::vector<double>& weights, std::size_t i) {
  return weights.empty() ? 1.0 : weights[i];
}

}  // namespace

std::vector<double> probabilities(const HostMatrix& X, const std::vector<double>& weights,
                                  double uniform_share) {
  const std::size_t n = X.rows, d = X.cols;
  double total_weight = 0;
  std::vector<double> mean(d, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weight_of(weights, i);
    total_weight += w;
    for (std::size_t f = 0; f < d; ++f) mean[f] += w * X(i, f);
  }
  if (!(total_weight > 0)) throw InputError("coreset: the source's row weights sum to zero");
  for (double& m : mean) m /= total_weight;
  std::vector<double> q(n);
  double total_spread = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double d2 = 0;
    for (std::size_t f = 0; f < d; ++f) d2 += (X(i, f) - mean[f]) * (X(i, f) - mean[f]);
    q[i] = weight_of(weights, i) * d2;
    total_spread += q[i];
  }
  // Every row at the mean: the distance term carries no information, only the uniform one.
  const double spread_share = total_spread > 0 ? 1.0 - uniform_share : 0.0;
  const double uniform = 1.0 - spread_share;
  for (std::size_t i = 0; i < n; ++i) {
    const double spread = total_spread > 0 ? q[i] / total_spread : 0.0;
    q[i] = uniform * weight_of(weights, i) / total_weight + spread_share * spread;
  }
  return q;
}

std::vector<std::size_t> draw_rows(const std::vector<double>& q, std::size_t m,
                                   std::uint64_t seed) {
  std::vector<double> cumulative(q.size());
  double sum = 0;
  for (std::size_t i = 0; i < q.size(); ++i) cumulative[i] = sum += q[i];
  std::vector<std::size_t> rows(m);
  for (std::size_t j = 0; j < m; ++j) {
    const double u = kernels::uniform01(seed, kDrawStream, j) * sum;
    // The first row whose cumulative sum exceeds u: rows with q = 0 are never drawn.
    const auto at = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    rows[j] = std::min(static_cast<std::size_t>(at - cumulative.begin()), q.size() - 1);
  }
  return rows;
}

}  // namespace coreset

template <class S>
auto Coreset<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.strategy("source", &Params::source, Kind::dataset)
      .doc("the dataset the coreset is drawn from (file, synthetic, ...), as /data would name it");
  s.integer("m", &Params::m)
      .required()
      .min(1)
      .doc("rows drawn (with replacement); must be smaller than the source's rows");
  s.number("uniform_share", &Params::uniform_share)
      .positive()
      .max(1)
      .doc(
          "share u of the uniform term in q = u / n + (1 - u) d(x, mean)^2 / sum d^2 (Mair & "
          "Brefeld: 1/2); u > 0 keeps every row drawable, so the estimate stays unbiased");
  return s;
}

template <class S>
Coreset<S>::Coreset(const Params& p, const Registry& registry)
    : source_(registry.make<Dataset, S>(p.source)), config_(p) {}

template <class S>
LoadedData Coreset<S>::load(std::uint64_t model_seed) {
  LoadedData source = source_->load(model_seed);
  const auto start = std::chrono::steady_clock::now();
  const std::size_t n = source.X.rows, d = source.X.cols, m = config_.m;
  if (m >= n) {
    throw InputError("coreset: m = " + std::to_string(m) + " is not smaller than the " +
                     std::to_string(n) + " rows of the source (" + source.description +
                     "); a coreset as large as the data saves nothing, fit the source itself");
  }
  if (!source.weights.empty() && source.weights.size() != n) {
    throw InputError("coreset: the source (" + source.description + ") has " +
                     std::to_string(source.weights.size()) + " row weights for " +
                     std::to_string(n) + " rows");
  }
  for (std::size_t i = 0; i < source.weights.size(); ++i) {
    if (!(source.weights[i] >= 0) || !std::isfinite(source.weights[i])) {
      throw InputError("coreset: row " + std::to_string(i + 1) + " of the source (" +
                       source.description + ") has weight " + std::to_string(source.weights[i]) +
                       "; weights must be finite and non-negative");
    }
  }
  const std::vector<double> q =
      coreset::probabilities(source.X, source.weights, config_.uniform_share);
  const std::vector<std::size_t> rows = coreset::draw_rows(q, m, model_seed);

  LoadedData out;
  out.X = HostMatrix(m, d);
  out.weights.resize(m);
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t i = rows[j];
    for (std::size_t f = 0; f < d; ++f) out.X(j, f) = source.X(i, f);
    const double w = source.weights.empty() ? 1.0 : source.weights[i];
    out.weights[j] = w / (static_cast<double>(m) * q[i]);
  }
  out.true_archetypes = std::move(source.true_archetypes);
  out.feature_names = std::move(source.feature_names);
  out.description = "coreset m=" + std::to_string(m) + " of " + source.description;
  // A coreset of a coreset stands for the innermost full data.
  out.full = source.full ? std::move(source.full)
                         : FullData{std::move(source.X), std::move(source.weights),
                                    std::move(source.description), 0.0};
  out.full->draw_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

template class Coreset<float>;
template class Coreset<double>;

}  // namespace kaa::strategies
