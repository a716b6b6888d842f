// ordered_sum and the entropy sum built on it against host loops that add in the documented order
// (fixed chunks, each in index order, partials in chunk order), bit for bit. A parallel_reduce,
// whose order follows the threads, gives other bits for values of mixed magnitude like these.
#include <gtest/gtest.h>

#include <cmath>

#include "framework/host_transfer.hpp"
#include "framework/kernels/entropy.hpp"
#include "framework/kernels/ordered_sum.hpp"
#include "tests/support/host_matrices.hpp"

namespace ordered_sum_kernel_test {

using kaa::HostMatrix;
using kaa_test::random_matrix;
using Space = kaa::ExecSpace;

/// The documented order on the host, walked row by row: a partial per chunk of the split
/// row_chunks gives, added to the total whenever a chunk ends.
template <class Add>
double chunked_host_sum(std::size_t count, const Add& add) {
  const std::size_t rows = kaa::kernels::row_chunks<Space>(count, 1).rows;
  double total = 0, partial = 0;
  for (std::size_t i = 0; i < count; ++i) {
    add(i, partial);
    if ((i + 1) % rows == 0 || i + 1 == count) {
      total += partial;
      partial = 0;
    }
  }
  return total;
}

/// Values spread over twelve orders of magnitude, so that any other order rounds differently.
HostMatrix mixed_magnitudes(std::size_t n) {
  HostMatrix v = random_matrix(n, 2, 11, 0.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) v(i, 0) = std::pow(10.0, 12.0 * v(i, 1) - 6.0) * v(i, 0);
  return v;
}

/// ordered_sum of column 0 of v (a free function: CUDA cannot compile a lambda in a test body,
/// which is a private member function).
double device_sum(const kaa::Matrix<double>& v, kaa::kernels::OrderedSumWorkspace& ws) {
  const std::size_t n = v.extent(0);
  return kaa::kernels::ordered_sum(
      Space(), "test.ordered_sum", n, n,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) { acc += v(i, 0); }, ws);
}

class OrderedSum : public ::testing::TestWithParam<std::size_t> {};

TEST_P(OrderedSum, EqualsTheChunkedHostLoopBitForBit) {
  const std::size_t n = GetParam();
  const HostMatrix v = mixed_magnitudes(n);
  const auto v_d = kaa::to_device<double>(v, "v");
  kaa::kernels::OrderedSumWorkspace ws;
  const double got = device_sum(v_d, ws);
  const double want = chunked_host_sum(n, [&](std::size_t i, double& acc) { acc += v(i, 0); });
  EXPECT_EQ(got, want);
  EXPECT_EQ(got, device_sum(v_d, ws));  // the workspace, now sized, reused
}

// One chunk (inline on the host), a few chunks run inline (work below the threshold), and enough
// chunks and work for the parallel path.
INSTANTIATE_TEST_SUITE_P(Sizes, OrderedSum, ::testing::Values(700, 9000, 200000));

TEST(OrderedSum, EntropySumAddsInTheDocumentedOrder) {
  const std::size_t n = 60000, k = 5;
  HostMatrix W = random_matrix(n, k, 12, 0.0, 1.0);
  for (std::size_t i = 0; i < n; i += 7) W(i, i % k) = 1e-9;  // tiny weights: mixed magnitudes
  const auto W_d = kaa::to_device<float>(W, "W");
  kaa::kernels::OrderedSumWorkspace ws;
  const double eps = 1e-8;
  const double got =
      kaa::kernels::entropy_sum<false>("test.entropy", W_d, eps, 0.0, kaa::Matrix<float>(), ws);
  const auto W_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), W_d);
  const float e = static_cast<float>(eps);
  const double want = chunked_host_sum(n, [&](std::size_t i, double& acc) {
    for (std::size_t j = 0; j < k; ++j) {
      const float w = W_h(i, j);
      acc -= static_cast<double>(w * kaa::kernels::log(w + e));
    }
  });
  EXPECT_EQ(got, want);
}

}  // namespace ordered_sum_kernel_test
