// knn_mix_neighbours and knn_gather_rows against host loops (float data, neighbours in arbitrary
// order and repeated); the workspace is reused, not reallocated, for a second call of one shape.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/knn_hull.hpp"
#include "tests/support/host_matrices.hpp"

namespace knn_hull_kernel_test {

using kaa::HostMatrix;
using kaa_test::random_matrix;
using Space = kaa::ExecSpace;

kaa::kernels::IndexMatrix index_matrix(std::size_t k, std::size_t m, std::size_t n) {
  kaa::kernels::IndexMatrix idx("idx", k, m);
  auto h = Kokkos::create_mirror_view(idx);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t p = 0; p < m; ++p) h(j, p) = static_cast<long>((7 * j + 13 * p * p) % n);
  Kokkos::deep_copy(idx, h);
  return idx;
}

TEST(KnnHullKernel, MixIsTheInverseDistanceAverageOfTheNeighbours) {
  const std::size_t n = 90, d = 6, k = 4, m = 5;
  const double eps = 1e-10;
  const HostMatrix X = random_matrix(n, d, 21), Z0 = random_matrix(k, d, 22);
  const auto idx = index_matrix(k, m, n);
  const auto idx_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), idx);
  auto Z = kaa::to_device<float>(Z0, "Z");
  kaa::kernels::Work weight;
  kaa::kernels::knn_mix_neighbours(Space(), Z, kaa::to_device<float>(X, "X"), idx, eps, weight);
  const HostMatrix got = kaa::to_host(Z);
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<long double> w(m);
    long double total = 0;
    for (std::size_t p = 0; p < m; ++p) {
      long double dist = 0;
      for (std::size_t f = 0; f < d; ++f) {
        const long double diff = static_cast<float>(X(idx_h(j, p), f)) -
                                 static_cast<long double>(static_cast<float>(Z0(j, f)));
        dist += diff * diff;
      }
      w[p] = 1.0L / (dist + eps);
      total += w[p];
    }
    for (std::size_t f = 0; f < d; ++f) {
      long double v = 0;
      for (std::size_t p = 0; p < m; ++p) v += w[p] / total * static_cast<float>(X(idx_h(j, p), f));
      // The result is rounded to float once.
      EXPECT_NEAR(got(j, f), static_cast<double>(v), 1e-6 * (1 + std::fabs(static_cast<double>(v))))
          << j << ", " << f;
    }
  }
  const double* before = weight.data();
  kaa::kernels::knn_mix_neighbours(Space(), Z, kaa::to_device<float>(X, "X"), idx, eps, weight);
  EXPECT_EQ(weight.data(), before) << "same shape: the scratch is reused";
}

TEST(KnnHullKernel, GatherRowsCopiesTheOfferedRows) {
  const std::size_t n = 30, d = 4, k = 3, m = 2;
  const long offset = 100;  // global indices of a rank whose first row is 100
  const HostMatrix X = random_matrix(n, d, 23);
  kaa::kernels::IndexMatrix idx("idx", k, m);
  auto h = Kokkos::create_mirror_view(idx);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t p = 0; p < m; ++p) h(j, p) = offset + static_cast<long>((5 * j + 11 * p) % n);
  Kokkos::deep_copy(idx, h);
  kaa::Matrix<double> out("out", k * m, d);
  kaa::kernels::knn_gather_rows(Space(), kaa::to_device<double>(X, "X"), idx, offset, out);
  const HostMatrix got = kaa::to_host(out);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t p = 0; p < m; ++p)
      for (std::size_t f = 0; f < d; ++f)
        EXPECT_EQ(got(j * m + p, f), X(h(j, p) - offset, f)) << j << ", " << p << ", " << f;
}

TEST(KnnHullKernel, WrongExtentThrows) {
  kaa::Matrix<double> Z("Z", 3, 4), X("X", 10, 5);
  kaa::kernels::Work weight;
  EXPECT_THROW(
      kaa::kernels::knn_mix_neighbours(Space(), Z, X, index_matrix(3, 2, 10), 1e-10, weight),
      std::invalid_argument);
  kaa::Matrix<double> out("out", 5, 5);
  EXPECT_THROW(kaa::kernels::knn_gather_rows(Space(), X, index_matrix(3, 2, 10), 0, out),
               std::invalid_argument);
}

}  // namespace knn_hull_kernel_test
