#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/artifact.hpp"
#include "framework/kernels/block_products.hpp"
#include "framework/registry/registry.hpp"

namespace kaa {

/// How a fit ended.
struct FitTrace {
  std::vector<double> losses;  // objective before each update (archetypax's loss_history)
  std::size_t updates = 0;
  std::string stop_reason;
  bool diverged = false;
  double seconds = 0.0;
  /// The lowest recorded loss and the update count at which the parameters had it. After a
  /// divergence the parameters are reset to these (they are never a result, but a diagnosis).
  double best_loss = 0.0;
  std::size_t best_update = 0;
};

/// When and where the loop saves its state so that a killed fit can be resumed exactly.
struct CheckpointPolicy {
  std::size_t every_updates = 0;  // 0 = not by count
  double every_seconds = 0.0;     // 0 = not by time
  std::function<void(const SavedState&)> write;
};

/// Called every `progress_every` updates with the update count and the latest loss.
using ProgressCallback = std::function<void(std::size_t updates, double loss)>;

/// The strategies of one resolved config, composed. Knows only the interfaces. Holds no state of
/// a fit: each fit's lives in its own FitState (framework/fit_state.hpp), so a Model may fit again.
template <class S>
class Model {
 public:
  Model(const nlohmann::json& resolved, const Registry& registry);

  std::size_t n_archetypes() const { return n_archetypes_; }
  /// The blocks this model optimises (bit set of Block).
  unsigned blocks() const { return blocks_; }
  /// Parameters of the right shapes for n x d data.
  Parameters<S> allocate(std::size_t n, std::size_t d) const;

  /// Runs the initializers, then the loop: evaluate loss and gradient, record the loss, step,
  /// project, run the hooks, ask the stopping rules.
  FitTrace fit(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed,
               const ProgressCallback& progress = {}, std::size_t progress_every = 0);

  /// Only the loop, from the given parameters (used when the start is known, e.g. in tests), or
  /// from a saved state (`resume`, which then also supplies the parameters). A checkpoint is this
  /// fit's FitState saved; a resume loads one.
  FitTrace iterate(const Matrix<S>& X, Parameters<S>& params, const ProgressCallback& progress = {},
                   std::size_t progress_every = 0, const CheckpointPolicy* checkpoint = nullptr,
                   const SavedState* resume = nullptr);

  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed);

  /// The data's per-row sample weights for the fits that follow (empty: every row once), handed
  /// to every initializer, loss term and optimizer.
  void set_row_weights(const RowWeights& weights);

  /// Lets every strategy of the loop size its workspaces for this data and these parameters
  /// (iterate() calls it before the first update).
  void prepare(const Matrix<S>& X, const Parameters<S>& params);
  /// The objective (sum of loss terms) at `params`.
  double objective(const Matrix<S>& X, const Parameters<S>& params);
  /// The objective and its gradient (zeroed first; the archetype part chained into mixing).
  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params, Parameters<S>& grad);

  /// Weights of the rows of X for fixed archetypes, by the configured transform strategy.
  void transform(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights);

  /// The archetypes whose convex combinations (rows of params.weights) reconstruct the data: a
  /// loss term's effective archetypes when one defines them (biarchetypal: Z theta gamma), else
  /// params.archetypes itself.
  Matrix<S> effective_archetypes(const Parameters<S>& params);

  /// The arrays the loss terms add to a finished fit's result (LossTerm::artifacts).
  std::vector<Artifact> artifacts(const Matrix<S>& X, const Parameters<S>& params);

  /// Runs the metrics; they see the effective archetypes as in.params.archetypes, so RSS and
  /// explained variance measure the model's actual reconstruction.
  void compute_metrics(const MetricInputs<S>& in, nlohmann::json& out);

 private:
  /// Z = B X when the archetypes are parameterised by mixing weights.
  void derive_archetypes(const Matrix<S>& X, Parameters<S>& params);
  /// In a distributed fit: `loss` and the replicated blocks of *grad (if given) summed over ranks.
  double sum_over_ranks(double loss, Parameters<S>* grad) const;

  std::size_t n_archetypes_, n_column_archetypes_;
  unsigned blocks_;
  std::vector<std::unique_ptr<Initializer<S>>> initializers_;
  std::vector<std::unique_ptr<LossTerm<S>>> losses_;
  std::unique_ptr<Optimizer<S>> optimizer_;
  std::map<Block, std::unique_ptr<Projector<S>>> projectors_;
  std::vector<std::unique_ptr<Hook<S>>> hooks_;
  std::vector<std::unique_ptr<StoppingRule<S>>> stopping_;
  std::vector<std::unique_ptr<Metric<S>>> metrics_;
  std::unique_ptr<Transformer<S>> transformer_;
  kernels::TransposedProductsWorkspace mixing_workspace_;
};

extern template class Model<float>;
extern template class Model<double>;

}  // namespace kaa
