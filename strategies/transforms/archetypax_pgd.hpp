#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/transformer.hpp"

namespace kaa::strategies {

/// archetypax 0.1.2 ArchetypalAnalysis.transform: from uniform weights, `steps` steps of
/// w <- w + lr * 2 (x - w Z) Z^T, then w <- max(eps, w) / sum (uniform again if the sum <= eps).
/// A fixed budget, not a solve: weights are generally not optimal.
template <class S>
class ArchetypaxPgd final : public Transformer<S> {
 public:
  static constexpr const char* name = "archetypax_pgd";
  static constexpr const char* summary =
      "archetypax's transform: fixed-step projected gradient from uniform";
  struct Params {
    long steps = 100;
    double learning_rate = 0.01;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit ArchetypaxPgd(const Params& config);
  void solve(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
