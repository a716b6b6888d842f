// weight_entropy on rows with entropies worked by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "metric_inputs.hpp"
#include "strategies/metrics/weight_entropy.hpp"

namespace {

using kaa::strategies::WeightEntropy;
using kaa_test::host_matrix;

// k = 3. Normalised entropies H / ln 3:
//   (1, 0, 0)          -> 0
//   (1/3, 1/3, 1/3)    -> 1
//   (1/2, 1/2, 0)      -> ln 2 / ln 3
//   (1/4, 1/4, 1/2)    -> (1/2 ln 4 + 1/2 ln 2) / ln 3 = 1.5 ln 2 / ln 3
//   (2, 2, 0)          -> ln 2 / ln 3 (renormalised like scipy.stats.entropy)
//   (-0.2, 0.6, 0.6)   -> ln 2 / ln 3 (the negative entry counts as 0)
template <class S>
void check_weight_entropy(double tolerance) {
  const auto A = host_matrix(
      6, 3,
      {1, 0, 0, 1. / 3, 1. / 3, 1. / 3, 0.5, 0.5, 0, 0.25, 0.25, 0.5, 2, 2, 0, -0.2, 0.6, 0.6});
  const auto in = kaa_test::metric_inputs<S>(kaa::HostMatrix(6, 1), A, kaa::HostMatrix(3, 1));
  const nlohmann::json out = kaa_test::run_metric<WeightEntropy, S>(in);
  const double l = std::log(2.0) / std::log(3.0);
  const std::vector<double> rows = {0, 1, l, 1.5 * l, l, l};
  double mean = 0, var = 0;
  for (double r : rows) mean += r / 6;
  for (double r : rows) var += (r - mean) * (r - mean) / 6;
  EXPECT_NEAR(out.at("weight_entropy").get<double>(), mean, tolerance);
  EXPECT_NEAR(out.at("weight_entropy_std").get<double>(), std::sqrt(var), tolerance);
  EXPECT_NEAR(out.at("weight_entropy_min").get<double>(), 0.0, tolerance);
  EXPECT_NEAR(out.at("weight_entropy_max").get<double>(), 1.0, tolerance);
}

TEST(MetricWeightEntropy, HandComputedDouble) { check_weight_entropy<double>(1e-14); }
TEST(MetricWeightEntropy, HandComputedFloat) { check_weight_entropy<float>(1e-6); }

// A row without positive weight has no distribution: it is left out, not counted as 0 or 1.
TEST(MetricWeightEntropy, RowWithoutMassIsLeftOut) {
  const auto A = host_matrix(2, 2, {0, 0, 0.5, 0.5});
  const auto in = kaa_test::metric_inputs<double>(kaa::HostMatrix(2, 1), A, kaa::HostMatrix(2, 1));
  const auto out = kaa_test::run_metric<WeightEntropy, double>(in);
  EXPECT_DOUBLE_EQ(out.at("weight_entropy").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(out.at("weight_entropy_std").get<double>(), 0.0);
}

// ln 1 = 0: one archetype has no normalised entropy.
TEST(MetricWeightEntropy, OneArchetypeIsNull) {
  const auto in = kaa_test::metric_inputs<double>(kaa::HostMatrix(2, 1), host_matrix(2, 1, {1, 1}),
                                                  kaa::HostMatrix(1, 1));
  const auto out = kaa_test::run_metric<WeightEntropy, double>(in);
  for (const char* key :
       {"weight_entropy", "weight_entropy_std", "weight_entropy_min", "weight_entropy_max"})
    EXPECT_TRUE(out.at(key).is_null()) << key;
}

}  // namespace
