#pragma once
#include <string>
#include <vector>
#include "framework/kernels/block_solver_workspace.hpp"

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/optimizer.hpp"
#include "framework/kernels/pcha.hpp"

namespace kaa::strategies {

/// Principal convex hull analysis (Mørup & Hansen, "Archetypal analysis for machine learning and
/// data mining", Neurocomputing 80, 2012; the update scheme of their PCHA code and of py_pcha),
/// one outer iteration per step, Z = diag(alpha) B X:
/// - B update (`inner_mixing` times): gradient of the SSE with respect to B, minus each row's
///   inner product with B (the normalisation-invariant direction), scaled by 1 / SST; trial
///   B = rows of max(B - mu g, 0) renormalised; accepted when the SSE does not rise (mu *= grow),
///   otherwise mu *= shrink and retried. With delta > 0 the archetype scales alpha_j in
///   [1 - delta, 1 + delta] get the same line search after every B update.
/// - A update (`inner_weights` times): the same scheme on A with gradient scaled by n / SST.
/// SSE = SST - 2 <A, X Z^T> + <A^T A, Z Z^T> in Gram form (the n x d residual is never formed);
/// step sizes persist between steps; the first step starts with `warmup` A updates (py_pcha
/// initialises S by 25). mixing rows hold diag(alpha) B, so they sum to alpha_j.
template <class S>
class Pcha final : public Optimizer<S> {
 public:
  static constexpr const char* name = "pcha";
  // Sample weights: weighted SST/SSE, H = A^T V A, Q = A^T V X, B directions scaled per row.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "Mørup & Hansen's PCHA: projected gradient with line search on weights and mixing weights, "
      "optional alpha relaxation";
  static constexpr unsigned blocks = bit(Block::weights) | bit(Block::mixing);
  struct Params {
    int inner_weights = 10;
    int inner_mixing = 10;
    int warmup = 25;
    double delta = 0.0;
    double initial_step = 1.0;
    double grow = 1.2;
    double shrink = 0.5;
    double accept_rtol = 0.0;
  };
  static BoundSchema<Params> schema();
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);
  explicit Pcha(const Params& config);

  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  void init(const Matrix<S>& X, const Parameters<S>& params) override;
  void step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) override;
  void save_state(SavedState& s, const std::string& prefix) const override {
    s.scalars[prefix] = {{"mu_weights", mu_weights_},
                         {"mu_mixing", mu_mixing_},
                         {"mu_alpha", mu_alpha_},
                         {"sst", sst_},
                         {"first_step", first_step_}};
  }
  void load_state(const SavedState& s, const std::string& prefix) override {
    const auto& j = s.scalars.at(prefix);
    mu_weights_ = j.at("mu_weights");
    mu_mixing_ = j.at("mu_mixing");
    mu_alpha_ = j.at("mu_alpha");
    sst_ = j.at("sst");
    first_step_ = j.at("first_step");
  }
  bool needs_gradient() const override { return false; }

  /// `iterations` A updates for the current archetypes (exposed for tests); returns the SSE.
  double update_weights(const Matrix<S>& X, Parameters<S>& params, int iterations);
  /// `iterations` B (and alpha) updates for the current weights; returns the SSE.
  double update_mixing(const Matrix<S>& X, Parameters<S>& params, int iterations);

 private:
  Params config_;
  double mu_weights_ = 1, mu_mixing_ = 1, mu_alpha_ = 1;
  double sst_ = 0;
  bool first_step_ = true;

  using HostMatrixView = Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace>;
  /// Sizes the workspace for n rows, k archetypes, d features (allocates only on a change).
  void fit_workspace(std::size_t n, std::size_t k, std::size_t d);
  kernels::PchaWorkspace work_;
  typename Matrix<double>::HostMirror mixing_host_, M_host_;
  typename Vector<double>::HostMirror scale_host_;
  HostMatrixView Z_host_, trial_Z_host_;  // k x d: archetypes and trial archetypes on the host
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
