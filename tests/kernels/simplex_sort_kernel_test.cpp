// simplex_sort_rows and simplex_euclidean_rows against a host bisection on the threshold tau
// (an independent method: sum max(w - tau, 0) = 1 is monotone in tau), float and double rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "framework/host_transfer.hpp"
#include "framework/kernels/simplex_euclidean.hpp"
#include "framework/kernels/simplex_sort.hpp"
#include "tests/support/host_matrices.hpp"

namespace simplex_sort_kernel_test {

using kaa::HostMatrix;
using Space = kaa::ExecSpace;

/// max(w - tau, 0) with tau found by bisection to ~1e-15.
std::vector<double> bisection_projection(const std::vector<double>& w) {
  double lo = *std::min_element(w.begin(), w.end()) - 1, hi = *std::max_element(w.begin(), w.end());
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    double s = 0;
    for (double v : w) s += std::max(v - mid, 0.0);
    (s > 1 ? lo : hi) = mid;
  }
  std::vector<double> out;
  for (double v : w) out.push_back(std::max(v - 0.5 * (lo + hi), 0.0));
  return out;
}

template <class S>
void check_projections(double tol) {
  const std::size_t rows = 60, cols = 9;
  const HostMatrix W = kaa_test::gaussian_matrix(rows, cols, 41, 0.8);
  auto sorted_in = kaa::to_device<S>(W, "W"), euclid_in = kaa::to_device<S>(W, "W");
  kaa::Matrix<double> scratch;
  kaa::kernels::simplex_sort_rows(Space(), sorted_in, scratch);
  kaa::kernels::simplex_euclidean_rows(Space(), euclid_in);
  const HostMatrix by_sort = kaa::to_host(sorted_in), by_michelot = kaa::to_host(euclid_in);
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<double> w(cols);
    for (std::size_t c = 0; c < cols; ++c) w[c] = static_cast<double>(static_cast<S>(W(r, c)));
    const std::vector<double> expected = bisection_projection(w);
    for (std::size_t c = 0; c < cols; ++c) {
      EXPECT_NEAR(by_sort(r, c), expected[c], tol) << "sort " << r << ", " << c;
      EXPECT_NEAR(by_michelot(r, c), expected[c], tol) << "michelot " << r << ", " << c;
    }
  }
  const double* before = scratch.data();
  kaa::kernels::simplex_sort_rows(Space(), sorted_in, scratch);
  EXPECT_EQ(scratch.data(), before) << "same shape: the scratch is reused";
}

TEST(SimplexSortKernel, MatchesBisectionDouble) { check_projections<double>(1e-12); }
TEST(SimplexSortKernel, MatchesBisectionFloat) { check_projections<float>(1e-6); }

}  // namespace simplex_sort_kernel_test
