// recovery_error: a permuted copy of the true archetypes recovers them exactly, a shifted one is
// off by the shift; unequal counts, missing ground truth and original units.
#include <gtest/gtest.h>

#include <cmath>

#include "framework/error.hpp"
#include "metric_inputs.hpp"
#include "strategies/metrics/recovery_error.hpp"

namespace {

using kaa::strategies::RecoveryError;
using kaa_test::host_matrix;

// Square data: mean (1, 1), every row sqrt 2 from it, so the RMS spread is sqrt 2.
const kaa::HostMatrix kData = host_matrix(4, 2, {0, 0, 2, 0, 0, 2, 2, 2});
const kaa::HostMatrix kTruth = host_matrix(3, 2, {0, 0, 2, 0, 0, 2});

nlohmann::json recovery(const kaa::HostMatrix& fitted, std::optional<kaa::HostMatrix> truth,
                        nlohmann::json params = nlohmann::json::object()) {
  const auto in = kaa_test::metric_inputs<double>(kData, kaa::HostMatrix(4, fitted.rows), fitted,
                                                  {}, std::move(truth));
  return kaa_test::run_metric<RecoveryError, double>(in, params);
}

TEST(MetricRecoveryError, PermutedCopyIsExact) {
  const auto out = recovery(host_matrix(3, 2, {0, 2, 0, 0, 2, 0}), kTruth);
  EXPECT_EQ(out.at("recovery_error_mean").get<double>(), 0.0);
  EXPECT_EQ(out.at("recovery_error_max").get<double>(), 0.0);
  EXPECT_EQ(out.at("recovery_matched").get<int>(), 3);
  EXPECT_EQ(out.at("recovery_k_true").get<int>(), 3);
}

// Permuted and shifted by (0.3, 0.4), (0, 1) and (0, 0): distances 0.5, 1 and 0; every other
// pairing costs more, since the true archetypes are at least 2 apart.
TEST(MetricRecoveryError, ShiftedCopyIsOffByTheShift) {
  const auto out = recovery(host_matrix(3, 2, {0, 3, 0.3, 0.4, 2, 0}), kTruth);
  EXPECT_NEAR(out.at("recovery_error_mean").get<double>(), 0.5, 1e-15);
  EXPECT_NEAR(out.at("recovery_error_max").get<double>(), 1.0, 1e-15);
  EXPECT_NEAR(out.at("recovery_error_mean_relative").get<double>(), 0.5 / std::sqrt(2.0), 1e-15);
  EXPECT_NEAR(out.at("recovery_error_max_relative").get<double>(), 1.0 / std::sqrt(2.0), 1e-15);
}

// k = 2 < 3 true: both fitted archetypes are matched (0.1 and 0 away); the third true one is not.
// k = 4 > 3 true: every true archetype is matched to a distinct fitted one; the stray is ignored.
TEST(MetricRecoveryError, UnequalCountsMatchTheSmallerSet) {
  auto out = recovery(host_matrix(2, 2, {2.1, 0, 0, 0}), kTruth);
  EXPECT_EQ(out.at("recovery_matched").get<int>(), 2);
  EXPECT_NEAR(out.at("recovery_error_mean").get<double>(), 0.05, 1e-15);
  EXPECT_NEAR(out.at("recovery_error_max").get<double>(), 0.1, 1e-15);
  out = recovery(host_matrix(4, 2, {9, 9, 0, 2.2, 2, 0, 0, 0}), kTruth);
  EXPECT_EQ(out.at("recovery_matched").get<int>(), 3);
  EXPECT_NEAR(out.at("recovery_error_mean").get<double>(), 0.2 / 3, 1e-15);
  EXPECT_NEAR(out.at("recovery_error_max").get<double>(), 0.2, 1e-15);
}

// Fitted on data standardised with std 2 per feature: the fitted archetypes are the true ones
// halved plus half a shift of norm 0.5, i.e. exactly 0.5 off in original units; the RMS spread in
// original units is 2 sqrt 2.
TEST(MetricRecoveryError, MeasuresInOriginalUnits) {
  const auto fitted = host_matrix(3, 2, {0.15, 0.2, 1.15, 0.2, 0.15, 1.2});
  const auto in =
      kaa_test::metric_inputs<double>(kData, kaa::HostMatrix(4, 3), fitted, {4.0, 4.0}, kTruth);
  const auto out = kaa_test::run_metric<RecoveryError, double>(in);
  EXPECT_NEAR(out.at("recovery_error_mean").get<double>(), 0.5, 1e-15);
  EXPECT_NEAR(out.at("recovery_error_mean_relative").get<double>(), 0.5 / (2 * std::sqrt(2.0)),
              1e-15);
}

TEST(MetricRecoveryError, NoGroundTruth) {
  const auto out = recovery(kTruth, std::nullopt);
  for (const char* key : {"recovery_error_mean", "recovery_error_max", "recovery_matched"})
    EXPECT_TRUE(out.at(key).is_null()) << key;
  EXPECT_THROW(recovery(kTruth, std::nullopt, {{"required", true}}), kaa::Error);
}

TEST(MetricRecoveryError, FeatureCountMismatchIsAnError) {
  EXPECT_THROW(recovery(kTruth, host_matrix(3, 1, {0, 1, 2})), kaa::Error);
}

}  // namespace
