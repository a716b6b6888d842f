// The support-function passes against host loops: the centroid, chunked extremes (first maximum
// per chunk, ties included), projections of other points, gathered rows; one wrong extent.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/support.hpp"
#include "tests/support/host_matrices.hpp"

namespace support_kernel_test {

using kaa::HostMatrix;
using kaa_test::random_matrix;
using Space = kaa::ExecSpace;

kaa::Vector<double> to_vector(const std::vector<double>& v) {
  kaa::Vector<double> out("v", v.size());
  auto h = Kokkos::create_mirror_view(out);
  for (std::size_t i = 0; i < v.size(); ++i) h(i) = v[i];
  Kokkos::deep_copy(out, h);
  return out;
}

TEST(SupportKernel, CentroidExtremesAlongAndRowsMatchHostLoops) {
  const std::size_t n = 203, d = 5, m = 3;
  const long chunk_size = 20;  // 11 chunks, the last one short
  HostMatrix X = random_matrix(n, d, 31);
  for (std::size_t f = 0; f < d; ++f) X(40, f) = X(150, f) = 5.0;  // extreme, tied across chunks
  const auto X_d = kaa::to_device<double>(X, "X");

  std::vector<double> c(d, 0.0);
  for (std::size_t f = 0; f < d; ++f) {
    for (std::size_t i = 0; i < n; ++i) c[f] += X(i, f);  // the kernel's own order
    c[f] /= static_cast<double>(n);
  }
  kaa::Vector<double> c_d("c", d);
  kaa::kernels::support_centroid(Space(), X_d, c_d);
  const auto c_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), c_d);
  for (std::size_t f = 0; f < d; ++f) EXPECT_NEAR(c_h(f), c[f], 1e-15) << f;

  // Along direction 0 = (1, ..., 1) rows 40 and 150 are the extremes: the first index must win.
  HostMatrix U = random_matrix(m, d, 32);
  for (std::size_t f = 0; f < d; ++f) U(0, f) = 1.0;
  const kaa::kernels::SupportMatrix U_d = kaa::to_device<double>(U, "U");
  const long chunks = (static_cast<long>(n) + chunk_size - 1) / chunk_size;
  kaa::kernels::SupportMatrix best("best", m, chunks);
  kaa::kernels::SupportIndex best_i("best_i", m, chunks);
  const auto c_dev = to_vector(c);
  kaa::kernels::support_chunk_extremes(Space(), X_d, c_dev, U_d, chunk_size, best, best_i);
  const auto bh = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), best);
  const auto ih = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), best_i);
  auto dot = [&](const HostMatrix& P, std::size_t i, std::size_t j) {
    double p = 0;
    for (std::size_t f = 0; f < d; ++f) p += (P(i, f) - c[f]) * U(j, f);
    return p;
  };
  for (std::size_t j = 0; j < m; ++j) {
    double top = 0;
    long top_i = -1;
    for (long ch = 0; ch < chunks; ++ch) {
      double chunk_top = 0;
      long chunk_i = -1;
      for (long i = ch * chunk_size; i < std::min<long>(n, (ch + 1) * chunk_size); ++i) {
        if (chunk_i < 0 || dot(X, i, j) > chunk_top) {
          chunk_top = dot(X, i, j);
          chunk_i = i;
        }
      }
      EXPECT_NEAR(bh(j, ch), chunk_top, 1e-13) << j << ", " << ch;
      EXPECT_EQ(ih(j, ch), chunk_i) << j << ", " << ch;
      if (top_i < 0 || chunk_top > top) {
        top = chunk_top;
        top_i = chunk_i;
      }
    }
    if (j == 0) {
      EXPECT_EQ(top_i, 40);
    }
  }

  // Points equal to data rows project as those rows do (to rounding: a device may contract
  // multiply-adds differently from this host loop).
  HostMatrix P(m, d);
  for (std::size_t j = 0; j < m; ++j)
    for (std::size_t f = 0; f < d; ++f) P(j, f) = X(10 * j + 1, f);
  kaa::Vector<double> along("along", m);
  kaa::kernels::support_along(Space(), kaa::to_device<double>(P, "P"), c_dev, U_d, along);
  const auto ah = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), along);
  for (std::size_t j = 0; j < m; ++j) EXPECT_NEAR(ah(j), dot(X, 10 * j + 1, j), 1e-13) << j;

  Kokkos::View<long*, kaa::MemSpace> index("index", 2);
  auto index_h = Kokkos::create_mirror_view(index);
  index_h(0) = 202;
  index_h(1) = 3;
  Kokkos::deep_copy(index, index_h);
  kaa::kernels::SupportMatrix rows("rows", 2, d);
  kaa::kernels::support_gather_rows(Space(), kaa::to_device<float>(X, "Xf"), index, rows);
  const HostMatrix rows_h = kaa::to_host(rows);
  for (std::size_t f = 0; f < d; ++f) {
    EXPECT_EQ(rows_h(0, f), static_cast<double>(static_cast<float>(X(202, f))));
    EXPECT_EQ(rows_h(1, f), static_cast<double>(static_cast<float>(X(3, f))));
  }
}

TEST(SupportKernel, WrongExtentThrows) {
  kaa::Matrix<double> X("X", 10, 3);
  kaa::Vector<double> c("c", 4);
  EXPECT_THROW(kaa::kernels::support_centroid(Space(), X, c), std::invalid_argument);
  kaa::kernels::SupportMatrix U("U", 2, 3), best("best", 2, 2);
  kaa::kernels::SupportIndex best_i("best_i", 2, 2);
  kaa::Vector<double> c3("c", 3);
  // chunk_size 4 over 10 rows is 3 chunks, not 2.
  EXPECT_THROW(kaa::kernels::support_chunk_extremes(Space(), X, c3, U, 4, best, best_i),
               std::invalid_argument);
}

}  // namespace support_kernel_test
