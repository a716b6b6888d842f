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

/// Cutler & Breiman's alternating least squares ("Archetypal analysis", Technometrics 36(4),
/// 1994), one alternation per step, archetypes parameterised as Z = B X:
/// - A-step: every row of A exactly, min_{a on the simplex} ||x_i - a Z||^2 (active set,
///   kernels/simplex_qp.hpp; Cutler & Breiman used NNLS with a heavily weighted sum-to-one row);
/// - B-step in the classic form: the unconstrained least-squares archetypes
///   T = (A^T A)^-1 A^T X, then each row of B exactly, min_{b on the simplex} ||t_j - b X||^2.
/// Projecting each target separately ignores the coupling through A^T A, so that B-step can raise
/// the RSS; with `safeguard` the new B is then blended with the old one at the exact minimiser of
/// the RSS on the segment between them, so the RSS never increases.
template <class S>
class AlsNnls final : public Optimizer<S> {
 public:
  static constexpr const char* name = "als_nnls";
  // Sample weights: H = A^T V A, Q = A^T V X; zero-weight rows never enter B.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "Cutler & Breiman alternating least squares: exact simplex LS for the weights, then for the "
      "mixing weights of the LS archetypes";
  static constexpr unsigned blocks = bit(Block::weights) | bit(Block::mixing);
  struct Params {
    bool safeguard = true;
  };
  static BoundSchema<Params> schema();
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);
  explicit AlsNnls(const Params& config);

  void init(const Matrix<S>& X, const Parameters<S>& params) override;
  void step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) override;
  // Each step is a closed-form function of the parameters: nothing to checkpoint.
  void save_state(SavedState&, const std::string&) const override {}
  void load_state(const SavedState&, const std::string&) override {}
  bool needs_gradient() const override { return false; }

  /// B-steps the safeguard shortened since init().
  std::size_t safeguarded() const { return safeguarded_; }

 private:
  Params config_;
  std::unique_ptr<kernels::HullLeastSquares<S>> hull_;
  std::size_t safeguarded_ = 0;
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
