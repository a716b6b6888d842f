// weight_sparsity on rows whose fraction below threshold and Hoyer sparsity are known.
#include <gtest/gtest.h>

#include <cmath>

#include "metric_inputs.hpp"
#include "strategies/metrics/weight_sparsity.hpp"

namespace {

using kaa::strategies::WeightSparsity;
using kaa_test::host_matrix;

// k = 4, Hoyer h = (2 - ||a||_1 / ||a||_2) / (2 - 1):
//   (1, 0, 0, 0)          below 0.01: 3 of 4;  h = 1
//   (1/4, 1/4, 1/4, 1/4)  0 of 4;              h = (2 - 1 / (1/2)) = 0
//   (1/2, 1/2, 0, 0)      2 of 4;              h = 2 - 1 / sqrt(1/2) = 2 - sqrt 2
//   (0.005, 0.995, 0, 0)  3 of 4;              h = 2 - 1 / sqrt(0.005^2 + 0.995^2)
const kaa::HostMatrix kWeights =
    host_matrix(4, 4, {1, 0, 0, 0, .25, .25, .25, .25, .5, .5, 0, 0, .005, .995, 0, 0});

template <class S>
void check_weight_sparsity(double tolerance) {
  const auto in =
      kaa_test::metric_inputs<S>(kaa::HostMatrix(4, 1), kWeights, kaa::HostMatrix(4, 1));
  const nlohmann::json out = kaa_test::run_metric<WeightSparsity, S>(in);
  const double h4 = 2.0 - 1.0 / std::sqrt(0.005 * 0.005 + 0.995 * 0.995);
  EXPECT_NEAR(out.at("weight_sparsity_fraction").get<double>(), (0.75 + 0 + 0.5 + 0.75) / 4,
              tolerance);
  EXPECT_NEAR(out.at("weight_sparsity_hoyer").get<double>(), (1 + 0 + 2 - std::sqrt(2.0) + h4) / 4,
              tolerance);
}

TEST(MetricWeightSparsity, HandComputedDouble) { check_weight_sparsity<double>(1e-14); }
TEST(MetricWeightSparsity, HandComputedFloat) { check_weight_sparsity<float>(1e-6); }

// With threshold 0.3 the uniform row's 0.25s count as unused too: 4 of 4.
TEST(MetricWeightSparsity, ThresholdParameter) {
  const auto in =
      kaa_test::metric_inputs<double>(kaa::HostMatrix(4, 1), kWeights, kaa::HostMatrix(4, 1));
  const auto out = kaa_test::run_metric<WeightSparsity, double>(in, {{"threshold", 0.3}});
  EXPECT_DOUBLE_EQ(out.at("weight_sparsity_fraction").get<double>(), (0.75 + 1.0 + 0.5 + 0.75) / 4);
}

TEST(MetricWeightSparsity, ThresholdOutOfRangeIsRejected) {
  std::vector<std::string> issues;
  WeightSparsity<double>::schema().resolve({{"threshold", 1.5}}, "/metrics/0", issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].find("/metrics/0/threshold"), std::string::npos) << issues[0];
}

TEST(MetricWeightSparsity, OneArchetypeHasNoHoyer) {
  const auto in = kaa_test::metric_inputs<double>(kaa::HostMatrix(2, 1), host_matrix(2, 1, {1, 1}),
                                                  kaa::HostMatrix(1, 1));
  const auto out = kaa_test::run_metric<WeightSparsity, double>(in);
  EXPECT_TRUE(out.at("weight_sparsity_hoyer").is_null());
  EXPECT_DOUBLE_EQ(out.at("weight_sparsity_fraction").get<double>(), 0.0);
}

}  // namespace
