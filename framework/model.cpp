#include "framework/model.hpp"

#include <cmath>

#include "framework/config/config.hpp"
#include "framework/fit_state.hpp"
#include "framework/kernels/mixing.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa {

template <class S>
Model<S>::Model(const nlohmann::json& resolved, const Registry& registry)
    : n_archetypes_(model_settings(resolved).n_archetypes),
      n_column_archetypes_(model_settings(resolved).n_column_archetypes),
      blocks_(needed_blocks(resolved, registry)) {
  for (const auto& node : resolved.at("initializers"))
    initializers_.push_back(registry.make<Initializer, S>(node));
  for (const auto& node : resolved.at("loss")) losses_.push_back(registry.make<LossTerm, S>(node));
  optimizer_ = registry.make<Optimizer, S>(resolved.at("optimizer"));
  const auto& projectors = resolved.at("projectors");
  for (Block b : kBlocks) {
    if ((blocks_ & bit(b)) == 0) continue;
    const std::string key = to_string(b);
    projectors_[b] = registry.make<Projector, S>(
        projectors.contains(key) ? projectors.at(key) : nlohmann::json{{"type", "none"}});
  }
  for (const auto& node : resolved.value("hooks", nlohmann::json::array()))
    hooks_.push_back(registry.make<Hook, S>(node));
  for (const auto& node : resolved.at("stopping"))
    stopping_.push_back(registry.make<StoppingRule, S>(node));
  for (const auto& node : resolved.at("metrics"))
    metrics_.push_back(registry.make<Metric, S>(node));
  transformer_ = registry.make<Transformer, S>(resolved.at("transform"));

  if ((blocks_ & (bit(Block::column_mixing) | bit(Block::column_weights))) &&
      n_column_archetypes_ == 0) {
    throw ConfigError({"/model/n_column_archetypes: must be >= 1 for a model with column blocks"});
  }
  unsigned covered = 0;
  for (const auto& init : initializers_) covered |= init->blocks();
  // With mixing weights the archetypes are derived, so only B needs a start.
  const unsigned required =
      (blocks_ & bit(Block::mixing)) ? (blocks_ & ~bit(Block::archetypes)) : blocks_;
  for (Block b : kBlocks) {
    if ((required & bit(b)) && (covered & bit(b)) == 0) {
      const char* hint = b == Block::weights          ? "uniform_weights"
                         : b == Block::column_mixing  ? "column_variance_cosine"
                         : b == Block::column_weights ? "uniform_column_weights"
                                                      : "kmeans_pp";
      throw ConfigError({std::string("/initializers: nothing initialises the ") + to_string(b) +
                         " block (e.g. " + hint + ")"});
    }
  }
}

template <class S>
Parameters<S> Model<S>::allocate(std::size_t n, std::size_t d) const {
  return allocate_parameters<S>("kaa::params",
                                BlockShape{n, d, n_archetypes_, n_column_archetypes_, blocks_});
}

template <class S>
void Model<S>::derive_archetypes(const Matrix<S>& X, Parameters<S>& params) {
  if (params.has(Block::mixing))
    kernels::mixing_times_data(ExecSpace(), params.mixing, X, params.archetypes, mixing_workspace_);
}

template <class S>
void Model<S>::set_row_weights(const RowWeights& weights) {
  for (auto& init : initializers_) init->set_row_weights(weights);
  for (auto& term : losses_) term->set_row_weights(weights);
  optimizer_->set_row_weights(weights);
}

template <class S>
void Model<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  // Each initializer draws from its own stream, so adding one does not shift the others.
  for (std::size_t i = 0; i < initializers_.size(); ++i) {
    initializers_[i]->initialize(X, params, seed + 0x9e3779b97f4a7c15ULL * (i + 1));
  }
  derive_archetypes(X, params);
}

template <class S>
FitTrace Model<S>::fit(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed,
                       const ProgressCallback& progress, std::size_t progress_every) {
  initialize(X, params, seed);
  return iterate(X, params, progress, progress_every);
}

template <class S>
FitTrace Model<S>::iterate(const Matrix<S>& X, Parameters<S>& params,
                           const ProgressCallback& progress, std::size_t progress_every,
                           const CheckpointPolicy* checkpoint, const SavedState* resume) {
  Parameters<S> grad = allocate_like<S>("kaa::grad", params);
  prepare(X, params);
  // All of this fit's state; the strategies start theirs afresh in its constructor.
  FitState<S> fit(X, params, {*optimizer_, hooks_, stopping_});
  if (resume != nullptr) fit.load(*resume, params);

  HookContext<S> ctx{X,
                     params,
                     fit.updates(),
                     fit.losses(),
                     [this, &X](const Parameters<S>& p) { return objective(X, p); },
                     [this, &X, &params] { optimizer_->init(X, params); },
                     [&fit, &params] { return fit.restore_best(params); }};
  FitTrace trace;
  auto stop_with = [&](const std::optional<std::string>& reason, bool failure) {
    if (!reason) return false;
    trace.stop_reason = *reason;
    trace.diverged = failure;
    return true;
  };
  double last_checkpoint = fit.seconds();
  const bool with_gradient = optimizer_->needs_gradient();

  for (;;) {
    const double loss = with_gradient ? value_and_grad(X, params, grad) : objective(X, params);
    fit.record(loss, params);
    FitProgress state = fit.progress();
    // A non-finite objective is never a result, whatever rules the config names.
    if (!std::isfinite(loss)) {
      trace.stop_reason = "diverged: non-finite loss at update " + std::to_string(state.updates);
      trace.diverged = true;
      break;
    }
    bool stop = false;
    for (auto& rule : stopping_) {
      if (stop_with(rule->before_update(state), rule->is_failure())) {
        stop = true;
        break;
      }
    }
    if (stop) break;

    optimizer_->step(X, params, grad);
    for (auto& [block, projector] : projectors_)
      if (block != Block::archetypes || !params.has(Block::mixing))
        projector->project(params.block(block), X);
    derive_archetypes(X, params);
    fit.count_update();
    ctx.updates = fit.updates();
    for (auto& hook : hooks_) hook->after_update(ctx);
    state = fit.progress();
    if (progress && progress_every > 0 && state.updates % progress_every == 0)
      progress(state.updates, loss);

    for (auto& rule : stopping_) {
      if (stop_with(rule->after_update(state), rule->is_failure())) {
        stop = true;
        break;
      }
    }
    if (stop) break;
    if (checkpoint != nullptr && checkpoint->write) {
      const bool by_count =
          checkpoint->every_updates > 0 && state.updates % checkpoint->every_updates == 0;
      const bool by_time = checkpoint->every_seconds > 0 &&
                           fit.seconds() - last_checkpoint >= checkpoint->every_seconds;
      if (by_count || by_time) {
        SavedState saved;
        fit.save(saved, params);
        checkpoint->write(saved);
        last_checkpoint = fit.seconds();
      }
    }
  }
  if (trace.diverged) {
    fit.restore_best(params);
  } else {
    for (auto& hook : hooks_) hook->on_finish(ctx);
  }
  Kokkos::fence();
  trace.updates = fit.updates();
  trace.seconds = fit.seconds();
  trace.best_loss = fit.best_loss();
  trace.best_update = fit.best_update();
  trace.losses = fit.take_losses();
  return trace;
}

template <class S>
void Model<S>::prepare(const Matrix<S>& X, const Parameters<S>& params) {
  for (auto& term : losses_) term->prepare(X, params);
  optimizer_->prepare(X, params);
  for (auto& [block, projector] : projectors_) projector->prepare(X, params);
  for (auto& hook : hooks_) hook->prepare(X, params);
}

template <class S>
double Model<S>::value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                                Parameters<S>& grad) {
  for (Block b : kBlocks)
    if (grad.has(b)) Kokkos::deep_copy(grad.block(b), S(0));
  double loss = 0;
  for (auto& term : losses_) loss += term->value_and_grad(X, params, grad);
  if (parallel::distributed()) loss = sum_over_ranks(loss, &grad);
  if (params.has(Block::mixing)) {
    kernels::chain_to_mixing(ExecSpace(), grad.archetypes, X, grad.mixing);
    Kokkos::deep_copy(grad.archetypes, S(0));
  }
  return loss;
}

template <class S>
double Model<S>::objective(const Matrix<S>& X, const Parameters<S>& params) {
  double total = 0;
  for (auto& term : losses_) total += term->value(X, params);
  return parallel::distributed() ? sum_over_ranks(total, nullptr) : total;
}

template <class S>
double Model<S>::sum_over_ranks(double loss, Parameters<S>* grad) const {
  // The terms of a distributed loss are sums over this rank's rows (scaled by the global row
  // count), so the objective and the gradients of the replicated blocks are sums over ranks; the
  // row blocks (weights) are this rank's own. One message: [loss | grad of each replicated block].
  std::vector<Matrix<S>> replicated;
  if (grad != nullptr)
    for (Block b : {Block::archetypes, Block::column_mixing, Block::column_weights})
      if (grad->has(b)) replicated.push_back(grad->block(b));
  std::size_t size = 1;
  for (const auto& m : replicated) size += m.size();
  std::vector<double> buffer(size);
  buffer[0] = loss;
  std::vector<typename Matrix<S>::HostMirror> hosts;
  std::size_t at = 1;
  for (const auto& m : replicated) {
    hosts.push_back(Kokkos::create_mirror_view(m));
    Kokkos::deep_copy(hosts.back(), m);
    for (std::size_t e = 0; e < m.size(); ++e)
      buffer[at++] = static_cast<double>(hosts.back().data()[e]);
  }
  parallel::world().allreduce_sum(buffer.data(), buffer.size());
  at = 1;
  for (std::size_t r = 0; r < replicated.size(); ++r) {
    for (std::size_t e = 0; e < replicated[r].size(); ++e)
      hosts[r].data()[e] = static_cast<S>(buffer[at++]);
    Kokkos::deep_copy(replicated[r], hosts[r]);
  }
  return buffer[0];
}

template <class S>
void Model<S>::transform(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) {
  transformer_->solve(X, archetypes, weights);
}

template <class S>
Matrix<S> Model<S>::effective_archetypes(const Parameters<S>& params) {
  Matrix<S> out("kaa::effective_archetypes", params.archetypes.extent(0),
                params.archetypes.extent(1));
  for (auto& term : losses_)
    if (term->effective_archetypes(params, out)) return out;
  return params.archetypes;
}

template <class S>
std::vector<Artifact> Model<S>::artifacts(const Matrix<S>& X, const Parameters<S>& params) {
  std::vector<Artifact> out;
  for (auto& term : losses_) term->artifacts(X, params, out);
  return out;
}

template <class S>
void Model<S>::compute_metrics(const MetricInputs<S>& in, nlohmann::json& out) {
  MetricInputs<S> seen = in;
  seen.params.archetypes = effective_archetypes(in.params);
  for (auto& metric : metrics_) metric->compute(seen, out);
}

template class Model<float>;
template class Model<double>;

}  // namespace kaa
