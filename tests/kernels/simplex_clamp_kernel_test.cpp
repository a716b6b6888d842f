// simplex_clamp_rows / simplex_clamp_columns against host loops (negative entries, an all-tiny
// line whose sum is floored at eps).
#include <gtest/gtest.h>

#include <algorithm>

#include "framework/host_transfer.hpp"
#include "framework/kernels/simplex_clamp.hpp"
#include "tests/support/host_matrices.hpp"

namespace simplex_clamp_kernel_test {

using kaa::HostMatrix;
using Space = kaa::ExecSpace;

/// max(eps, w) / max(eps, sum max(eps, w)) along rows (or columns).
HostMatrix host_clamp(HostMatrix W, double eps, bool columns) {
  const std::size_t lines = columns ? W.cols : W.rows, count = columns ? W.rows : W.cols;
  for (std::size_t l = 0; l < lines; ++l) {
    double sum = 0;
    for (std::size_t j = 0; j < count; ++j) {
      double& w = columns ? W(j, l) : W(l, j);
      w = std::max(w, eps);
      sum += w;
    }
    sum = std::max(sum, eps);
    for (std::size_t j = 0; j < count; ++j) (columns ? W(j, l) : W(l, j)) /= sum;
  }
  return W;
}

TEST(SimplexClampKernel, RowsAndColumnsMatchHostLoops) {
  const double eps = 1e-3;
  HostMatrix W = kaa_test::random_matrix(8, 5, 51, -0.5, 1.0);
  for (std::size_t c = 0; c < W.cols; ++c) W(2, c) = 1e-9;  // sum floored
  for (const bool columns : {false, true}) {
    auto W_d = kaa::to_device<double>(W, "W");
    if (columns)
      kaa::kernels::simplex_clamp_columns(Space(), W_d, eps);
    else
      kaa::kernels::simplex_clamp_rows(Space(), W_d, eps);
    const HostMatrix got = kaa::to_host(W_d), expected = host_clamp(W, eps, columns);
    for (std::size_t e = 0; e < got.values.size(); ++e)
      EXPECT_NEAR(got.values[e], expected.values[e], 1e-15) << "columns " << columns << " " << e;
  }
}

}  // namespace simplex_clamp_kernel_test
