// rss and explained_variance on a 3 x 2 example worked by hand, without and with feature weights.
#include <gtest/gtest.h>

#include <vector>

#include "framework/host_transfer.hpp"
#include "strategies/metrics/explained_variance.hpp"
#include "strategies/metrics/rss.hpp"
#include "tests/strategies/make_strategy.hpp"

namespace {

using nlohmann::json;

// X = [1 2; 3 4; 5 0],  A = [1 0; 0.5 0.5; 0 1],  Z = [2 2; 5 0].
// A Z = [2 2; 3.5 1; 5 0], residual R = X - A Z = [-1 0; -0.5 3; 0 0].
// Unweighted: RSS = 1 + 0.25 + 9 = 10.25, per row 10.25 / 3.
//   Column means (3, 2); deviations col 0: -2 0 2 (sum of squares 8), col 1: 0 2 -2 (8): TSS = 16.
//   Explained variance = 1 - 10.25 / 16 = 0.359375.
// Feature weights c = (4, 0.25): RSS = 4 (1 + 0.25) + 0.25 * 9 = 7.25, per row 7.25 / 3;
//   TSS = 4 * 8 + 0.25 * 8 = 34; explained variance = 1 - 7.25 / 34 = 26.75 / 34.
template <class S>
kaa::MetricInputs<S> example(bool weighted) {
  kaa::HostMatrix X(3, 2), A(3, 2), Z(2, 2);
  X.values = {1, 2, 3, 4, 5, 0};
  A.values = {1, 0, 0.5, 0.5, 0, 1};
  Z.values = {2, 2, 5, 0};
  kaa::MetricInputs<S> in{kaa::to_device<S>(X, "X"),
                          {kaa::to_device<S>(A, "A"), kaa::to_device<S>(Z, "Z")},
                          kaa::Vector<double>()};
  if (weighted) {
    in.squared_error_scale = kaa::Vector<double>("c", 2);
    auto host = Kokkos::create_mirror_view(in.squared_error_scale);
    host(0) = 4.0;
    host(1) = 0.25;
    Kokkos::deep_copy(in.squared_error_scale, host);
  }
  return in;
}

template <template <class> class Impl, class S>
json compute(const kaa::MetricInputs<S>& in) {
  Impl<S> metric = kaa_test::make<Impl, S>();
  json out = json::object();
  metric.compute(in, out);
  return out;
}

template <class S>
void check_metric(bool weighted, double tolerance) {
  const auto in = example<S>(weighted);
  const json rss = compute<kaa::strategies::Rss, S>(in);
  const json ev = compute<kaa::strategies::ExplainedVariance, S>(in);
  const double expected_rss = weighted ? 7.25 : 10.25;
  const double expected_ev = weighted ? 26.75 / 34.0 : 0.359375;
  EXPECT_NEAR(rss.at("rss").get<double>(), expected_rss, tolerance * expected_rss);
  EXPECT_NEAR(rss.at("mse_per_row").get<double>(), expected_rss / 3, tolerance * expected_rss);
  EXPECT_NEAR(ev.at("explained_variance").get<double>(), expected_ev, tolerance);
}

// Every number above is exact in binary except the final divisions: 1e-14 in double. In float the
// residuals are still exact (halves and small integers), but allow float rounding: 1e-6.
TEST(Metrics, HandComputedExampleDouble) { check_metric<double>(false, 1e-14); }
TEST(Metrics, HandComputedExampleWithFeatureWeightsDouble) { check_metric<double>(true, 1e-14); }
TEST(Metrics, HandComputedExampleFloat) { check_metric<float>(false, 1e-6); }
TEST(Metrics, HandComputedExampleWithFeatureWeightsFloat) { check_metric<float>(true, 1e-6); }

TEST(Metrics, ConstantDataHaveNoExplainedVariance) {
  kaa::HostMatrix X(3, 2), A(3, 1), Z(1, 2);
  X.values = {1, 2, 1, 2, 1, 2};
  A.values = {1, 1, 1};
  Z.values = {0, 0};
  const kaa::MetricInputs<double> in{
      kaa::to_device<double>(X, "X"),
      {kaa::to_device<double>(A, "A"), kaa::to_device<double>(Z, "Z")},
      kaa::Vector<double>()};
  const json ev = compute<kaa::strategies::ExplainedVariance, double>(in);
  EXPECT_TRUE(ev.at("explained_variance").is_null());  // TSS = 0: nothing to explain
  const json rss = compute<kaa::strategies::Rss, double>(in);
  EXPECT_DOUBLE_EQ(rss.at("rss").get<double>(), 15.0);  // 3 rows of 1^2 + 2^2
}

}  // namespace
