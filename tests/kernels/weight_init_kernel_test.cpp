// The counter-stream weight starts against the same draws taken on the host: uniform simplex
// rows (with a row offset), the uniform fill, one-hot rows and columns softened by noise; plus a
// wrong pick extent.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "framework/host_transfer.hpp"
#include "framework/kernels/weight_init.hpp"

namespace {

using kaa::kernels::uniform01;

kaa::Vector<std::size_t> weight_init_picks(const std::vector<std::size_t>& picks) {
  kaa::Vector<std::size_t> v("pick", picks.size());
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t j = 0; j < picks.size(); ++j) h(j) = picks[j];
  Kokkos::deep_copy(v, h);
  return v;
}

TEST(WeightInitKernel, UniformSimplexRowsAreTheClampedRescaledDraws) {
  const std::size_t n = 20, k = 4, offset = 100;
  kaa::Matrix<double> W("W", n, k);
  kaa::kernels::uniform_simplex_rows(kaa::ExecSpace(), W, 0.1, 0.8, 1e-10, 9, 0, offset);
  const kaa::HostMatrix got = kaa::to_host(W);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> v(k);
    double sum = 0;
    for (std::size_t j = 0; j < k; ++j)
      sum += v[j] = 0.1 + 0.8 * uniform01(9, 0, (offset + i) * k + j);
    for (std::size_t j = 0; j < k; ++j) EXPECT_NEAR(got(i, j), v[j] / sum, 1e-15) << i << j;
  }
}

TEST(WeightInitKernel, UniformFillUsesOneDrawPerEntry) {
  kaa::Matrix<float> G("G", 3, 5);
  kaa::kernels::uniform_fill(kaa::ExecSpace(), G, 0.1, 0.8, 4, 5);
  const kaa::HostMatrix got = kaa::to_host(G);
  for (std::size_t e = 0; e < 15; ++e)
    EXPECT_EQ(got.values[e],
              static_cast<double>(static_cast<float>(0.1 + 0.8 * uniform01(4, 5, e))));
}

TEST(WeightInitKernel, NoisyOneHotRowsAndColumnsSumToOneAroundThePick) {
  const std::size_t k = 3, n = 50;
  const std::vector<std::size_t> picks = {7, 0, 49};
  kaa::Matrix<double> B("B", k, n), theta("theta", n, k);
  auto B_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), B);  // zeros
  for (std::size_t j = 0; j < k; ++j) B_host(j, picks[j]) = 1.0;
  Kokkos::deep_copy(B, B_host);
  kaa::kernels::add_noise_renormalize_rows(kaa::ExecSpace(), B, 0.05, 3, 2);
  kaa::kernels::noisy_one_hot_columns(kaa::ExecSpace(), theta, weight_init_picks(picks), 0.05, 3,
                                      4);
  const kaa::HostMatrix rows = kaa::to_host(B), cols = kaa::to_host(theta);
  for (std::size_t j = 0; j < k; ++j) {
    double row_sum = 0, col_sum = 0;
    std::vector<double> v(n), w(n);
    for (std::size_t i = 0; i < n; ++i) {
      row_sum += v[i] = (i == picks[j] ? 1.0 : 0.0) + 0.05 * uniform01(3, 2, j * n + i);
      col_sum += w[i] = (i == picks[j] ? 1.0 : 0.0) + 0.05 * uniform01(3, 4, j * n + i);
    }
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_NEAR(rows(j, i), v[i] / row_sum, 1e-15) << j << ", " << i;
      EXPECT_NEAR(cols(i, j), w[i] / col_sum, 1e-15) << i << ", " << j;
    }
  }
}

TEST(WeightInitKernel, WrongPickExtentThrows) {
  EXPECT_THROW(
      kaa::kernels::noisy_one_hot_columns(kaa::ExecSpace(), kaa::Matrix<double>("theta", 9, 3),
                                          weight_init_picks({1, 2}), 0.05, 1, 2),
      std::invalid_argument);
}

}  // namespace
