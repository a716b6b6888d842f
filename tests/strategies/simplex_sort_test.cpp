// simplex_sort against simplex_euclidean (Michelot's algorithm) and against a host sort-based
// projection on long rows (mixing weights), with exact ties and feasible rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <vector>

#include "framework/host_transfer.hpp"
#include "strategies/projectors/simplex_euclidean.hpp"
#include "strategies/projectors/simplex_sort.hpp"

#include "tests/strategies/make_strategy.hpp"

namespace {

using kaa_test::make;

kaa::HostMatrix random_rows(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  kaa::HostMatrix W(rows, cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) W(i, j) = (i % 5 == 0 ? 30.0 : 1.0) * u(rng);
  for (std::size_t j = 0; j < cols; ++j) W(0, j) = 0.5;  // all tied
  if (rows > 1) {                                        // a feasible row
    for (std::size_t j = 0; j < cols; ++j) W(1, j) = 1.0 / cols;
  }
  if (rows > 2 && cols > 1) {  // ties at the top
    W(2, 0) = W(2, cols - 1) = 3.0;
  }
  return W;
}

TEST(SimplexSort, AgreesWithSimplexEuclidean) {
  auto sorted = make<kaa::strategies::SimplexSort, double>();
  auto michelot = make<kaa::strategies::SimplexEuclidean, double>();
  const kaa::Matrix<double> none;
  for (std::size_t k : {1u, 2u, 3u, 7u, 16u, 64u}) {
    SCOPED_TRACE("k = " + std::to_string(k));
    const kaa::HostMatrix W = random_rows(200, k, 40 + k);
    auto a = kaa::to_device<double>(W, "a");
    auto b = kaa::to_device<double>(W, "b");
    sorted.project(a, none);
    michelot.project(b, none);
    const kaa::HostMatrix A = kaa::to_host(a), B = kaa::to_host(b);
    for (std::size_t e = 0; e < A.values.size(); ++e) {
      // Two exact algorithms, rounding of one threshold each: 1e-13 for entries up to 60.
      EXPECT_NEAR(A.values[e], B.values[e], 1e-13) << "entry " << e;
      EXPECT_GE(A.values[e], 0.0);
    }
    for (std::size_t i = 0; i < W.rows; ++i) {
      double sum = 0;
      for (std::size_t j = 0; j < k; ++j) sum += A(i, j);
      EXPECT_NEAR(sum, 1.0, 1e-12) << "row " << i;
    }
    for (std::size_t j = 0; j < k; ++j) EXPECT_NEAR(A(1, j), 1.0 / k, 1e-15);  // feasible row
  }
}

TEST(SimplexSort, LongMixingRowsMatchHostSortProjection) {
  auto proj = make<kaa::strategies::SimplexSort, double>();
  const kaa::HostMatrix W = random_rows(4, 1500, 9);
  auto block = kaa::to_device<double>(W, "B");
  proj.project(block, kaa::Matrix<double>());
  const kaa::HostMatrix out = kaa::to_host(block);
  for (std::size_t r = 0; r < W.rows; ++r) {
    std::vector<double> u(W.values.begin() + r * W.cols, W.values.begin() + (r + 1) * W.cols);
    std::sort(u.begin(), u.end(), std::greater<double>());
    double cumulative = 0, tau = 0;
    for (std::size_t j = 0; j < u.size(); ++j) {
      cumulative += u[j];
      const double t = (cumulative - 1.0) / static_cast<double>(j + 1);
      if (u[j] > t) tau = t;
    }
    for (std::size_t c = 0; c < W.cols; ++c)
      EXPECT_NEAR(out(r, c), std::max(W(r, c) - tau, 0.0), 1e-13) << r << "," << c;
  }
}

TEST(SimplexSort, FloatRowsLandOnTheSimplex) {
  auto proj = make<kaa::strategies::SimplexSort, float>();
  const kaa::HostMatrix W = random_rows(50, 9, 3);
  auto block = kaa::to_device<float>(W, "W");
  proj.project(block, kaa::Matrix<float>());
  const kaa::HostMatrix out = kaa::to_host(block);
  for (std::size_t i = 0; i < W.rows; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < W.cols; ++j) {
      EXPECT_GE(out(i, j), 0.0);
      sum += out(i, j);
    }
    EXPECT_NEAR(sum, 1.0, 1e-6) << "row " << i;
  }
}

}  // namespace
