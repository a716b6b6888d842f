// weight_entropy, weight_sparsity, archetype_separation, hull_distance and recovery_error on small
// cases worked by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "strategies/metrics/archetype_separation.hpp"
#include "strategies/metrics/hull_distance.hpp"
#include "strategies/metrics/recovery_error.hpp"
#include "strategies/metrics/weight_entropy.hpp"
#include "strategies/metrics/weight_sparsity.hpp"
#include "tests/strategies/make_strategy.hpp"

namespace {

using nlohmann::json;

kaa::HostMatrix matrix(std::size_t r, std::size_t c, std::vector<double> v) {
  kaa::HostMatrix m(r, c);
  m.values = std::move(v);
  return m;
}

kaa::MetricInputs<double> inputs(const kaa::HostMatrix& X, const kaa::HostMatrix& W,
                                 const kaa::HostMatrix& Z) {
  kaa::MetricInputs<double> in;
  in.X = kaa::to_device<double>(X, "X");
  in.params.weights = kaa::to_device<double>(W, "W");
  in.params.archetypes = kaa::to_device<double>(Z, "Z");
  in.archetypes_original = Z;
  return in;
}

template <template <class> class Impl>
json compute(const kaa::MetricInputs<double>& in, const json& params = json::object()) {
  auto metric = kaa_test::make<Impl, double>(params);
  json out = json::object();
  metric.compute(in, out);
  return out;
}

// Rows: uniform over 4 (entropy 1), one-hot (0), half-half (log 2 / log 4 = 0.5).
TEST(WeightEntropy, NormalisedByLogK) {
  const auto W = matrix(3, 4, {0.25, 0.25, 0.25, 0.25, 1, 0, 0, 0, 0.5, 0.5, 0, 0});
  const json out = compute<kaa::strategies::WeightEntropy>(
      inputs(W, W, matrix(4, 4, std::vector<double>(16, 0.0))));
  EXPECT_NEAR(out["weight_entropy"]["mean"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(out["weight_entropy"]["min"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(out["weight_entropy"]["max"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(out["weight_entropy"]["std"].get<double>(), std::sqrt(1.0 / 6.0), 1e-12);
}

// Hoyer: uniform row 0, one-hot 1, (0.5, 0.5, 0, 0): (2 - 1 / sqrt(0.5)) / (2 - 1) = 2 - sqrt 2.
TEST(WeightSparsity, HoyerAndZeroShare) {
  const auto W = matrix(3, 4, {0.25, 0.25, 0.25, 0.25, 1, 0, 0, 0, 0.5, 0.5, 0, 0});
  const json out = compute<kaa::strategies::WeightSparsity>(
      inputs(W, W, matrix(4, 4, std::vector<double>(16, 0.0))));
  EXPECT_NEAR(out["weight_sparsity"]["hoyer"].get<double>(), (0 + 1 + (2 - std::sqrt(2.0))) / 3,
              1e-12);
  EXPECT_NEAR(out["weight_sparsity"]["fraction_below_threshold"].get<double>(),
              (0 + 0.75 + 0.5) / 3, 1e-12);
}

// A 3-4-5 triangle: distances 3, 4, 5.
TEST(ArchetypeSeparation, PairwiseDistances) {
  const auto Z = matrix(3, 2, {0, 0, 3, 0, 0, 4});
  const json out = compute<kaa::strategies::ArchetypeSeparation>(
      inputs(Z, matrix(3, 3, {1, 0, 0, 0, 1, 0, 0, 0, 1}), Z));
  EXPECT_DOUBLE_EQ(out["archetype_separation"]["min"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(out["archetype_separation"]["max"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(out["archetype_separation"]["mean"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(out["archetype_separation"]["min_over_max"].get<double>(), 0.6);
}

// Data: the unit square's corners plus its centre. Archetypes: (2, 0.5) lies 1 right of the
// hull; (0.5, 0.5) is inside (0); (-1, -1) is sqrt(2) from the corner (0, 0).
TEST(HullDistance, SquareHullExactDistances) {
  const auto X = matrix(5, 2, {0, 0, 1, 0, 0, 1, 1, 1, 0.5, 0.5});
  const auto Z = matrix(3, 2, {2, 0.5, 0.5, 0.5, -1, -1});
  const json out = compute<kaa::strategies::HullDistance>(
      inputs(X, matrix(5, 3, std::vector<double>(15, 1.0 / 3)), Z));
  const auto d = out["hull_distance"]["per_archetype"].get<std::vector<double>>();
  ASSERT_EQ(d.size(), 3u);
  EXPECT_NEAR(d[0], 1.0, 1e-5);
  EXPECT_NEAR(d[1], 0.0, 1e-5);
  EXPECT_NEAR(d[2], std::sqrt(2.0), 1e-5);
  EXPECT_LT(out["hull_distance"]["max_duality_gap"].get<double>(), 1e-8);
}

TEST(RecoveryError, PermutedTruthIsZeroAndShiftIsTheShift) {
  const auto truth = matrix(3, 2, {0, 0, 4, 0, 0, 3});
  auto in =
      inputs(truth, matrix(3, 3, {1, 0, 0, 0, 1, 0, 0, 0, 1}), matrix(3, 2, {0, 3, 0, 0, 4, 0}));
  in.true_archetypes = truth;
  json out = compute<kaa::strategies::RecoveryError>(in);
  EXPECT_NEAR(out["recovery_error"]["mean"].get<double>(), 0.0, 1e-12);

  in.archetypes_original = matrix(3, 2, {0.3, 3.4, 0.3, 0.4, 4.3, 0.4});  // shifted by (0.3, 0.4)
  out = compute<kaa::strategies::RecoveryError>(in);
  EXPECT_NEAR(out["recovery_error"]["mean"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(out["recovery_error"]["max"].get<double>(), 0.5, 1e-12);
  // Centroid (4/3, 1); squared spreads 25/9 + 1, 64/9 + 1, 16/9 + 4 -> mean 50/9 -> rms sqrt(50)/3.
  EXPECT_NEAR(out["recovery_error"]["relative"].get<double>(), 0.5 / (std::sqrt(50.0) / 3), 1e-12);
}

TEST(RecoveryError, WithoutGroundTruthNothingUnlessRequired) {
  const auto Z = matrix(2, 2, {0, 0, 1, 1});
  const auto in = inputs(Z, matrix(2, 2, {1, 0, 0, 1}), Z);
  EXPECT_FALSE(compute<kaa::strategies::RecoveryError>(in).contains("recovery_error"));
  EXPECT_THROW(compute<kaa::strategies::RecoveryError>(in, {{"required", true}}), kaa::InputError);
}

}  // namespace
