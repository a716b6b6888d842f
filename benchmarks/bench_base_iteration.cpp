// One update of the base model (configs/base.json) exactly as Model::iterate performs it: zero
// the gradients, every loss term's value and gradient, keep the best parameters, the Adam step,
// then both projections (simplex clamp on the weights, kNN hull on the archetypes).
#include "benchmarks/bench_common.hpp"
#include "framework/kernels/block_copy.hpp"

namespace kaa_bench {

namespace {

template <class S>
void base_iteration(benchmark::State& state) {
  Problem<S> p = make_problem<S>(state);
  const auto& reg = registry();
  std::vector<std::unique_ptr<kaa::LossTerm<S>>> losses;
  for (const auto& node : p.config.at("loss")) losses.push_back(reg.make<kaa::LossTerm, S>(node));
  auto optimizer = reg.make<kaa::Optimizer, S>(p.config.at("optimizer"));
  const auto& proj = p.config.at("projectors");
  auto project_weights = reg.make<kaa::Projector, S>(proj.at("weights"));
  auto project_archetypes = reg.make<kaa::Projector, S>(proj.at("archetypes"));
  kaa::Parameters<S> grad = kaa::allocate_like<S>("bench.grad", p.params);
  kaa::Parameters<S> best = kaa::allocate_like<S>("bench.best", p.params);
  optimizer->init(p.X, p.params);

  const double cpu = process_cpu_seconds();
  for (auto _ : state) {
    // As Model::value_and_grad and FitState::record do.
    kaa::kernels::fill_block(kaa::ExecSpace(), grad.weights, S(0));
    kaa::kernels::fill_block(kaa::ExecSpace(), grad.archetypes, S(0));
    double loss = 0;
    for (auto& term : losses) loss += term->value_and_grad(p.X, p.params, grad);
    kaa::kernels::copy_blocks(kaa::ExecSpace(), p.params, best);
    optimizer->step(p.X, p.params, grad);
    project_weights->project(p.params.weights, p.X);
    project_archetypes->project(p.params.archetypes, p.X);
    Kokkos::fence();
    benchmark::DoNotOptimize(loss);
  }
  set_cpu_per_iteration(state, cpu);
  const double n = state.range(0), d = state.range(1), k = state.range(2);
  // The least the update must do: X read twice (loss and gradients; distances to the new
  // archetypes); A, its gradient and the Adam moments read and written (9 n k values); 4 n d k
  // multiply-adds (A Z, the residual times Z^T, A^T times the residual, the distances).
  set_rates<S>(state, (2 * n * d + 9 * n * k) * sizeof(S), 8 * n * d * k);
}

BENCHMARK(base_iteration<float>)->Apply(sizes);
BENCHMARK(base_iteration<double>)->Apply(sizes);

}  // namespace

}  // namespace kaa_bench
