// The device passes of the row- and column-picking initializers against host loops: k-means++'s
// distance shrink, FurthestSum's distance sums, the per-feature variance and cosine distances,
// the row copies; and wrong extents.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/column_variance_cosine.hpp"
#include "framework/kernels/furthest_sum.hpp"
#include "framework/kernels/kmeans_pp.hpp"
#include "framework/kernels/row_copy.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

kaa::HostMatrix passes_vector_to_host(const kaa::Vector<double>& v) {
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), v);
  kaa::HostMatrix out(v.extent(0), 1);
  for (std::size_t i = 0; i < v.extent(0); ++i) out.values[i] = h(i);
  return out;
}

TEST(InitializerPassesKernel, RowDistancesMatchTheHostLoops) {
  const std::size_t n = 60, d = 11;  // d not a multiple of the lane width
  const kaa::HostMatrix X = kaa_test::random_matrix(n, d, 61);
  const auto Xd = kaa::to_device<double>(X, "X");
  // k-means++: shrink from +inf toward rows 5, then 17.
  kaa::kernels::Work center("center", 1, kaa::kernels::padded(d));
  kaa::Vector<double> min_dist("min_dist", n), sum("sum", n);
  Kokkos::deep_copy(min_dist, std::numeric_limits<double>::max());
  for (std::size_t row : {5, 17}) {
    kaa::kernels::copy_row_to_double(kaa::ExecSpace(), Xd, row, center, "test.center");
    kaa::kernels::shrink_min_distances(kaa::ExecSpace(), Xd, center, min_dist);
  }
  // FurthestSum: + distances to rows 5 and 17, - distances to row 5.
  kaa::kernels::add_row_distances(kaa::ExecSpace(), Xd, 5, 1.0, sum);
  kaa::kernels::add_row_distances(kaa::ExecSpace(), Xd, 17, 1.0, sum);
  kaa::kernels::add_row_distances(kaa::ExecSpace(), Xd, 5, -1.0, sum);
  const kaa::HostMatrix md = passes_vector_to_host(min_dist), s = passes_vector_to_host(sum);
  auto dist2 = [&](std::size_t i, std::size_t r) {
    double v = 0;
    for (std::size_t f = 0; f < d; ++f) v += (X(i, f) - X(r, f)) * (X(i, f) - X(r, f));
    return v;
  };
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_NEAR(md.values[i], std::min(dist2(i, 5), dist2(i, 17)), 1e-13) << i;
    EXPECT_NEAR(s.values[i], std::sqrt(dist2(i, 17)), 1e-13) << i;
  }
  kaa::Matrix<double> Z("Z", 3, d);
  kaa::kernels::copy_row(kaa::ExecSpace(), Xd, 42, Z, 2, "test.copy");
  const kaa::HostMatrix z = kaa::to_host(Z);
  for (std::size_t f = 0; f < d; ++f) EXPECT_EQ(z(2, f), X(42, f));
}

TEST(InitializerPassesKernel, ColumnStatisticsMatchTheHostLoops) {
  const std::size_t n = 40, d = 5;
  const kaa::HostMatrix X = kaa_test::random_matrix(n, d, 62, -1, 3);
  const auto Xd = kaa::to_device<double>(X, "X");
  kaa::Vector<double> var("var", d), norm2("norm2", d), min_dist("min_dist", d);
  kaa::kernels::column_variance_and_norm2(kaa::ExecSpace(), Xd, var, norm2);
  Kokkos::deep_copy(min_dist, std::numeric_limits<double>::infinity());
  kaa::kernels::shrink_cosine_distances(kaa::ExecSpace(), Xd, 3, norm2, 1e-10, min_dist);
  const kaa::HostMatrix v = passes_vector_to_host(var), q = passes_vector_to_host(norm2),
                        m = passes_vector_to_host(min_dist);
  for (std::size_t f = 0; f < d; ++f) {
    double mean = 0, sq = 0, dot = 0;
    for (std::size_t i = 0; i < n; ++i) {
      mean += X(i, f) / n;
      sq += X(i, f) * X(i, f);
    }
    double var_f = 0;
    for (std::size_t i = 0; i < n; ++i) var_f += (X(i, f) - mean) * (X(i, f) - mean) / n;
    for (std::size_t i = 0; i < n; ++i) dot += X(i, f) * X(i, 3);
    double sq3 = 0;
    for (std::size_t i = 0; i < n; ++i) sq3 += X(i, 3) * X(i, 3);
    EXPECT_NEAR(v.values[f], var_f, 1e-13) << f;
    EXPECT_NEAR(q.values[f], sq, 1e-12) << f;
    EXPECT_NEAR(m.values[f], 1 - std::abs(dot) / std::sqrt(sq * sq3 + 1e-10), 1e-13) << f;
  }
  EXPECT_NEAR(m.values[3], 0.0, 1e-12);  // a feature is at cosine distance 0 from itself
}

TEST(InitializerPassesKernel, WrongExtentsThrow) {
  const kaa::Matrix<double> X("X", 10, 4);
  EXPECT_THROW(
      kaa::kernels::add_row_distances(kaa::ExecSpace(), X, 0, 1.0, kaa::Vector<double>("s", 9)),
      std::invalid_argument);
  EXPECT_THROW(
      kaa::kernels::add_row_distances(kaa::ExecSpace(), X, 10, 1.0, kaa::Vector<double>("s", 10)),
      std::invalid_argument);
  EXPECT_THROW(kaa::kernels::column_variance_and_norm2(
                   kaa::ExecSpace(), X, kaa::Vector<double>("v", 4), kaa::Vector<double>("q", 10)),
               std::invalid_argument);
}

}  // namespace
