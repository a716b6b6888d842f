// The chunked row-streaming products A^T diag(w) X and B X against host sums in long double:
// several chunks, a partial last tile, d not a multiple of the lane width, float and double data.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <type_traits>
#include <vector>

#include "framework/host_transfer.hpp"
#include "framework/kernels/block_products.hpp"
#include "framework/kernels/mixing.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::random_matrix;

/// sum_i w_i C(i, j) X(i, f) (C n x k) or sum_i C(j, i) X(i, f) (C k x n, by_rows), in long double
/// from the values rounded to S, as the device holds them.
template <class S>
std::vector<long double> host_products(const kaa::HostMatrix& C, bool by_rows,
                                       const kaa::HostMatrix& X, const std::vector<double>& w) {
  const std::size_t n = X.rows, d = X.cols, k = by_rows ? C.rows : C.cols;
  auto val = [](double v) { return static_cast<long double>(static_cast<S>(v)); };
  std::vector<long double> out(k * d, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) {
      const long double c = (by_rows ? val(C(j, i)) : val(C(i, j))) * (w.empty() ? 1.0L : w[i]);
      for (std::size_t f = 0; f < d; ++f) out[j * d + f] += c * val(X(i, f));
    }
  return out;
}

/// Entries within `rel` of the largest absolute sum of terms of the entry (no cancellation
/// here: all inputs are positive, so that is the entry itself).
void expect_close(const kaa::HostMatrix& got, const std::vector<long double>& expected, double rel,
                  const char* what) {
  ASSERT_EQ(got.values.size(), expected.size());
  for (std::size_t e = 0; e < expected.size(); ++e)
    EXPECT_NEAR(got.values[e], static_cast<double>(expected[e]),
                rel * static_cast<double>(expected[e]))
        << what << " entry " << e;
}

template <class S>
void check_block_products(std::size_t n, std::size_t d, std::size_t k, bool weighted,
                          std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const kaa::HostMatrix X = random_matrix(n, d, rng, 0.1, 2.0);
  const kaa::HostMatrix A = random_matrix(n, k, rng, 0.0, 1.0);
  const kaa::HostMatrix B = random_matrix(k, n, rng, 0.0, 1.0);
  std::vector<double> w;
  kaa::Vector<double> w_dev;
  if (weighted) {
    std::uniform_real_distribution<double> u(0.2, 3.0);
    for (std::size_t i = 0; i < n; ++i) w.push_back(u(rng));
    w_dev = kaa::Vector<double>("w", n);
    auto h = Kokkos::create_mirror_view(w_dev);
    for (std::size_t i = 0; i < n; ++i) h(i) = w[i];
    Kokkos::deep_copy(w_dev, h);
  }
  const auto X_dev = kaa::to_device<S>(X, "X");
  const auto A_dev = kaa::to_device<S>(A, "A");
  const auto B_dev = kaa::to_device<S>(B, "B");
  // Positive terms summed in double: relative error ~1e-16 x (log of the number of terms).
  const double rel = 1e-13;

  const kaa::Matrix<double> Q = kaa::kernels::weights_times_data(A_dev, X_dev, w_dev);
  expect_close(kaa::to_host(Q), host_products<S>(A, false, X, w), rel, "A^T diag(w) X");

  const auto BX = host_products<S>(B, true, X, {});
  kaa::Matrix<double> Z("Z", k, d);
  kaa::kernels::rows_times_data(B_dev, X_dev, Z);
  expect_close(kaa::to_host(Z), BX, rel, "B X");

  // In S: the double sum rounded once.
  kaa::Matrix<S> Zs("Zs", k, d);
  kaa::kernels::mixing_times_data(B_dev, X_dev, Zs);
  const double eps = std::is_same_v<S, float> ? 1.2e-7 : 1e-13;
  expect_close(kaa::to_host(Zs), BX, eps, "B X in S");
}

TEST(BlockProductsKernel, DoubleMatchesHostSumsAcrossChunks) {
  // n = 4099: five chunks of >= 1024 rows and a last tile of 3 rows; d = 13, k = 7.
  check_block_products<double>(4099, 13, 7, false, 1);
  check_block_products<double>(4099, 13, 7, true, 2);
}

TEST(BlockProductsKernel, FloatDataAreSummedInDouble) {
  check_block_products<float>(2051, 21, 5, true, 3);
}

TEST(BlockProductsKernel, SingleRowAndSingleArchetype) {
  check_block_products<double>(1, 3, 1, false, 4);
  check_block_products<double>(6, 8, 1, true, 5);
}

}  // namespace
