#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/dataset.hpp"
#include "framework/registry/registry.hpp"

namespace kaa::strategies {

/// A coreset of a source dataset for archetypal analysis (Mair & Brefeld, "Coresets for
/// Archetypal Analysis", NeurIPS 2019; the lightweight coreset of Bachem, Lucic & Krause, KDD
/// 2018): m rows drawn with replacement with probability
///   q(x) = u / n + (1 - u) d(x, mu)^2 / sum_x' d(x', mu)^2   (paper: u = 1/2),
/// mu the data's mean, each weighted 1 / (m q(x)), so the weighted RSS of the coreset is an
/// unbiased estimate of the full data's RSS for any archetypes. A weighted source counts row i
/// w_i times: n, mu and the sums are weighted, q(x_i) gets the factor w_i / sum w and the
/// coreset weight becomes w_i / (m q(x_i)). The full data travel in LoadedData::full for the
/// run's weights of all rows. m must be smaller than the source's row count (a coreset as large
/// as the data saves nothing; fit the source itself).
template <class S>
class Coreset final : public Dataset<S> {
 public:
  static constexpr const char* name = "coreset";
  static constexpr const char* summary =
      "m rows of a source dataset drawn by squared distance to the mean, weighted 1 / (m q)";
  struct Params {
    nlohmann::json source = nlohmann::json::object({{"type", "synthetic"}});
    std::size_t m = 1000;
    double uniform_share = 0.5;
  };
  static BoundSchema<Params> schema();
  Coreset(const Params& config, const Registry& registry);
  LoadedData load(std::uint64_t model_seed) override;

 private:
  std::unique_ptr<Dataset<S>> source_;
  Params config_;
};

namespace coreset {

/// q(x_i) for every row of X (sums to 1), rows weighted by `weights` (empty: all 1).
std::vector<double> probabilities(const HostMatrix& X, const std::vector<double>& weights,
                                  double uniform_share);

/// m row indices drawn with replacement from q: draw j inverts the cumulative sum of q at the
/// counter-based uniform (seed, stream, j), so the same seed gives the same rows everywhere.
std::vector<std::size_t> draw_rows(const std::vector<double>& q, std::size_t m, std::uint64_t seed);

}  // namespace coreset

}  // namespace kaa::strategies
