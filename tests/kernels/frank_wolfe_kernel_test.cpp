// The frank_wolfe entry points against host loops: row argmins (short and team-per-row long rows,
// with ties), the vertex move, the mixing scores, one exact step on weight rows; one wrong extent.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/frank_wolfe.hpp"
#include "tests/support/host_matrices.hpp"

namespace frank_wolfe_kernel_test {

using kaa::HostMatrix;
using kaa_test::random_matrix;
using Space = kaa::ExecSpace;

std::vector<long> to_host(const kaa::kernels::VertexIndex& v) {
  const auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), v);
  return std::vector<long>(h.data(), h.data() + h.extent(0));
}

TEST(FrankWolfeKernel, RowArgminsTakeTheFirstMinimum) {
  for (const std::size_t cols : {std::size_t(5), std::size_t(64), std::size_t(300)}) {
    const std::size_t rows = 37;
    std::mt19937_64 rng(cols);
    std::uniform_int_distribution<int> coarse(0, 6);  // many ties
    HostMatrix scores(rows, cols);
    for (double& v : scores.values) v = coarse(rng);
    kaa::kernels::VertexIndex out("out", rows);
    kaa::kernels::frank_wolfe_row_argmins(Space(), kaa::to_device<double>(scores, "s"), out);
    const std::vector<long> got = to_host(out);
    for (std::size_t r = 0; r < rows; ++r) {
      long best = 0;
      for (std::size_t c = 1; c < cols; ++c)
        if (scores(r, c) < scores(r, best)) best = static_cast<long>(c);
      EXPECT_EQ(got[r], best) << "cols " << cols << ", row " << r;
    }
  }
}

TEST(FrankWolfeKernel, MoveToVerticesIsAConvexStep) {
  const std::size_t rows = 20, cols = 6;
  const HostMatrix W = random_matrix(rows, cols, 11, 0.0, 1.0);
  kaa::kernels::VertexIndex vertex("vertex", rows);
  auto vh = Kokkos::create_mirror_view(vertex);
  for (std::size_t r = 0; r < rows; ++r) vh(r) = static_cast<long>((3 * r) % cols);
  Kokkos::deep_copy(vertex, vh);
  const double gamma = 0.3;
  auto W_d = kaa::to_device<double>(W, "W");
  kaa::kernels::frank_wolfe_move_to_vertices(Space(), W_d, vertex, gamma);
  const HostMatrix got = kaa::to_host(W_d);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const double expected = (1 - gamma) * W(r, c) + (static_cast<long>(c) == vh(r) ? gamma : 0.0);
      EXPECT_NEAR(got(r, c), expected, 1e-15) << r << ", " << c;
    }
}

TEST(FrankWolfeKernel, MixingScoresMatchHostLoop) {
  const std::size_t n = 120, d = 7, k = 4;
  const HostMatrix X = random_matrix(n, d, 12), M = random_matrix(k, d, 13),
                   m = random_matrix(1, d, 14);
  kaa::Vector<double> m_d("m", d);
  auto mh = Kokkos::create_mirror_view(m_d);
  for (std::size_t f = 0; f < d; ++f) mh(f) = m(0, f);
  Kokkos::deep_copy(m_d, mh);
  kaa::Matrix<double> scores("scores", k, n);
  kaa::kernels::frank_wolfe_mixing_scores(Space(), kaa::to_device<double>(X, "X"), m_d,
                                          kaa::to_device<double>(M, "M"), scores);
  const HostMatrix got = kaa::to_host(scores);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      long double s = 0;
      for (std::size_t f = 0; f < d; ++f)
        s += (static_cast<long double>(X(i, f)) - m(0, f)) * M(j, f);
      EXPECT_NEAR(got(j, i), static_cast<double>(s), 1e-14) << j << ", " << i;
    }
}

/// One exact FW step on a row: the vertex of smallest h = a G - p, step gap / curvature (<= 1).
TEST(FrankWolfeKernel, WeightStepMatchesHostLineSearch) {
  const std::size_t n = 50, k = 5, d = 3;
  HostMatrix A = random_matrix(n, k, 15, 0.1, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < k; ++j) s += A(i, j);
    for (std::size_t j = 0; j < k; ++j) A(i, j) /= s;
  }
  const HostMatrix Z = random_matrix(k, d, 16), X = random_matrix(n, d, 17);
  HostMatrix P(n, k), G(k, k);  // uncentred: P = X Z^T, G = Z Z^T
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b)
      for (std::size_t f = 0; f < d; ++f) G(a, b) += Z(a, f) * Z(b, f);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t f = 0; f < d; ++f) P(i, a) += X(i, f) * Z(a, f);
  auto A_d = kaa::to_device<double>(A, "A");
  kaa::kernels::frank_wolfe_weight_steps(Space(), A_d, kaa::to_device<double>(P, "P"),
                                         kaa::to_device<double>(G, "G"), 1);
  const HostMatrix got = kaa::to_host(A_d);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> ag(k, 0.0), h(k);
    std::size_t vertex = 0;
    for (std::size_t j = 0; j < k; ++j) {
      for (std::size_t l = 0; l < k; ++l) ag[j] += A(i, l) * G(l, j);
      h[j] = ag[j] - P(i, j);
      if (h[j] < h[vertex]) vertex = j;
    }
    double gap = -h[vertex], curvature = G(vertex, vertex) - 2 * ag[vertex];
    for (std::size_t j = 0; j < k; ++j) {
      gap += A(i, j) * h[j];
      curvature += A(i, j) * ag[j];
    }
    const double gamma = !(gap > 0) ? 0.0 : (curvature > gap ? gap / curvature : 1.0);
    for (std::size_t j = 0; j < k; ++j) {
      const double expected = (1 - gamma) * A(i, j) + (j == vertex ? gamma : 0.0);
      EXPECT_NEAR(got(i, j), expected, 1e-12) << i << ", " << j;
    }
  }
}

TEST(FrankWolfeKernel, WrongExtentThrows) {
  kaa::Matrix<double> scores("scores", 4, 10);
  kaa::kernels::VertexIndex out("out", 5);
  EXPECT_THROW(kaa::kernels::frank_wolfe_row_argmins(Space(), scores, out), std::invalid_argument);
  kaa::Matrix<double> A("A", 10, 3), P("P", 10, 3), G("G", 4, 4);
  EXPECT_THROW(kaa::kernels::frank_wolfe_weight_steps(Space(), A, P, G, 1), std::invalid_argument);
}

}  // namespace frank_wolfe_kernel_test
