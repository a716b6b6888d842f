// Loss terms: value() against a plain host loop, value_and_grad()'s gradient against central
// finite differences of value(), and the contract that value_and_grad ADDS into `grad`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "framework/host_transfer.hpp"
#include "strategies/register_all.hpp"

namespace {

using nlohmann::json;

constexpr std::size_t kN = 7, kD = 4, kK = 3;

struct GradientProblem {
  kaa::HostMatrix X, A, Z;
};

/// Random X, Z in [-1, 1] and weights rows strictly positive on the simplex (entries >= 0.2/3).
GradientProblem random_problem(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> sym(-1.0, 1.0), pos(0.2, 1.0);
  GradientProblem p{kaa::HostMatrix(kN, kD), kaa::HostMatrix(kN, kK), kaa::HostMatrix(kK, kD)};
  for (auto& v : p.X.values) v = sym(rng);
  for (auto& v : p.Z.values) v = sym(rng);
  for (std::size_t i = 0; i < kN; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < kK; ++j) s += p.A(i, j) = pos(rng);
    for (std::size_t j = 0; j < kK; ++j) p.A(i, j) /= s;
  }
  return p;
}

/// Independent host value of a loss node {"type", ...} (all parameters resolved).
double host_value(const json& node, const GradientProblem& p) {
  const std::string type = node.at("type");
  const double weight = node.at("weight");
  double total = 0;
  if (type == "reconstruction") {
    for (std::size_t i = 0; i < kN; ++i)
      for (std::size_t f = 0; f < kD; ++f) {
        double r = p.X(i, f);
        for (std::size_t j = 0; j < kK; ++j) r -= p.A(i, j) * p.Z(j, f);
        total += r * r;
      }
    return node.at("reduction") == "mean" ? weight * total / kN : weight * total;
  }
  const double eps = node.at("eps");
  for (double a : p.A.values) total -= a * std::log(a + eps);
  return weight * total / kN;
}

json resolve_loss(const json& raw) {
  kaa::Registry registry;
  kaa::register_all(registry);
  const auto* info = registry.find(kaa::Kind::loss, raw.at("type"));
  EXPECT_NE(info, nullptr);
  std::vector<std::string> issues;
  json node = info->schema.resolve(raw, "/loss", issues);
  EXPECT_TRUE(issues.empty());
  return node;
}

/// Runs every check on one loss configuration (double precision).
void check_loss(const json& raw, std::uint64_t seed) {
  SCOPED_TRACE(raw.dump());
  const json node = resolve_loss(raw);
  kaa::Registry registry;
  kaa::register_all(registry);
  auto loss = registry.make<kaa::LossTerm, double>(node);

  const GradientProblem p = random_problem(seed);
  const auto X = kaa::to_device<double>(p.X, "X");
  kaa::Parameters<double> params{kaa::to_device<double>(p.A, "A"),
                                 kaa::to_device<double>(p.Z, "Z")};

  // 1. value() against the host triple loop: same sum, different order -> 1e-12 relative.
  const double value = loss->value(X, params);
  const double expected = host_value(node, p);
  EXPECT_NEAR(value, expected, 1e-12 * std::abs(expected));

  // 2. value_and_grad's value equals value(): same terms summed by the same pass -> 1e-13 rel.
  auto grad = kaa::allocate_parameters<double>("grad", kN, kK, kD);  // zero-initialised
  const double value2 = loss->value_and_grad(X, params, grad);
  EXPECT_NEAR(value2, value, 1e-13 * std::abs(value));
  const kaa::HostMatrix gA = kaa::to_host(grad.weights), gZ = kaa::to_host(grad.archetypes);

  // 3. Central differences of value(), h = 1e-6. Truncation is O(h^2 f''') (zero for the
  // quadratic reconstruction, ~1e-12 for the entropy on entries >= 0.06); rounding is about
  // eps_machine |f| / h ~ 1e-10 |f|. Tolerance: 1e-6 relative plus a 1e-8 |f| rounding floor.
  const double h = 1e-6;
  const double floor = 1e-8 * std::max(1.0, std::abs(value));
  auto fd_check = [&](kaa::Matrix<double>& block, const kaa::HostMatrix& analytic,
                      const char* what) {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), block);
    double largest = 0;
    for (std::size_t r = 0; r < block.extent(0); ++r)
      for (std::size_t c = 0; c < block.extent(1); ++c) {
        const double x0 = host(r, c);
        host(r, c) = x0 + h;
        Kokkos::deep_copy(block, host);
        const double up = loss->value(X, params);
        host(r, c) = x0 - h;
        Kokkos::deep_copy(block, host);
        const double down = loss->value(X, params);
        host(r, c) = x0;
        Kokkos::deep_copy(block, host);
        const double fd = (up - down) / (2 * h);
        largest = std::max(largest, std::abs(fd));
        EXPECT_NEAR(analytic(r, c), fd, 1e-6 * std::abs(fd) + floor)
            << what << "(" << r << ", " << c << ")";
      }
    return largest;
  };
  const double largest_gA = fd_check(params.weights, gA, "d/dweights");
  const double largest_gZ = fd_check(params.archetypes, gZ, "d/darchetypes");
  EXPECT_GT(largest_gA, 1e-5);  // the weights gradient is not trivially zero
  if (node.at("type") == "reconstruction") {
    EXPECT_GT(largest_gZ, 1e-3);
  }

  // 4. Accumulation: starting from a non-zero grad, value_and_grad adds exactly its gradient.
  std::mt19937_64 rng(seed + 1000);
  std::uniform_real_distribution<double> u(-3.0, 3.0);
  kaa::HostMatrix startA(kN, kK), startZ(kK, kD);
  for (auto& v : startA.values) v = u(rng);
  for (auto& v : startZ.values) v = u(rng);
  kaa::Parameters<double> acc{kaa::to_device<double>(startA, "accA"),
                              kaa::to_device<double>(startZ, "accZ")};
  loss->value_and_grad(X, params, acc);
  const kaa::HostMatrix aA = kaa::to_host(acc.weights), aZ = kaa::to_host(acc.archetypes);
  // One addition of a value of size <= ~10: 1e-14 absolute covers the rounding of the sum.
  for (std::size_t e = 0; e < aA.values.size(); ++e)
    EXPECT_NEAR(aA.values[e], startA.values[e] + gA.values[e], 1e-14 * (1 + std::abs(aA.values[e])))
        << "weights entry " << e;
  for (std::size_t e = 0; e < aZ.values.size(); ++e)
    EXPECT_NEAR(aZ.values[e], startZ.values[e] + gZ.values[e], 1e-14 * (1 + std::abs(aZ.values[e])))
        << "archetypes entry " << e;
}

TEST(LossGradient, ReconstructionMeanWithWeight) {
  check_loss({{"type", "reconstruction"}, {"weight", 2.5}, {"reduction", "mean"}}, 11);
}

TEST(LossGradient, ReconstructionSumWithWeight) {
  check_loss({{"type", "reconstruction"}, {"weight", 0.7}, {"reduction", "sum"}}, 12);
}

TEST(LossGradient, EntropyNegativeWeight) {
  check_loss({{"type", "entropy"}, {"weight", -0.01}}, 13);
}

TEST(LossGradient, EntropyPositiveWeight) {
  check_loss({{"type", "entropy"}, {"weight", 0.3}}, 14);
}

TEST(LossGradient, ReconstructionMeanIsSumOverN) {
  // Independent of the host loop: the two reductions of the same data differ by exactly n.
  const GradientProblem p = random_problem(21);
  const auto X = kaa::to_device<double>(p.X, "X");
  kaa::Parameters<double> params{kaa::to_device<double>(p.A, "A"),
                                 kaa::to_device<double>(p.Z, "Z")};
  kaa::Registry registry;
  kaa::register_all(registry);
  auto mean = registry.make<kaa::LossTerm, double>(
      resolve_loss({{"type", "reconstruction"}, {"reduction", "mean"}}));
  auto sum = registry.make<kaa::LossTerm, double>(
      resolve_loss({{"type", "reconstruction"}, {"reduction", "sum"}}));
  const double vm = mean->value(X, params), vs = sum->value(X, params);
  EXPECT_GT(vs, 0.0);
  EXPECT_NEAR(vm * kN, vs, 1e-14 * vs);  // one division: rounding only
}

}  // namespace
