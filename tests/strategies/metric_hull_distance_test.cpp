// hull_distance metric: a square's corners with interior points, archetypes at known distances
// outside it and one inside, in fitted and in original units.
#include <gtest/gtest.h>

#include <cmath>

#include "metric_inputs.hpp"
#include "strategies/metrics/hull_distance.hpp"

namespace {

using kaa::strategies::HullDistance;
using kaa_test::host_matrix;

const kaa::HostMatrix kSquare = host_matrix(6, 2, {0, 0, 1, 0, 0, 1, 1, 1, 0.5, 0.5, 0.2, 0.7});
// 1 from the edge x = 1, inside, sqrt 2 from the corner (0, 0).
const kaa::HostMatrix kArchetypes = host_matrix(3, 2, {2, 0.5, 0.3, 0.6, -1, -1});

template <class S>
nlohmann::json hull(std::vector<double> c, nlohmann::json params) {
  const auto in = kaa_test::metric_inputs<S>(kSquare, kaa::HostMatrix(6, 3), kArchetypes, c);
  return kaa_test::run_metric<HullDistance, S>(in, params);
}

void expect_distances(const nlohmann::json& out, double d0, double d2, double tolerance) {
  EXPECT_NEAR(out.at("hull_distance_max").get<double>(), std::max(d0, d2), tolerance);
  EXPECT_NEAR(out.at("hull_distance_mean").get<double>(), (d0 + 0 + d2) / 3, tolerance);
  EXPECT_EQ(out.at("hull_distance_outside").get<int>(), 2);
  EXPECT_TRUE(out.at("hull_distance_converged").get<bool>());
  EXPECT_LE(out.at("hull_distance_error").get<double>(), tolerance);
  EXPECT_GE(out.at("hull_distance_gap").get<double>(), 0.0);
}

// Tolerance 1e-9 of the spread (< 1): distances certified to 1e-9; float inputs round at ~1e-7.
TEST(MetricHullDistance, SquareDouble) {
  expect_distances(hull<double>({}, {{"tolerance", 1e-9}}), 1.0, std::sqrt(2.0), 1e-9);
}
TEST(MetricHullDistance, SquareFloat) {
  expect_distances(hull<float>({}, {{"tolerance", 1e-9}}), 1.0, std::sqrt(2.0), 1e-6);
}

// Standardised with std (2, 1): in original units the first archetype is 2 from the hull and the
// third sqrt(4 + 1).
TEST(MetricHullDistance, MeasuresInOriginalUnits) {
  expect_distances(hull<double>({4.0, 1.0}, {{"tolerance", 1e-9}}), 2.0, std::sqrt(5.0), 1e-9);
}

TEST(MetricHullDistance, IterationCapIsReported) {
  const auto out = hull<double>({}, {{"tolerance", 1e-12}, {"max_iter", 1}});
  EXPECT_FALSE(out.at("hull_distance_converged").get<bool>());
  EXPECT_LE(out.at("hull_distance_iterations").get<int>(), 1);
  // Still an upper bound: the hull point found is no nearer than the true nearest.
  EXPECT_GE(out.at("hull_distance_max").get<double>(), std::sqrt(2.0) - 1e-12);
}

}  // namespace
