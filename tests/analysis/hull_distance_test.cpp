// Distance to the convex hull against closed forms: a square with interior points, and a cube
// filled with random points, where the distance to the hull is the distance to the clamped point.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "framework/analysis/hull_distance.hpp"
#include "framework/host_transfer.hpp"

namespace {

using kaa::HostMatrix;

// Unit square corners plus interior points (which the solver must learn to ignore).
HostMatrix square() {
  HostMatrix X(7, 2);
  X.values = {0, 0, 1, 0, 0, 1, 1, 1, 0.5, 0.5, 0.2, 0.7, 0.9, 0.1};
  return X;
}

// Points and their distance to the unit square: to the edge x = 1, inside, to the corners (0, 0)
// and (1, 1), and to the edge y = 0.
HostMatrix square_queries() {
  HostMatrix Z(5, 2);
  Z.values = {2, 0.5, 0.3, 0.6, -1, -1, 3, 4, 0.5, -0.25};
  return Z;
}
const std::vector<double> kSquareDistances = {1.0, 0.0, std::sqrt(2.0), std::sqrt(13.0), 0.25};

kaa::Vector<double> weights(std::vector<double> c) {
  kaa::Vector<double> v("c", c.size());
  auto host = Kokkos::create_mirror_view(v);
  for (std::size_t f = 0; f < c.size(); ++f) host(f) = c[f];
  Kokkos::deep_copy(v, host);
  return v;
}

// The certificate must bracket the true distance, and the bracket must be within tolerance.
void expect_certified(const kaa::analysis::HullDistances& h, const std::vector<double>& truth,
                      double tolerance, double rounding) {
  ASSERT_EQ(h.distance.size(), truth.size());
  EXPECT_TRUE(h.converged);
  for (std::size_t j = 0; j < truth.size(); ++j) {
    EXPECT_LE(h.lower_bound[j], truth[j] + rounding) << "point " << j;
    EXPECT_GE(h.distance[j], truth[j] - rounding) << "point " << j;
    EXPECT_LE(h.distance[j] - h.lower_bound[j], tolerance) << "point " << j;
    EXPECT_NEAR(h.distance[j], truth[j], tolerance + rounding) << "point " << j;
  }
}

TEST(HullDistance, SquareDouble) {
  const auto h = kaa::analysis::hull_distances(kaa::to_device<double>(square(), "X"),
                                               kaa::to_device<double>(square_queries(), "Z"),
                                               kaa::Vector<double>(), 1e-9, 10000);
  expect_certified(h, kSquareDistances, 1e-9, 1e-12);
}

// Float data: the products are accumulated in double, but the inputs round at ~6e-8.
TEST(HullDistance, SquareFloat) {
  const auto h = kaa::analysis::hull_distances(kaa::to_device<float>(square(), "X"),
                                               kaa::to_device<float>(square_queries(), "Z"),
                                               kaa::Vector<double>(), 1e-6, 10000);
  expect_certified(h, kSquareDistances, 1e-6, 1e-6);
}

// Feature weights c = (4, 1) measure x twice as long: (2, 0.5) is 2 from the edge x = 1, (-1, -1)
// is sqrt(4 + 1) from the corner, (3, 4) is sqrt(16 + 9), (0.5, -0.25) stays 0.25.
TEST(HullDistance, FeatureWeightsScaleTheNorm) {
  const auto h = kaa::analysis::hull_distances(kaa::to_device<double>(square(), "X"),
                                               kaa::to_device<double>(square_queries(), "Z"),
                                               weights({4.0, 1.0}), 1e-9, 10000);
  expect_certified(h, {2.0, 0.0, std::sqrt(5.0), 5.0, 0.25}, 1e-9, 1e-12);
}

// The unit cube's 8 corners among 300 random interior points; queries in [-1, 2]^3, about a third
// inside. Closed form: ||z - clamp(z, 0, 1)||.
TEST(HullDistance, CubeAgreesWithClosedForm) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> inner(0.05, 0.95), outer(-1.0, 2.0);
  HostMatrix X(308, 3);
  // Corners spread through the data (rows 11, 48, ..., 270) rather than first.
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < 3; ++f) X(i, f) = inner(rng);
  for (std::size_t corner = 0; corner < 8; ++corner)
    for (std::size_t f = 0; f < 3; ++f) X(corner * 37 + 11, f) = (corner >> f) & 1u;
  HostMatrix Z(12, 3);
  std::vector<double> truth(Z.rows);
  for (std::size_t j = 0; j < Z.rows; ++j) {
    double s = 0;
    for (std::size_t f = 0; f < 3; ++f) {
      Z(j, f) = outer(rng);
      const double gap = Z(j, f) - std::clamp(Z(j, f), 0.0, 1.0);
      s += gap * gap;
    }
    truth[j] = std::sqrt(s);
  }
  const auto h =
      kaa::analysis::hull_distances(kaa::to_device<double>(X, "X"), kaa::to_device<double>(Z, "Z"),
                                    kaa::Vector<double>(), 1e-6, 20000);
  expect_certified(h, truth, 1e-6, 1e-12);
}

// Stopped early, the answer is not certified to tolerance, but the bracket is still valid.
TEST(HullDistance, IterationCapReportsNotConverged) {
  const auto h = kaa::analysis::hull_distances(kaa::to_device<double>(square(), "X"),
                                               kaa::to_device<double>(square_queries(), "Z"),
                                               kaa::Vector<double>(), 1e-12, 1);
  EXPECT_FALSE(h.converged);
  for (std::size_t j = 0; j < kSquareDistances.size(); ++j) {
    EXPECT_LE(h.lower_bound[j], kSquareDistances[j] + 1e-12);
    EXPECT_GE(h.distance[j], kSquareDistances[j] - 1e-12);
    EXPECT_LE(h.iterations[j], 1u);
  }
}

// The certificate by hand. X = {(0, 0), (2, 0)}, z = (0.5, 1); true distance 1, to (0.5, 0).
// Start (no iteration): w = e_0, p = (0, 0), f = 1.25, r = p - z = (-0.5, -1);
//   grad_i = 2 <x_i, r> = (0, -2), gap = <grad, w> - min grad = 2, lower = sqrt(max(0, f - 2)) = 0.
// One Frank-Wolfe step toward x_1: dp = (2, 0), gamma = -<r, dp> / |dp|^2 = 1/4, p = (0.5, 0):
//   f = 1, r = (0, -1), grad = (0, 0), gap = 0: distance and lower bound are both 1.
TEST(HullDistance, CertificateByHand) {
  const auto X = kaa::to_device<double>(
      [] {
        HostMatrix m(2, 2);
        m.values = {0, 0, 2, 0};
        return m;
      }(),
      "X");
  const auto Z = kaa::to_device<double>(
      [] {
        HostMatrix m(1, 2);
        m.values = {0.5, 1};
        return m;
      }(),
      "Z");
  auto h = kaa::analysis::hull_distances(X, Z, kaa::Vector<double>(), 1e-12, 0);
  EXPECT_FALSE(h.converged);
  EXPECT_DOUBLE_EQ(h.distance[0], std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(h.gap[0], 2.0);
  EXPECT_DOUBLE_EQ(h.lower_bound[0], 0.0);
  h = kaa::analysis::hull_distances(X, Z, kaa::Vector<double>(), 1e-12, 1);
  EXPECT_TRUE(h.converged);
  EXPECT_EQ(h.iterations[0], 1u);
  EXPECT_DOUBLE_EQ(h.distance[0], 1.0);
  EXPECT_DOUBLE_EQ(h.lower_bound[0], 1.0);
  EXPECT_DOUBLE_EQ(h.gap[0], 0.0);
}

}  // namespace
