// Small host passes run on the calling thread (framework/kernels/launch.hpp): which ones, and that
// they compute what the parallel launch computes (every item once; sums in index order, as one
// thread of a parallel_reduce adds them).
#include <gtest/gtest.h>

#include <vector>

#include "framework/kernels/block_copy.hpp"
#include "framework/kernels/launch.hpp"

namespace launch_test {

using kaa::ExecSpace;
using kaa::kernels::kInlineWork;
using kaa::kernels::runs_inline;

TEST(Launch, SmallOrSingleItemHostPassesRunInline) {
  ASSERT_TRUE(kaa::kernels::runs_on_host<ExecSpace>);
  EXPECT_TRUE(runs_inline<ExecSpace>(2, kInlineWork - 1));
  EXPECT_FALSE(runs_inline<ExecSpace>(2, kInlineWork));
  EXPECT_TRUE(runs_inline<ExecSpace>(1, 100 * kInlineWork));  // one chunk: one thread anyway
  EXPECT_FALSE(runs_inline<ExecSpace>(1000, 100 * kInlineWork));
}

/// Values whose double sum depends on the order they are added in.
std::vector<double> order_sensitive(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = (i % 3 == 0 ? 1e16 : 1.0) * (i % 2 ? -1.0 : 1.0) + 0.3;
  return v;
}

double sum_in(std::size_t n) {
  const std::vector<double> host = order_sensitive(n);
  kaa::Vector<double> v("v", n);
  auto m = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < n; ++i) m(i) = host[i];
  Kokkos::deep_copy(v, m);
  return kaa::kernels::launch_sum(
      ExecSpace(), "test.sum", n, n,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) { acc += v(i); });
}

TEST(Launch, AnInlineSumAddsInIndexOrder) {
  const std::size_t n = 999;
  ASSERT_TRUE(runs_inline<ExecSpace>(n, n));
  double expected = 0;
  for (double x : order_sensitive(n)) expected += x;
  EXPECT_EQ(sum_in(n), expected);
}

TEST(Launch, FillAndCopyReachEveryEntryInlineAndInParallel) {
  for (std::size_t rows : {std::size_t{7}, 2 * kInlineWork / 3 + 1}) {  // inline, then parallel
    kaa::Matrix<float> a("a", rows, 3), b("b", rows, 3);
    kaa::kernels::fill_block(ExecSpace(), a, 2.5f);
    kaa::kernels::copy_block(ExecSpace(), a, b);
    auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), b);
    for (std::size_t e = 0; e < h.size(); ++e) ASSERT_EQ(h.data()[e], 2.5f) << rows << " " << e;
  }
}

}  // namespace launch_test
