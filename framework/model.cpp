#include "framework/model.hpp"

#include <chrono>
#include <cmath>

namespace kaa {

template <class S>
Model<S>::Model(const nlohmann::json& resolved, const Registry& registry)
    : n_archetypes_(resolved.at("model").at("n_archetypes").get<std::size_t>()) {
  for (const auto& node : resolved.at("initializers"))
    initializers_.push_back(registry.make<Initializer, S>(node));
  for (const auto& node : resolved.at("loss")) losses_.push_back(registry.make<LossTerm, S>(node));
  optimizer_ = registry.make<Optimizer, S>(resolved.at("optimizer"));
  weight_projector_ = registry.make<Projector, S>(resolved.at("projectors").at("weights"));
  archetype_projector_ = registry.make<Projector, S>(resolved.at("projectors").at("archetypes"));
  for (const auto& node : resolved.at("stopping"))
    stopping_.push_back(registry.make<StoppingRule, S>(node));
  for (const auto& node : resolved.at("metrics"))
    metrics_.push_back(registry.make<Metric, S>(node));
  transformer_ = registry.make<Transformer, S>(resolved.at("transform"));

  unsigned covered = 0;
  for (const auto& init : initializers_) covered |= init->blocks();
  if ((covered & static_cast<unsigned>(Block::weights)) == 0)
    throw ConfigError({"/initializers: nothing initialises the weights (e.g. uniform_weights)"});
  if ((covered & static_cast<unsigned>(Block::archetypes)) == 0)
    throw ConfigError({"/initializers: nothing initialises the archetypes (e.g. kmeans_pp)"});
}

template <class S>
void Model<S>::initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) {
  // Each initializer draws from its own stream, so adding one does not shift the others.
  for (std::size_t i = 0; i < initializers_.size(); ++i) {
    initializers_[i]->initialize(X, params, seed + 0x9e3779b97f4a7c15ULL * (i + 1));
  }
}

template <class S>
FitTrace Model<S>::fit(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed,
                       const ProgressCallback& progress, std::size_t progress_every) {
  initialize(X, params, seed);
  return iterate(X, params, progress, progress_every);
}

template <class S>
FitTrace Model<S>::iterate(const Matrix<S>& X, Parameters<S>& params,
                           const ProgressCallback& progress, std::size_t progress_every) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  FitTrace trace;
  Parameters<S> grad = allocate_parameters<S>(
      "kaa::grad", params.weights.extent(0), params.weights.extent(1), params.archetypes.extent(1));
  optimizer_->init(params);
  FitProgress state{0, &trace.losses, 0.0};

  auto stop_with = [&](const std::optional<std::string>& reason, bool failure) {
    if (!reason) return false;
    trace.stop_reason = *reason;
    trace.diverged = failure;
    return true;
  };

  for (;;) {
    Kokkos::deep_copy(grad.weights, S(0));
    Kokkos::deep_copy(grad.archetypes, S(0));
    double loss = 0;
    for (auto& term : losses_) loss += term->value_and_grad(X, params, grad);
    trace.losses.push_back(loss);
    state.seconds = elapsed();
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

    optimizer_->step(params, grad);
    weight_projector_->project(params.weights, X);
    archetype_projector_->project(params.archetypes, X);
    ++state.updates;
    state.seconds = elapsed();
    if (progress && progress_every > 0 && state.updates % progress_every == 0)
      progress(state.updates, loss);

    for (auto& rule : stopping_) {
      if (stop_with(rule->after_update(state), rule->is_failure())) {
        stop = true;
        break;
      }
    }
    if (stop) break;
  }
  Kokkos::fence();
  trace.updates = state.updates;
  trace.seconds = elapsed();
  return trace;
}

template <class S>
double Model<S>::objective(const Matrix<S>& X, const Parameters<S>& params) {
  double total = 0;
  for (auto& term : losses_) total += term->value(X, params);
  return total;
}

template <class S>
void Model<S>::transform(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) {
  transformer_->solve(X, archetypes, weights);
}

template <class S>
void Model<S>::compute_metrics(const MetricInputs<S>& in, nlohmann::json& out) {
  for (auto& metric : metrics_) metric->compute(in, out);
}

template class Model<float>;
template class Model<double>;

}  // namespace kaa
