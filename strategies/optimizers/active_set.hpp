#pragma once
#include <memory>
#include <string>
#include <vector>
#include "framework/kernels/block_solver_workspace.hpp"

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/optimizer.hpp"
#include "framework/kernels/simplex_qp.hpp"

namespace kaa::strategies {

/// Archetypal analysis by exact active-set QPs (Chen, Mairal & Harchaoui, "Fast and robust
/// archetypal analysis for representation learning", CVPR 2014; SPAMS archetypalAnalysis, its
/// active-set phase), one alternation per step, Z = B X:
/// - A-step: every row of A exactly (the routine als_nnls uses, kernels/simplex_qp.hpp);
/// - B-step: block-coordinate over the archetypes in order; archetype l moves to the exact
///   minimiser with the others fixed: z_l = b_l X with b_l = argmin ||v_l - b X||^2 on the simplex,
///   v_l = z_l + (Q_l - H_l Z) / H_ll (H = A^T A, Q = A^T X; SPAMS forms v_l from the residual).
///   An archetype with H_ll < reset_threshold is moved to the worst-fitted data point (SPAMS).
/// Robust variant (huber_delta > 0, with the huber loss): the loss is sum_i h(||r_i||) and the
/// B-step minimises its IRLS majoriser, weights 1 / max(||r_i||, delta) from the residuals at the
/// start of the B-step (the A-step is unchanged: h is increasing in ||r_i||). Both variants never
/// increase their objective (except by a reset, which moves an archetype with almost no weight).
template <class S>
class ActiveSet final : public Optimizer<S> {
 public:
  static constexpr const char* name = "active_set";
  // Sample weights: H = A^T V A, Q = A^T V X (robust: V times the IRLS weights); zero-weight rows
  // never enter B.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "exact active-set QPs per row of weights and, archetype by archetype, of mixing weights "
      "(Chen, Mairal & Harchaoui 2014; robust Huber variant)";
  static constexpr unsigned blocks = bit(Block::weights) | bit(Block::mixing);
  struct Params {
    double huber_delta = 0.0;
    double reset_threshold = 1e-7;
  };
  static BoundSchema<Params> schema();
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);
  explicit ActiveSet(const Params& config);

  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  void init(const Matrix<S>& X, const Parameters<S>& params) override;
  void step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) override;
  // Each step is a closed-form function of the parameters: nothing to checkpoint.
  void save_state(SavedState&, const std::string&) const override {}
  void load_state(const SavedState&, const std::string&) override {}
  bool needs_gradient() const override { return false; }

  /// Archetypes reset since init().
  std::size_t resets() const { return resets_; }

 private:
  Params config_;
  std::unique_ptr<kernels::HullLeastSquares<S>> hull_;
  std::size_t resets_ = 0;
  Vector<double> irls_;      // n: IRLS weights of the robust variant
  Matrix<double> Z_device_;  // k x d: the archetypes in double
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
