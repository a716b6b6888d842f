#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/loss_term.hpp"
#include "framework/kernels/ordered_sum.hpp"

namespace kaa::strategies {

/// weight * (1/d) sum_f H(gamma_:f), H(g) = -sum_t g_t log(g_t + eps): the entropy of the columns
/// of the biarchetypal column weights gamma (kc x d), archetypax's BiarchetypalAnalysis term. The
/// positive default weight (archetypax: lambda_reg 0.01) penalises entropy, i.e. pushes each
/// column toward sparse; `entropy` is the same on the rows of the weights.
template <class S>
class ColumnEntropy final : public LossTerm<S> {
 public:
  static constexpr const char* name = "column_entropy";
  // Sums over gamma's columns (features), not rows: sample weights do not change it.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "weight x mean column entropy of the column weights gamma, -sum g log(g + eps)";
  static constexpr unsigned blocks = static_cast<unsigned>(Block::column_weights);
  struct Params {
    double weight = 0.01;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);
  explicit ColumnEntropy(const Params& config);

  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                        Parameters<S>& grad) override;
  double value(const Matrix<S>& X, const Parameters<S>& params) override;

 private:
  Params config_;
  kernels::OrderedSumWorkspace sums_;
};

}  // namespace kaa::strategies
