// The pcha entry points against plain host loops in long double on random inputs (several rows per
// thread and several row chunks, k not a power of two), and one wrong extent.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/pcha.hpp"
#include "tests/support/host_matrices.hpp"

namespace pcha_kernel_test {

using kaa::HostMatrix;
using kaa_test::random_matrix;
using Space = kaa::ExecSpace;

/// Rows of W non-negative and summing to 1.
HostMatrix simplex_rows(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  HostMatrix W = random_matrix(rows, cols, seed, 0.0, 1.0);
  for (std::size_t r = 0; r < rows; ++r) {
    double s = 0;
    for (std::size_t c = 0; c < cols; ++c) s += W(r, c);
    for (std::size_t c = 0; c < cols; ++c) W(r, c) /= s;
  }
  return W;
}

// Sums of at most a few hundred double terms of size ~1: relative error well below 1e-12.
constexpr double kTol = 1e-12;

TEST(PchaKernel, WeightsSsePartAndGradientMatchHostLoops) {
  const std::size_t n = 2500, k = 7;  // more rows than one chunk holds
  const HostMatrix A = simplex_rows(n, k, 1), P = random_matrix(n, k, 2);
  HostMatrix G = random_matrix(k, k, 3);
  const auto A_d = kaa::to_device<double>(A, "A"), P_d = kaa::to_device<double>(P, "P"),
             G_d = kaa::to_device<double>(G, "G");
  long double sse = 0;
  HostMatrix g(n, k);
  const double scale = 0.37;
  for (std::size_t i = 0; i < n; ++i) {
    long double dot = 0;
    for (std::size_t a = 0; a < k; ++a) {
      long double ga = -2.0L * P(i, a), s = -P(i, a);
      for (std::size_t b = 0; b < k; ++b) {
        ga += static_cast<long double>(G(a, b)) * A(i, b);
        s += static_cast<long double>(A(i, b)) * G(b, a);
      }
      sse += A(i, a) * ga;
      g(i, a) = static_cast<double>(s * scale);
      dot += static_cast<long double>(g(i, a)) * A(i, a);
    }
    for (std::size_t a = 0; a < k; ++a) g(i, a) = static_cast<double>(g(i, a) - dot);
  }
  kaa::kernels::OrderedSumWorkspace ws;
  const double got = kaa::kernels::pcha_weights_sse_part(Space(), A_d, P_d, G_d, ws);
  EXPECT_NEAR(got, static_cast<double>(sse), kTol * std::fabs(static_cast<double>(sse)) * 10);
  ASSERT_GT(kaa::kernels::row_chunks<Space>(n, 1).count, 1u)
      << "one chunk: the chunked sum is not exercised";

  kaa::Matrix<double> g_d("g", n, k);
  kaa::kernels::pcha_weights_gradient(Space(), A_d, P_d, G_d, scale, g_d);
  kaa::kernels::pcha_subtract_row_inner_products(Space(), g_d, A_d);
  const HostMatrix got_g = kaa::to_host(g_d);
  for (std::size_t e = 0; e < g.values.size(); ++e)
    EXPECT_NEAR(got_g.values[e], g.values[e], kTol * 10) << "entry " << e;
}

TEST(PchaKernel, SumOfSquaresMatchesHostLoop) {
  const std::size_t n = 3000, d = 5;
  const HostMatrix X = random_matrix(n, d, 9);
  long double sst = 0;
  for (const double x : X.values) sst += static_cast<long double>(x) * x;
  kaa::kernels::OrderedSumWorkspace ws;
  const double got = kaa::kernels::pcha_sum_of_squares(Space(), kaa::to_device<double>(X, "X"), ws);
  EXPECT_NEAR(got, static_cast<double>(sst), kTol * static_cast<double>(sst));
}

TEST(PchaKernel, TrialRowsProjectAndRenormalise) {
  const std::size_t rows = 40, cols = 150;  // long rows: several team threads per row
  const HostMatrix W_old = simplex_rows(rows, cols, 4), g = random_matrix(rows, cols, 5);
  const double mu = 0.01;
  const auto W_old_d = kaa::to_device<double>(W_old, "W_old"), g_d = kaa::to_device<double>(g, "g");
  kaa::Matrix<double> W_d("W", rows, cols);
  kaa::kernels::pcha_trial_rows(Space(), W_old_d, g_d, mu, W_d);
  const HostMatrix W = kaa::to_host(W_d);
  for (std::size_t r = 0; r < rows; ++r) {
    long double sum = 0;
    for (std::size_t c = 0; c < cols; ++c) sum += std::max(0.0, W_old(r, c) - mu * g(r, c));
    ASSERT_GT(sum, 0);
    for (std::size_t c = 0; c < cols; ++c)
      EXPECT_NEAR(W(r, c), std::max(0.0, W_old(r, c) - mu * g(r, c)) / static_cast<double>(sum),
                  kTol)
          << r << ", " << c;
  }
}

TEST(PchaKernel, MixingGradientMatchesHostLoop) {
  const std::size_t n = 250, d = 9, k = 5;
  const HostMatrix X = random_matrix(n, d, 6), M = random_matrix(k, d, 7),
                   XQ = random_matrix(n, k, 8);
  kaa::Vector<double> scale("scale", k);
  auto scale_h = Kokkos::create_mirror_view(scale);
  for (std::size_t j = 0; j < k; ++j) scale_h(j) = 0.5 + 0.25 * static_cast<double>(j);
  Kokkos::deep_copy(scale, scale_h);
  kaa::Matrix<double> g_d("g", k, n);
  kaa::kernels::pcha_mixing_gradient(Space(), kaa::to_device<float>(X, "X"),
                                     kaa::to_device<double>(M, "M"),
                                     kaa::to_device<double>(XQ, "XQ"), scale, g_d);
  const HostMatrix g = kaa::to_host(g_d);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      long double s = -XQ(i, j);
      for (std::size_t f = 0; f < d; ++f)
        s += static_cast<long double>(static_cast<float>(X(i, f))) * M(j, f);
      EXPECT_NEAR(g(j, i), static_cast<double>(s) * scale_h(j), kTol * 10) << j << ", " << i;
    }
}

TEST(PchaKernel, WrongExtentThrowsNamingTheEntryPoint) {
  kaa::Matrix<double> A("A", 10, 3), P("P", 10, 4), G("G", 3, 3);
  try {
    kaa::kernels::OrderedSumWorkspace ws;
    kaa::kernels::pcha_weights_sse_part(Space(), A, P, G, ws);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("pcha_weights_sse_part: P extent(1) is 4, expected 3"),
              std::string::npos)
        << e.what();
  }
  kaa::Matrix<double> W("W", 10, 3), g("g", 9, 3);
  EXPECT_THROW(kaa::kernels::pcha_subtract_row_inner_products(Space(), g, W),
               std::invalid_argument);
}

}  // namespace pcha_kernel_test
