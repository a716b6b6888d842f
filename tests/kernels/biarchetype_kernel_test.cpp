// The biarchetypal projection's passes against host transcriptions: the softmax pull toward the
// top candidates (with exact ties, both orientations), the direction normalisation (with a
// degenerate direction), the centred projections, and a wrong extent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "framework/host_transfer.hpp"
#include "framework/kernels/biarchetype.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa::kernels::Work;

Work biarchetype_to_device(const kaa::HostMatrix& m) { return kaa::to_device<double>(m, "m"); }

/// Coefficient vector j of C (row, or column when transposed) after the pull, in a plain host
/// loop: top kp by a stable descending sort (ties: higher index first), softmax, blend, floor,
/// renormalise.
void biarchetype_pull_host(const kaa::HostMatrix& P, kaa::HostMatrix& C, bool transposed,
                           std::size_t kp, double mix, double eps) {
  const std::size_t m = P.rows, r = P.cols;
  for (std::size_t j = 0; j < r; ++j) {
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return P(a, j) > P(b, j) || (P(a, j) == P(b, j) && a > b);
    });
    std::vector<double> hot(m, 0.0);
    double total = 0;
    for (std::size_t s = 0; s < kp; ++s) total += std::exp(P(order[s], j) - P(order[0], j));
    for (std::size_t s = 0; s < kp; ++s)
      hot[order[s]] = std::exp(P(order[s], j) - P(order[0], j)) / total;
    double sum = 0;
    for (std::size_t i = 0; i < m; ++i) {
      double& c = transposed ? C(i, j) : C(j, i);
      c = std::max(eps, mix * hot[i] + (1 - mix) * c);
      sum += c;
    }
    for (std::size_t i = 0; i < m; ++i) {
      double& c = transposed ? C(i, j) : C(j, i);
      c = sum > eps ? c / sum : 1.0 / static_cast<double>(m);
    }
  }
}

TEST(BiarchetypeKernel, SoftmaxTopPullMatchesTheHostLoopWithTies) {
  const std::size_t m = 40, r = 3, kp = 5;
  kaa::HostMatrix P = kaa_test::random_matrix(m, r, 21);
  for (std::size_t i = 0; i < m; i += 3) P(i, 1) = 0.5;  // many exact ties in column 1
  for (bool transposed : {false, true}) {
    kaa::HostMatrix C = transposed ? kaa_test::random_matrix(m, r, 22, 0, 1)
                                   : kaa_test::random_matrix(r, m, 22, 0, 1);
    const auto Cd = kaa::to_device<double>(C, "C");
    kaa::kernels::TopPullWorkspace ws;
    kaa::kernels::softmax_top_pull(kaa::ExecSpace(), biarchetype_to_device(P), Cd, transposed, kp,
                                   0.8, 1e-10, ws);
    biarchetype_pull_host(P, C, transposed, kp, 0.8, 1e-10);
    const kaa::HostMatrix got = kaa::to_host(Cd);
    for (std::size_t e = 0; e < C.values.size(); ++e)
      EXPECT_NEAR(got.values[e], C.values[e], 1e-14) << "transposed " << transposed << " " << e;
  }
}

TEST(BiarchetypeKernel, NormalizeDirectionsScalesRowsAndReplacesDegenerateOnes) {
  const std::size_t r = 3, m = 9;
  kaa::HostMatrix D = kaa_test::random_matrix(r, m, 23);
  for (std::size_t i = 0; i < m; ++i) D(1, i) = 0;  // degenerate
  const Work Dd = biarchetype_to_device(D);
  kaa::kernels::DirectionWorkspace ws;
  kaa::kernels::normalize_directions(kaa::ExecSpace(), Dd, 1e-10, ws);
  const kaa::HostMatrix got = kaa::to_host(Dd);
  for (std::size_t j : {0, 2}) {
    double norm = 0;
    for (std::size_t i = 0; i < m; ++i) norm += D(j, i) * D(j, i);
    norm = std::sqrt(norm);
    for (std::size_t i = 0; i < m; ++i) EXPECT_NEAR(got(j, i), D(j, i) / norm, 1e-15);
  }
  for (std::size_t i = 0; i < m; ++i) {
    const double u1 = 1.0 - kaa::kernels::uniform01(0, 7, 2 * i);
    const double u2 = kaa::kernels::uniform01(0, 7, 2 * i + 1);
    const double g = std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * u2);
    EXPECT_NEAR(got(1, i), g / std::sqrt(static_cast<double>(m)), 1e-14) << i;
  }
}

TEST(BiarchetypeKernel, CentredProjectionsMatchTheHostLoop) {
  const std::size_t n = 50, d = 6, k = 3;
  const kaa::HostMatrix X = kaa_test::random_matrix(n, d, 24);
  const kaa::HostMatrix D = kaa_test::random_matrix(k, d, 25);
  const auto Xd = kaa::to_device<double>(X, "X");
  kaa::Vector<double> centre("centre", d);
  kaa::kernels::centre_of_rows(kaa::ExecSpace(), Xd, centre);
  Work P("P", n, k);
  kaa::kernels::centred_projections(kaa::ExecSpace(), Xd, centre, biarchetype_to_device(D), P);
  std::vector<double> mean(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) mean[f] += X(i, f) / static_cast<double>(n);
  const kaa::HostMatrix got = kaa::to_host(P);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) {
      double s = 0;
      for (std::size_t f = 0; f < d; ++f) s += (X(i, f) - mean[f]) * D(j, f);
      EXPECT_NEAR(got(i, j), s, 1e-13) << i << ", " << j;
    }
}

TEST(BiarchetypeKernel, WrongExtentThrows) {
  const Work P("P", 10, 2);
  const kaa::Matrix<double> C("C", 3, 10);  // 3 coefficient vectors, P has 2 columns
  kaa::kernels::TopPullWorkspace ws;
  EXPECT_THROW(kaa::kernels::softmax_top_pull(kaa::ExecSpace(), P, C, false, 2, 0.5, 1e-10, ws),
               std::invalid_argument);
  EXPECT_THROW(kaa::kernels::softmax_top_pull(kaa::ExecSpace(), P, kaa::Matrix<double>("C", 2, 10),
                                              false, 65, 0.5, 1e-10, ws),
               std::invalid_argument);
}

}  // namespace
