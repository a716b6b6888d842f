#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/hook.hpp"
#include "framework/kernels/biarchetype.hpp"

namespace kaa::strategies {

/// archetypax's BiarchetypalAnalysis archetype projection (project_row_archetypes and
/// project_col_archetypes), after every `every`-th update starting with the first, and once more
/// when the fit ends:
/// - rows: for each row archetype z_j = beta_j X, u = (z_j - c) / ||z_j - c|| with c the mean
///   row; the m' = min(top_k, n / top_k_divisor + top_k_offset) rows with the largest (x_i - c).u
///   get softmax weights of those projections; beta_j <- mix * multihot + (1 - mix) * beta_j, then
///   max(eps, .) and renormalised (uniform if the sum is below eps);
/// - columns: the same in the transposed space with theta's columns: u = X theta_t - r (r = the
///   mean of each row over the features), features projected uncentred, x_:f . u, over the
///   min(top_k, d / top_k_divisor + top_k_offset) features.
/// A direction of norm <= eps is replaced by a fixed Gaussian vector / sqrt(length) (archetypax:
/// the same fixed-key draw; the values differ). The archetypes are re-derived as beta X after.
template <class S>
class BiarchetypeProjection final : public Hook<S> {
 public:
  static constexpr const char* name = "biarchetype_projection";
  static constexpr const char* summary =
      "every N updates pull beta rows and theta columns toward softmax-weighted extreme points";
  struct Params {
    long long every = 10;
    double mix = 0.8;
    long long top_k = 5;
    long long top_k_divisor = 10;
    long long top_k_offset = 2;
    double eps = 1e-10;
    bool rows = true;
    bool columns = true;
    bool final = true;
  };
  static BoundSchema<Params> schema();
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);
  explicit BiarchetypeProjection(const Params& config);

  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  void after_update(HookContext<S>& ctx) override;
  void on_finish(HookContext<S>& ctx) override;

  /// One projection of the mixing rows and/or column mixing columns (as configured).
  void apply(const Matrix<S>& X, Parameters<S>& params);

 private:
  Params config_;
  kernels::BiarchetypeWorkspace workspace_;
};

}  // namespace kaa::strategies
