// Each strategy on its own, at every size of the grid: loss terms (value and gradient), projectors
// (on the first block they apply to), optimizer steps, initializers and transforms. Loss terms,
// projectors, optimizers and transforms are discovered from the registry, so a new strategy gets
// its benchmarks without code here; one that needs a different config gets one line in kPatches.
#include <map>

#include "benchmarks/bench_common.hpp"

namespace kaa_bench {

namespace {

/// Config changes (JSON pointer -> replacement node, onto configs/base.json) a strategy needs to
/// be valid, e.g. a block solver that requires exactly the reconstruction loss:
///   {"my_solver", {{"/loss", {{{"type", "reconstruction"}}}}}},
const json kBlockSolver = {
    {"/initializers", {"uniform_weights", "furthest_sum"}},
    {"/loss", {{{"type", "reconstruction"}, {"reduction", "sum"}}}},
    {"/projectors", {{"weights", "none"}, {"archetypes", "none"}, {"mixing", "none"}}}};
const json kBiarchetypal = {
    {"/model/n_column_archetypes", 3},
    {"/initializers",
     {"uniform_weights", "uniform_column_weights", "kmeans_pp_mixing", "column_variance_cosine"}},
    {"/loss", {"biarchetypal_reconstruction"}},
    {"/projectors",
     {{"weights", "simplex_clamp"},
      {"archetypes", "none"},
      {"mixing", "simplex_clamp"},
      {"column_mixing", "column_simplex_clamp"},
      {"column_weights", "column_simplex_clamp"}}}};

const std::map<std::string, json> kPatches = {
    {"als_nnls", kBlockSolver},
    {"pcha", kBlockSolver},
    {"frank_wolfe", kBlockSolver},
    {"active_set", kBlockSolver},
    {"biarchetypal_reconstruction", kBiarchetypal},
    {"column_simplex_clamp", kBiarchetypal},
    {"column_entropy",
     {{"/model/n_column_archetypes", 3},
      {"/initializers", {"uniform_weights", "kmeans_pp", "uniform_column_weights"}},
      {"/projectors",
       {{"weights", "simplex_clamp"},
        {"archetypes", "knn_hull"},
        {"column_weights", "column_simplex_clamp"}}}}},
};

json patch_for(const std::string& name) {
  const auto it = kPatches.find(name);
  return it == kPatches.end() ? json::object() : it->second;
}

/// The problem with `node` as the strategy of `section`, or the config error as a message.
template <class S>
bool problem_with(benchmark::State& state, const std::string& name, json patch, Problem<S>& out) {
  try {
    out = make_problem<S>(state, patch);
    return true;
  } catch (const std::exception& e) {
    state.SkipWithError(
        ("config for " + name + " is invalid (add a line to kPatches): " + e.what()).c_str());
    return false;
  }
}

template <class S>
void loss_term(benchmark::State& state, const std::string& name) {
  json patch = patch_for(name);
  patch["/loss"] = json::array({{{"type", name}}});
  Problem<S> p;
  if (!problem_with(state, name, patch, p)) return;
  auto term = registry().make<kaa::LossTerm, S>(p.config.at("loss").at(0));
  kaa::Parameters<S> grad = kaa::allocate_like<S>("bench.grad", p.params);
  const double cpu = process_cpu_seconds();
  for (auto _ : state) {
    benchmark::DoNotOptimize(term->value_and_grad(p.X, p.params, grad));
    Kokkos::fence();
  }
  set_cpu_per_iteration(state, cpu);
  const double n = state.range(0), d = state.range(1), k = state.range(2);
  if (name == "reconstruction")
    set_rates<S>(state, n * d * sizeof(S) + 3 * n * k * sizeof(S), 4 * n * d * k);
  else
    set_rates<S>(state, 3 * n * k * sizeof(S), 0);
}

template <class S>
void projector(benchmark::State& state, const std::string& name) {
  const kaa::StrategyInfo* info = registry().find(kaa::Kind::projector, name);
  kaa::Block block = kaa::Block::weights;
  for (kaa::Block b : kaa::kBlocks)
    if (info->blocks & kaa::bit(b)) {
      block = b;
      break;
    }
  json patch = patch_for(name);
  patch[std::string("/projectors/") + kaa::to_string(block)] = {{"type", name}};
  Problem<S> p;
  if (!problem_with(state, name, patch, p)) return;
  auto proj =
      registry().make<kaa::Projector, S>(p.config.at("projectors").at(kaa::to_string(block)));
  kaa::Matrix<S>& target = p.params.block(block);
  // Each iteration projects the same (infeasible for the weights) input.
  kaa::Matrix<S> input("bench.input", target.extent(0), target.extent(1));
  if (block == kaa::Block::weights) {
    const std::size_t k = target.extent(1);
    Kokkos::parallel_for(
        "bench.weights_input", Kokkos::RangePolicy<kaa::ExecSpace>(0, target.extent(0)),
        KOKKOS_LAMBDA(const std::size_t i) {
          for (std::size_t j = 0; j < k; ++j)
            input(i, j) = static_cast<S>(2.0 * kaa::kernels::uniform01(7, 0, i * k + j) - 0.5);
        });
  } else {
    Kokkos::deep_copy(input, target);
  }
  const double cpu = process_cpu_seconds();
  for (auto _ : state) {
    state.PauseTiming();
    Kokkos::deep_copy(target, input);
    Kokkos::fence();
    state.ResumeTiming();
    proj->project(target, p.X);
    Kokkos::fence();
  }
  set_cpu_per_iteration(state, cpu);
  const double n = state.range(0), d = state.range(1), k = state.range(2);
  if (block == kaa::Block::weights)
    set_rates<S>(state, 2 * n * k * sizeof(S), 3 * n * k);
  else
    set_rates<S>(state, n * d * sizeof(S), 2 * n * d * k);
}

template <class S>
void optimizer_step(benchmark::State& state, const std::string& name) {
  json patch = patch_for(name);
  if (!patch.contains("/optimizer")) patch["/optimizer"] = {{"type", name}};
  Problem<S> p;
  if (!problem_with(state, name, patch, p)) return;
  auto optimizer = registry().make<kaa::Optimizer, S>(p.config.at("optimizer"));
  kaa::Parameters<S> grad = kaa::allocate_like<S>("bench.grad", p.params);
  if (optimizer->needs_gradient()) {
    for (const auto& node : p.config.at("loss"))
      registry().make<kaa::LossTerm, S>(node)->value_and_grad(p.X, p.params, grad);
  }
  optimizer->init(p.X, p.params);
  const double cpu = process_cpu_seconds();
  for (auto _ : state) {
    optimizer->step(p.X, p.params, grad);
    Kokkos::fence();
  }
  set_cpu_per_iteration(state, cpu);
  const double n = state.range(0), d = state.range(1), k = state.range(2);
  if (optimizer->needs_gradient())  // p, g, mu, nu read; p, mu, nu written
    set_rates<S>(state, 7 * (n * k + k * d) * sizeof(S), 12 * (n * k + k * d));
  else  // a block solver reads X at least once
    set_rates<S>(state, n * d * sizeof(S), 4 * n * d * k);
}

template <class S>
void initializer(benchmark::State& state, const std::string& name) {
  Problem<S> p = make_problem<S>(state);
  std::vector<std::string> issues;
  const json node = kaa::resolve_strategy_node(name, kaa::Kind::initializer, registry(),
                                               "/initializers/0", issues);
  auto init = registry().make<kaa::Initializer, S>(node);
  std::uint64_t seed = 1;
  const double cpu = process_cpu_seconds();
  for (auto _ : state) {
    init->initialize(p.X, p.params, seed++);
    Kokkos::fence();
  }
  set_cpu_per_iteration(state, cpu);
  const double n = state.range(0), d = state.range(1), k = state.range(2);
  if (name == "kmeans_pp")  // one pass over X per pick after the first
    set_rates<S>(state, (k - 1) * n * d * sizeof(S), 3 * (k - 1) * n * d);
  else
    set_rates<S>(state, n * k * sizeof(S), 0);
}

template <class S>
void transform(benchmark::State& state, const std::string& name) {
  Problem<S> p;
  if (!problem_with(state, name, {{"/transform", {{"type", name}}}}, p)) return;
  auto solver = registry().make<kaa::Transformer, S>(p.config.at("transform"));
  kaa::Matrix<S> W("bench.W", p.X.extent(0), p.params.archetypes.extent(0));
  const double cpu = process_cpu_seconds();
  for (auto _ : state) {
    solver->solve(p.X, p.params.archetypes, W);
    Kokkos::fence();
  }
  set_cpu_per_iteration(state, cpu);
  const double n = state.range(0), d = state.range(1), k = state.range(2);
  // Only the x Z^T part: the iterations per row depend on the data.
  set_rates<S>(state, n * d * sizeof(S) + n * k * sizeof(S), 2 * n * d * k);
}

template <class S>
void register_type() {
  const std::string t = type_name<S>();
  const auto& reg = registry();
  auto add = [](const std::string& family, const std::string& name, auto fn) {
    benchmark::RegisterBenchmark((family + "/" + name).c_str(), [fn, name](benchmark::State& s) {
      fn(s, name);
    })->Apply(sizes);
  };
  for (const auto& name : reg.names(kaa::Kind::loss)) add("loss<" + t + ">", name, loss_term<S>);
  for (const auto& name : reg.names(kaa::Kind::projector))
    if (name != "none") add("projector<" + t + ">", name, projector<S>);
  for (const auto& name : reg.names(kaa::Kind::optimizer))
    add("optimizer<" + t + ">", name, optimizer_step<S>);
  for (const std::string name : {"kmeans_pp", "uniform_weights"})
    add("initializer<" + t + ">", name, initializer<S>);
  for (const auto& name : reg.names(kaa::Kind::transform))
    add("transform<" + t + ">", name, transform<S>);
}

}  // namespace

void register_strategy_benchmarks() {
  register_type<float>();
  register_type<double>();
}

}  // namespace kaa_bench
