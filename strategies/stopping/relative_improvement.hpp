#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/stopping_rule.hpp"

namespace kaa::strategies {

/// archetypax's BiarchetypalAnalysis convergence test. With L_t the loss before update t (0-based)
/// and t the update just made:
///   rel = (L_{t-1} - L_t) / (L_{t-1} + eps);
///   ma  = (P - A) / (P + eps), A = mean of the last `window` losses, P = the same one update
///         earlier (at t == window archetypax uses L_{window-2}; before that ma = rel);
/// it stops once t > start and both are below tol. archetypax compares the signed values, so a
/// rising loss (both negative) also "converges"; here |rel| < tol and |ma| < tol are required
/// unless `accept_rising` reproduces the defect.
template <class S>
class RelativeImprovement final : public StoppingRule<S> {
 public:
  static constexpr const char* name = "relative_improvement";
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "stop when the relative and moving-average improvements are both below tol";
  struct Params {
    double tol = 1e-6;
    long long start = 20;
    long long window = 10;
    double eps = 1e-10;
    bool accept_rising = false;
  };
  static BoundSchema<Params> schema();
  explicit RelativeImprovement(const Params& config);

  std::optional<std::string> after_update(const FitProgress& p) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
