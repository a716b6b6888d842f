// Per-row weight summaries against host formulas: the share below a threshold, Hoyer's sparsity
// (one-hot rows 1, uniform rows 0, all-zero rows undefined), the normalised entropy; and a wrong
// extent.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/weight_metrics.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

TEST(WeightMetricsKernel, SparsityAndEntropyMatchTheFormulas) {
  const kaa::HostMatrix A = kaa_test::rows_from(
      {{1, 0, 0, 0}, {0.25, 0.25, 0.25, 0.25}, {0, 0, 0, 0}, {0.5, 0.3, 0.195, 0.005}});
  const auto Ad = kaa::to_device<double>(A, "A");
  kaa::Vector<double> fraction("fraction", 4), hoyer("hoyer", 4), entropy("entropy", 4);
  kaa::kernels::row_sparsity(kaa::ExecSpace(), Ad, 0.01, fraction, hoyer);
  kaa::kernels::row_normalized_entropy(kaa::ExecSpace(), Ad, entropy);
  auto f = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), fraction);
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), hoyer);
  auto e = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), entropy);
  EXPECT_DOUBLE_EQ(f(0), 0.75);
  EXPECT_DOUBLE_EQ(f(1), 0.0);
  EXPECT_DOUBLE_EQ(f(2), 1.0);
  EXPECT_DOUBLE_EQ(f(3), 0.25);
  EXPECT_NEAR(h(0), 1.0, 1e-15);
  EXPECT_NEAR(h(1), 0.0, 1e-15);
  EXPECT_EQ(h(2), -1.0);
  double l2 = 0;
  for (std::size_t j = 0; j < 4; ++j) l2 += A(3, j) * A(3, j);
  EXPECT_NEAR(h(3), (2.0 - 1.0 / std::sqrt(l2)) / (2.0 - 1.0), 1e-15);
  EXPECT_NEAR(e(0), 0.0, 1e-15);
  EXPECT_NEAR(e(1), 1.0, 1e-15);
  EXPECT_EQ(e(2), -1.0);
  double ent = 0;
  for (std::size_t j = 0; j < 4; ++j) ent -= A(3, j) * std::log(A(3, j));
  EXPECT_NEAR(e(3), ent / std::log(4.0), 1e-15);
}

TEST(WeightMetricsKernel, WrongExtentThrows) {
  const kaa::Matrix<double> A("A", 5, 3);
  EXPECT_THROW(
      kaa::kernels::row_normalized_entropy(kaa::ExecSpace(), A, kaa::Vector<double>("e", 4)),
      std::invalid_argument);
  EXPECT_THROW(kaa::kernels::row_sparsity(kaa::ExecSpace(), A, 0.01, kaa::Vector<double>("f", 5),
                                          kaa::Vector<double>("h", 6)),
               std::invalid_argument);
}

}  // namespace
