// adam against a host implementation of optax's scale_by_adam + learning rate, after
// archetypax's element-wise gradient clip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "framework/host_transfer.hpp"
#include "strategies/optimizers/adam.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::random_matrix;

using nlohmann::json;

struct Settings {
  double lr, b1, b2, eps, eps_root, clip;
};

/// optax: g <- clip(g); mu <- (1 - b1) g + b1 mu; nu <- (1 - b2) g^2 + b2 nu; t <- t + 1;
/// p <- p - lr * (mu / (1 - b1^t)) / (sqrt(nu / (1 - b2^t) + eps_root) + eps). clip = 0: none.
struct HostAdam {
  Settings s;
  std::vector<double> mu, nu;
  int t = 0;
  void step(std::vector<double>& p, const std::vector<double>& grad) {
    if (mu.empty()) mu.assign(p.size(), 0.0), nu.assign(p.size(), 0.0);
    ++t;
    const double bias1 = 1 - std::pow(s.b1, t), bias2 = 1 - std::pow(s.b2, t);
    for (std::size_t e = 0; e < p.size(); ++e) {
      const double g = s.clip > 0 ? std::clamp(grad[e], -s.clip, s.clip) : grad[e];
      mu[e] = (1 - s.b1) * g + s.b1 * mu[e];
      nu[e] = (1 - s.b2) * g * g + s.b2 * nu[e];
      p[e] -= s.lr * ((mu[e] / bias1) / (std::sqrt(nu[e] / bias2 + s.eps_root) + s.eps));
    }
  }
};

/// Runs 5 steps of the strategy and of HostAdam on both blocks; gradients vary per step and reach
/// +-4, beyond the clip (or beyond 1 when clip = 0).
void compare(const Settings& s, std::uint64_t seed) {
  const json raw = {{"learning_rate", s.lr},  {"b1", s.b1},    {"b2", s.b2}, {"eps", s.eps},
                    {"eps_root", s.eps_root}, {"clip", s.clip}};
  std::vector<std::string> issues;
  const json resolved = kaa::strategies::Adam<double>::schema().resolve(raw, "/optimizer", issues);
  ASSERT_TRUE(issues.empty());
  kaa::strategies::Adam<double> adam(kaa::strategies::Adam<double>::schema().bind(resolved));

  const std::size_t n = 4, k = 3, d = 2;
  std::mt19937_64 rng(seed);
  const kaa::HostMatrix A0 = random_matrix(n, k, rng, 1.0, 2.0),
                        Z0 = random_matrix(k, d, rng, 1.0, 2.0);
  kaa::Parameters<double> params{kaa::to_device<double>(A0, "A"), kaa::to_device<double>(Z0, "Z")};
  std::vector<double> hostA = A0.values, hostZ = Z0.values;
  HostAdam refA{s, {}, {}, 0}, refZ{s, {}, {}, 0};

  adam.init({}, params);
  bool beyond_clip = false;
  for (int step = 0; step < 5; ++step) {
    const kaa::HostMatrix gA = random_matrix(n, k, rng, -4.0, 4.0),
                          gZ = random_matrix(k, d, rng, -4.0, 4.0);
    for (double g : gA.values) beyond_clip |= std::abs(g) > (s.clip > 0 ? s.clip : 1.0);
    kaa::Parameters<double> grad{kaa::to_device<double>(gA, "gA"),
                                 kaa::to_device<double>(gZ, "gZ")};
    adam.step({}, params, grad);
    refA.step(hostA, gA.values);
    refZ.step(hostZ, gZ.values);
    const kaa::HostMatrix A = kaa::to_host(params.weights), Z = kaa::to_host(params.archetypes);
    // Same formula, same operation order: rounding only, 1e-14 relative (parameters in
    // ~[0.5, 2.5]).
    for (std::size_t e = 0; e < hostA.size(); ++e)
      EXPECT_NEAR(A.values[e], hostA[e], 1e-14 * std::abs(hostA[e]))
          << "step " << step << " weights " << e;
    for (std::size_t e = 0; e < hostZ.size(); ++e)
      EXPECT_NEAR(Z.values[e], hostZ[e], 1e-14 * std::abs(hostZ[e]))
          << "step " << step << " archetypes " << e;
  }
  EXPECT_TRUE(beyond_clip);  // the gradients do exercise the clip
  // The parameters moved by more than rounding (the test would see a no-op optimizer).
  double moved = 0;
  for (std::size_t e = 0; e < hostA.size(); ++e)
    moved = std::max(moved, std::abs(hostA[e] - A0.values[e]));
  EXPECT_GT(moved, 0.5 * s.lr);
}

TEST(Adam, MatchesOptaxWithClip) { compare({0.05, 0.9, 0.999, 1e-8, 0.0, 1.0}, 1); }

TEST(Adam, MatchesOptaxWithEpsRootAndOtherDecays) { compare({0.1, 0.8, 0.95, 1e-3, 1e-4, 2.5}, 2); }

TEST(Adam, ClipZeroMeansNoClipping) { compare({0.05, 0.9, 0.999, 1e-8, 0.0, 0.0}, 3); }

TEST(Adam, ClippingChangesTheResult) {
  // With every gradient entry beyond the clip, clipping at 1 and no clipping take different steps
  // after the first (the first step is sign-only: mhat / sqrt(vhat) = g / |g|).
  std::vector<std::vector<double>> finals;
  for (double clip : {1.0, 0.0}) {
    std::vector<std::string> issues;
    const json resolved = kaa::strategies::Adam<double>::schema().resolve(
        {{"learning_rate", 0.1}, {"clip", clip}}, "/optimizer", issues);
    kaa::strategies::Adam<double> adam(kaa::strategies::Adam<double>::schema().bind(resolved));
    auto params = kaa::allocate_parameters<double>("p", 1, 1, 1);
    auto grad = kaa::allocate_parameters<double>("g", 1, 1, 1);
    adam.init({}, params);
    for (double g : {3.0, -5.0, 2.0}) {
      Kokkos::deep_copy(grad.weights, g);
      Kokkos::deep_copy(grad.archetypes, -g);
      adam.step({}, params, grad);
    }
    finals.push_back(kaa::to_host(params.weights).values);
  }
  EXPECT_GT(std::abs(finals[0][0] - finals[1][0]), 1e-3);
}

TEST(Adam, InitRestartsTheMoments) {
  std::vector<std::string> issues;
  const json resolved = kaa::strategies::Adam<double>::schema().resolve({{"learning_rate", 0.1}},
                                                                        "/optimizer", issues);
  kaa::strategies::Adam<double> adam(kaa::strategies::Adam<double>::schema().bind(resolved));
  std::vector<double> results;
  for (int run = 0; run < 2; ++run) {
    auto params = kaa::allocate_parameters<double>("p", 2, 2, 2);
    auto grad = kaa::allocate_parameters<double>("g", 2, 2, 2);
    adam.init({}, params);
    for (double g : {0.3, -0.2, 0.7}) {
      Kokkos::deep_copy(grad.weights, g);
      Kokkos::deep_copy(grad.archetypes, g);
      adam.step({}, params, grad);
    }
    results.push_back(kaa::to_host(params.weights)(0, 0));
  }
  EXPECT_EQ(results[0], results[1]);  // second run starts from zero moments and t = 0
}

}  // namespace
