// optax_chain: the schedule against hand-computed values of optax's linear warm-up joined to its
// exponential decay, one step against a hand computation of the chain (clip, global norm, Adam,
// decayed weights, schedule), many steps against a host transcription, descent by default and
// ascent only through archetypax_ascent.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "framework/host_transfer.hpp"
#include "strategies/optimizers/optax_chain.hpp"

#include "tests/strategies/make_strategy.hpp"

namespace {

using kaa::Block;
using kaa::HostMatrix;
using kaa::strategies::OptaxChain;
using kaa_test::make;
using nlohmann::json;

TEST(OptaxChain, ScheduleMatchesHandComputedValues) {
  auto chain = make<OptaxChain, double>();  // archetypax: lr 0.001, peak 5e-5
  // Warm-up: 5e-5 * t / 20 (optax.linear_schedule from 0).
  EXPECT_EQ(chain.schedule(0), 0.0);
  EXPECT_NEAR(chain.schedule(5), 1.25e-5, 1e-20);
  EXPECT_NEAR(chain.schedule(19), 4.75e-5, 1e-20);
  // Decay from the boundary: 5e-5 * 0.95^((t - 20) / 100) (values by hand: python3).
  EXPECT_NEAR(chain.schedule(20), 5e-5, 1e-20);
  EXPECT_NEAR(chain.schedule(70), 4.873397172404482e-05, 1e-19);
  EXPECT_NEAR(chain.schedule(120), 4.75e-05, 1e-19);
  EXPECT_NEAR(chain.schedule(170), 4.629727313784258e-05, 1e-19);
  // The floor: 5e-5 * 0.95^p < 1e-6 once p > log(0.02) / log(0.95) = 76.27.
  EXPECT_GT(chain.schedule(20 + 7600), 1e-6);
  EXPECT_EQ(chain.schedule(20 + 7700), 1e-6);
  EXPECT_EQ(chain.schedule(1000000), 1e-6);

  auto stairs = make<OptaxChain, double>({{"staircase", true}});
  EXPECT_NEAR(stairs.schedule(170), 4.75e-05, 1e-19);  // floor(1.5) = 1 transition
  EXPECT_NEAR(stairs.schedule(119), 5e-5, 1e-20);

  auto custom = make<OptaxChain, double>({{"learning_rate", 0.2},
                                          {"peak_factor", 0.5},
                                          {"warmup_init", 0.01},
                                          {"warmup_steps", 4},
                                          {"decay_rate", 0.5},
                                          {"transition_steps", 2},
                                          {"end_value", 0.0}});
  EXPECT_NEAR(custom.schedule(0), 0.01, 1e-17);
  EXPECT_NEAR(custom.schedule(2), 0.055, 1e-17);  // (0.01 - 0.1) * 0.5 + 0.1
  EXPECT_NEAR(custom.schedule(4), 0.1, 1e-17);
  EXPECT_NEAR(custom.schedule(8), 0.025, 1e-17);  // 0.1 * 0.5^2

  auto no_warmup = make<OptaxChain, double>({{"warmup_steps", 0}});
  EXPECT_NEAR(no_warmup.schedule(0), 5e-5, 1e-20);
}

/// One step by hand: weights 0.5 (grad 3), archetypes 2 (grad -4), schedule 0.1 at t = 0.
/// clip 1 -> (1, -1); global norm sqrt 2 >= 0.5 -> g = +-0.5/sqrt 2; Adam's first step
/// u = g / (|g| + 1e-8); + 0.01 p; p - 0.1 u. (Numbers: python3.)
TEST(OptaxChain, OneStepMatchesAHandComputation) {
  for (bool ascent : {false, true}) {
    auto chain = make<OptaxChain, double>({{"learning_rate", 0.1},
                                           {"peak_factor", 1.0},
                                           {"warmup_steps", 0},
                                           {"weight_decay", 0.01},
                                           {"archetypax_ascent", ascent}});
    auto params = kaa::allocate_parameters<double>("p", 1, 1, 1);
    auto grad = kaa::allocate_parameters<double>("g", 1, 1, 1);
    Kokkos::deep_copy(params.weights, 0.5);
    Kokkos::deep_copy(params.archetypes, 2.0);
    Kokkos::deep_copy(grad.weights, 3.0);
    Kokkos::deep_copy(grad.archetypes, -4.0);
    chain.init({}, params);
    chain.step({}, params, grad);
    const double w = kaa::to_host(params.weights).values[0];
    const double z = kaa::to_host(params.archetypes).values[0];
    if (!ascent) {
      EXPECT_NEAR(w, 0.39950000282842707, 1e-15);
      EXPECT_NEAR(z, 2.097999997171573, 1e-15);
    } else {
      EXPECT_NEAR(w, 0.600499997171573, 1e-15);
      EXPECT_NEAR(z, 2.0 - (2.097999997171573 - 2.0), 1e-15);
    }
  }
}

struct HostChain {
  double lr, peak_factor, warmup_init;
  long long warmup, transition;
  double rate, end_value, clip, max_norm, b1, b2, eps, eps_root, wd;
  bool ascent;
  std::vector<std::vector<double>> mu, nu;
  long long count = 0;

  double schedule(long long t) const {
    const double peak = peak_factor * lr;
    if (t < warmup) return (warmup_init - peak) * (1.0 - double(t) / warmup) + peak;
    const long long c = t - warmup;
    const double v = c <= 0 ? peak : peak * std::pow(rate, double(c) / transition);
    return std::max(v, end_value);
  }
  void step(std::vector<std::vector<double>>& p, std::vector<std::vector<double>> g) {
    if (mu.empty()) {
      for (const auto& b : p) mu.emplace_back(b.size(), 0.0), nu.emplace_back(b.size(), 0.0);
    }
    double sq = 0;
    for (auto& b : g)
      for (double& v : b) {
        if (clip > 0) v = std::min(clip, std::max(-clip, v));
        sq += v * v;
      }
    const double norm = std::sqrt(sq);
    if (max_norm > 0 && norm >= max_norm)
      for (auto& b : g)
        for (double& v : b) v = v / norm * max_norm;
    const double s = schedule(count);
    ++count;
    for (std::size_t bi = 0; bi < p.size(); ++bi)
      for (std::size_t e = 0; e < p[bi].size(); ++e) {
        mu[bi][e] = (1 - b1) * g[bi][e] + b1 * mu[bi][e];
        nu[bi][e] = (1 - b2) * g[bi][e] * g[bi][e] + b2 * nu[bi][e];
        const double mhat = mu[bi][e] / (1 - std::pow(b1, double(count)));
        const double vhat = nu[bi][e] / (1 - std::pow(b2, double(count)));
        const double u = mhat / (std::sqrt(vhat + eps_root) + eps) + wd * p[bi][e];
        p[bi][e] += (ascent ? 1.0 : -1.0) * s * u;
      }
  }
};

TEST(OptaxChain, ManyStepsMatchAHostTranscriptionAndSkipDerivedArchetypes) {
  const json raw = {
      {"learning_rate", 0.5},   {"peak_factor", 0.2},  {"warmup_init", 0.01}, {"warmup_steps", 4},
      {"transition_steps", 3},  {"decay_rate", 0.7},   {"end_value", 0.02},   {"clip", 1.5},
      {"max_global_norm", 2.0}, {"b1", 0.8},           {"b2", 0.95},          {"eps", 1e-6},
      {"eps_root", 1e-5},       {"weight_decay", 0.05}};
  auto chain = make<OptaxChain, double>(raw);
  HostChain host{0.5, 0.2,  0.01, 4,    3,    0.7,   0.02, 1.5, 2.0,
                 0.8, 0.95, 1e-6, 1e-5, 0.05, false, {},   {},  0};

  const std::size_t n = 5, d = 3, k = 2, kc = 2;
  auto params =
      kaa::allocate_parameters<double>("p", kaa::BlockShape{n, d, k, kc, kaa::kAllBlocks});
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> u(-1.0, 1.0), big(-3.0, 3.0);
  std::vector<Block> moving = {Block::weights, Block::mixing, Block::column_mixing,
                               Block::column_weights};
  std::vector<std::vector<double>> hp;
  for (Block b : kaa::kBlocks) {
    HostMatrix m(params.block(b).extent(0), params.block(b).extent(1));
    for (auto& v : m.values) v = u(rng);
    params.block(b) = kaa::to_device<double>(m, "p");
    if (b != Block::archetypes) hp.push_back(m.values);
  }
  const HostMatrix Z0 = kaa::to_host(params.archetypes);
  chain.init({}, params);
  bool rescaled = false, clipped = false;
  for (int step = 0; step < 30; ++step) {
    auto grad = kaa::allocate_like<double>("g", params);
    std::vector<std::vector<double>> hg;
    double sq = 0;
    for (Block b : kaa::kBlocks) {
      HostMatrix m(grad.block(b).extent(0), grad.block(b).extent(1));
      // Small gradients late on, so that the global-norm clip is both on and off.
      for (auto& v : m.values) v = step < 15 ? big(rng) : 0.02 * u(rng);
      grad.block(b) = kaa::to_device<double>(m, "g");
      if (b != Block::archetypes) {
        hg.push_back(m.values);
        for (double v : m.values) {
          const double c = std::min(1.5, std::abs(v));
          sq += c * c;
          clipped = clipped || std::abs(v) > 1.5;
        }
      }
    }
    rescaled = rescaled || std::sqrt(sq) >= 2.0;
    if (step >= 15) {
      EXPECT_LT(std::sqrt(sq), 2.0);
    }
    chain.step({}, params, grad);
    host.step(hp, hg);
    for (std::size_t bi = 0; bi < moving.size(); ++bi) {
      const HostMatrix got = kaa::to_host(params.block(moving[bi]));
      // Same formulas in the same order, the norm summed in another order: 1e-13 relative.
      for (std::size_t e = 0; e < got.values.size(); ++e)
        EXPECT_NEAR(got.values[e], hp[bi][e], 1e-13 * (1 + std::abs(hp[bi][e])))
            << "step " << step << " " << kaa::to_string(moving[bi]) << " " << e;
    }
  }
  EXPECT_TRUE(rescaled);
  EXPECT_TRUE(clipped);
  // Archetypes derived from mixing take no part (not even the weight decay).
  EXPECT_EQ(kaa::to_host(params.archetypes).values, Z0.values);
}

/// Minimises ||p - c||^2 over one 2 x 2 block for 300 steps from p = 0.
double distance_after(bool ascent) {
  auto chain = make<OptaxChain, double>(
      {{"learning_rate", 1.0}, {"peak_factor", 0.05}, {"archetypax_ascent", ascent}});
  auto params = kaa::allocate_parameters<double>("p", 2, 2, 1);
  auto grad = kaa::allocate_like<double>("g", params);
  const double c[4] = {0.3, -0.2, 0.5, 0.1};
  chain.init({}, params);
  double dist = 0;
  for (int step = 0; step < 300; ++step) {
    HostMatrix p = kaa::to_host(params.weights), g(2, 2);
    dist = 0;
    for (int e = 0; e < 4; ++e) {
      g.values[e] = 2 * (p.values[e] - c[e]);
      dist += (p.values[e] - c[e]) * (p.values[e] - c[e]);
    }
    grad.weights = kaa::to_device<double>(g, "g");
    Kokkos::deep_copy(grad.archetypes, 0.0);
    chain.step({}, params, grad);
  }
  return dist;
}

TEST(OptaxChain, DescendsByDefaultAndAscendsOnlyWhenAsked) {
  const double start = 0.3 * 0.3 + 0.2 * 0.2 + 0.5 * 0.5 + 0.1 * 0.1;
  EXPECT_LT(distance_after(false), 0.01 * start);
  EXPECT_GT(distance_after(true), 10 * start);
}

}  // namespace
