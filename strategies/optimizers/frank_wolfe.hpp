#pragma once
#include <string>
#include <vector>
#include "framework/kernels/block_solver_workspace.hpp"

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/optimizer.hpp"
#include "framework/kernels/frank_wolfe.hpp"

namespace kaa::strategies {

/// Frank-Wolfe (conditional gradient) on the simplex rows of A and B (Bauckhage, Kersting, Hoppe &
/// Thurau, "Archetypal analysis as an autoencoder", 2015): each row moves toward the vertex e_j
/// of smallest gradient entry, w <- (1 - gamma) w + gamma e_j, so no projection is needed and rows
/// stay sparse.
/// - line_search "exact" (the loss must be exactly one reconstruction term): per step `inner` FW
///   steps on A (each row with its own exact step, the rows being independent), then `inner` on B
///   (one exact step for all rows, which are coupled through A^T A), gradients in Gram form.
/// - line_search "schedule": one step on A and B together along the model's gradient (any
///   differentiable loss), gamma = 2 / (t + 2), t = steps since init.
template <class S>
class FrankWolfe final : public Optimizer<S> {
 public:
  static constexpr const char* name = "frank_wolfe";
  // Sample weights: exact B steps with H = A^T V A, Q = A^T V X; zero-weight rows are never a
  // vertex.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "Frank-Wolfe vertex steps on the simplex rows of weights and mixing weights (Bauckhage et "
      "al. 2015)";
  static constexpr unsigned blocks = bit(Block::weights) | bit(Block::mixing);
  enum class LineSearch { exact, schedule };
  struct Params {
    LineSearch line_search = LineSearch::exact;
    int inner = 10;
  };
  static BoundSchema<Params> schema();
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);
  explicit FrankWolfe(const Params& config);

  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  void init(const Matrix<S>& X, const Parameters<S>& params) override;
  void step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) override;
  void save_state(SavedState& s, const std::string& prefix) const override {
    s.scalars[prefix + ".t"] = t_;
  }
  void load_state(const SavedState& s, const std::string& prefix) override {
    t_ = s.scalars.at(prefix + ".t").get<long long>();
  }
  /// Only the schedule needs the model's gradient; exact steps form their own.
  bool needs_gradient() const override { return !exact_; }

  /// `iterations` exact FW steps on every row of A for the current archetypes (exposed for tests).
  void update_weights(const Matrix<S>& X, Parameters<S>& params, int iterations);
  /// `iterations` exact FW steps on B for the current weights; refreshes Z = B X.
  void update_mixing(const Matrix<S>& X, Parameters<S>& params, int iterations);

 private:
  bool exact_;
  int inner_;
  long long t_ = 0;
  Vector<double> center_;
  typename Matrix<S>::HostMirror X_host_;
  /// Sizes the workspace for n rows, k archetypes, d features (allocates only on a change); the
  /// exact steps' scratch only when `exact`.
  void fit_workspace(std::size_t n, std::size_t k, std::size_t d, bool exact);
  kernels::FrankWolfeWorkspace work_;
  typename Matrix<double>::HostMirror Z_host_, M_host_;
  typename kernels::VertexIndex::HostMirror vertex_host_;
  std::vector<double> direction_;  // k x d: vertex rows minus archetypes
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
