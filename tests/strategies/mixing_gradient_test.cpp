// The model's gradient chain through mixing weights (framework/model.cpp: Z = B X, so
// dL/dB = dL/dZ X^T, kernels::chain_to_mixing) against central finite differences of the
// objective in B, with two loss terms that read the archetypes. A probe optimizer records the
// gradient the model hands it.
#include <gtest/gtest.h>

#include <random>

#include "framework/host_transfer.hpp"

#include "tests/strategies/solver_fixtures.hpp"

namespace {

using nlohmann::json;

struct Recorded {
  kaa::HostMatrix weights, archetypes, mixing;
};

template <class S>
class GradientProbe final : public kaa::Optimizer<S> {
 public:
  static constexpr const char* name = "gradient_probe";
  static constexpr const char* summary = "test: records the gradient of its first step";
  static constexpr unsigned blocks = kaa::bit(kaa::Block::weights) | kaa::bit(kaa::Block::mixing);
  static kaa::Schema schema() { return kaa::Schema(); }
  explicit GradientProbe(const json&) {}
  void init(const kaa::Matrix<S>&, const kaa::Parameters<S>&) override {}
  void save_state(kaa::SavedState&, const std::string&) const override {}
  void load_state(const kaa::SavedState&, const std::string&) override {}
  void step(const kaa::Matrix<S>&, kaa::Parameters<S>&, kaa::Parameters<S>& grad) override {
    recorded() = {kaa::to_host(grad.weights), kaa::to_host(grad.archetypes),
                  kaa::to_host(grad.mixing)};
  }
  static Recorded& recorded() {
    static Recorded r;
    return r;
  }
};

TEST(MixingGradient, ChainRuleMatchesFiniteDifferences) {
  kaa::Registry registry = kaa_test::full_registry();
  registry.add<kaa::Optimizer, GradientProbe>();
  const json raw = {{"model", {{"n_archetypes", 3}, {"precision", "float64"}}},
                    {"initializers", json::array({"uniform_weights", "furthest_sum"})},
                    {"loss", json::array({{{"type", "reconstruction"}, {"reduction", "mean"}},
                                          {{"type", "huber"}, {"delta", 0.3}, {"weight", 0.5}}})},
                    {"optimizer", "gradient_probe"},
                    {"projectors", {{"weights", "none"}, {"mixing", "none"}}},
                    {"stopping", json::array({{{"type", "max_iter"}, {"value", 1}}})}};
  kaa::Model<double> model(kaa_test::resolve(raw, registry), registry);

  const std::size_t n = 9, d = 3, k = 3;
  const kaa::HostMatrix X = kaa_test::gaussian_matrix(n, d, 1);
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> u(0.1, 1.0);
  kaa::HostMatrix A(n, k), B(k, n);
  for (auto& v : A.values) v = u(rng);
  for (auto& v : B.values) v = u(rng);  // dense, not normalised: the chain rule does not care
  auto archetypes_of = [&](const kaa::HostMatrix& Bm) {
    kaa::HostMatrix Z(k, d);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f)
        for (std::size_t i = 0; i < n; ++i) Z(j, f) += Bm(j, i) * X(i, f);
    return Z;
  };
  const auto Xd = kaa::to_device<double>(X, "X");
  auto params = model.allocate(n, d);
  Kokkos::deep_copy(params.weights, kaa::to_device<double>(A, "A"));
  Kokkos::deep_copy(params.mixing, kaa::to_device<double>(B, "B"));
  Kokkos::deep_copy(params.archetypes, kaa::to_device<double>(archetypes_of(B), "Z"));
  model.iterate(Xd, params);
  const Recorded g = GradientProbe<double>::recorded();
  ASSERT_EQ(g.mixing.rows, k);
  ASSERT_EQ(g.mixing.cols, n);

  auto objective = [&](const kaa::HostMatrix& Bm) {
    auto p = model.allocate(n, d);
    Kokkos::deep_copy(p.weights, kaa::to_device<double>(A, "A"));
    Kokkos::deep_copy(p.mixing, kaa::to_device<double>(Bm, "B"));
    Kokkos::deep_copy(p.archetypes, kaa::to_device<double>(archetypes_of(Bm), "Z"));
    return model.objective(Xd, p);
  };
  const double h = 1e-6;
  double largest = 0;
  for (std::size_t e = 0; e < B.values.size(); ++e) {
    kaa::HostMatrix plus = B, minus = B;
    plus.values[e] += h;
    minus.values[e] -= h;
    const double fd = (objective(plus) - objective(minus)) / (2 * h);
    // Central differences of smooth terms (the Huber kink is in the second derivative), h = 1e-6:
    // ~1e-9 absolute.
    EXPECT_NEAR(g.mixing.values[e], fd, 1e-7) << "mixing entry " << e;
    largest = std::max(largest, std::abs(fd));
  }
  EXPECT_GT(largest, 1e-2);  // guard: a gradient that is not trivially zero
  // The model moves the archetype gradient into mixing: nothing is left on the archetypes.
  for (double v : g.archetypes.values) EXPECT_EQ(v, 0.0);
}

}  // namespace
