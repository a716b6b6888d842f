// The per-row transform solvers against host transcriptions: archetypax's clamped gradient steps
// step for step, and the accelerated projected gradient against the exact minimiser of a case
// with a known answer; plus a wrong extent.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "framework/host_transfer.hpp"
#include "framework/kernels/transform_pgd.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

struct PgdInputs {
  kaa::Matrix<double> X;
  kaa::kernels::Work zp, G;
};

PgdInputs pgd_inputs(const kaa::HostMatrix& X, const kaa::HostMatrix& Z) {
  PgdInputs in{kaa::to_device<double>(X, "X"),
               kaa::kernels::padded_rows(kaa::to_device<double>(Z, "Z")),
               kaa::kernels::Work("G", Z.rows, Z.rows)};
  kaa::kernels::padded_gram(kaa::ExecSpace(), in.zp, in.G, "test.gram");
  return in;
}

TEST(TransformPgdKernel, ArchetypaxStepsMatchTheHostLoop) {
  const std::size_t n = 40, d = 5, k = 3;
  const long steps = 30;
  const double lr = 0.05, eps = 1e-10;
  const kaa::HostMatrix X = kaa_test::random_matrix(n, d, 31);
  const kaa::HostMatrix Z = kaa_test::random_matrix(k, d, 32);
  const PgdInputs in = pgd_inputs(X, Z);
  kaa::Matrix<double> W("W", n, k);
  kaa::kernels::archetypax_pgd_weights(kaa::ExecSpace(), in.X, in.zp, in.G, steps, lr, eps, W);
  const kaa::HostMatrix got = kaa::to_host(W);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> w(k, 1.0 / k), grad(k);
    for (long t = 0; t < steps; ++t) {
      for (std::size_t a = 0; a < k; ++a) {  // 2 (w Z - x) . z_a
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) {
          double wz = 0;
          for (std::size_t b = 0; b < k; ++b) wz += w[b] * Z(b, f);
          s += (wz - X(i, f)) * Z(a, f);
        }
        grad[a] = 2 * s;
      }
      double sum = 0;
      for (std::size_t a = 0; a < k; ++a) sum += (w[a] = std::max(eps, w[a] - lr * grad[a]));
      for (std::size_t a = 0; a < k; ++a) w[a] = sum > eps ? w[a] / sum : 1.0 / k;
    }
    for (std::size_t a = 0; a < k; ++a) EXPECT_NEAR(got(i, a), w[a], 1e-12) << i << ", " << a;
  }
}

TEST(TransformPgdKernel, ProjectedGradientFindsKnownWeights) {
  // Archetypes at the corners of a triangle in the plane; points are known convex combinations,
  // plus one point outside whose nearest hull point is a corner.
  const kaa::HostMatrix Z = kaa_test::rows_from({{0, 0}, {4, 0}, {0, 4}});
  const kaa::HostMatrix W_true = kaa_test::rows_from({{0.2, 0.3, 0.5}, {1, 0, 0}, {0.6, 0.4, 0}});
  kaa::HostMatrix X = kaa_test::product(W_true, Z);
  X.values.push_back(7);  // a fourth row (7, -1): nearest hull point (4, 0)
  X.values.push_back(-1);
  X.rows = 4;
  const PgdInputs in = pgd_inputs(X, Z);
  kaa::Matrix<double> W("W", 4, 3);
  // Lipschitz constant 2 lambda_max(G) <= 2 trace(G) = 64.
  kaa::kernels::projected_gradient_weights(kaa::ExecSpace(), in.X, in.zp, in.G, 1.0 / 64, 1e-13,
                                           100000, W);
  const kaa::HostMatrix got = kaa::to_host(W);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t a = 0; a < 3; ++a) EXPECT_NEAR(got(i, a), W_true(i, a), 1e-8) << i << a;
  EXPECT_NEAR(got(3, 1), 1.0, 1e-8);
}

TEST(TransformPgdKernel, WrongExtentThrows) {
  const kaa::HostMatrix Z = kaa_test::random_matrix(3, 5, 33);
  const PgdInputs in = pgd_inputs(kaa_test::random_matrix(10, 5, 34), Z);
  EXPECT_THROW(kaa::kernels::archetypax_pgd_weights(kaa::ExecSpace(), in.X, in.zp, in.G, 1, 0.1,
                                                    1e-10, kaa::Matrix<double>("W", 10, 4)),
               std::invalid_argument);
  EXPECT_THROW(kaa::kernels::padded_gram(kaa::ExecSpace(), in.zp, kaa::kernels::Work("G", 2, 3),
                                         "test.gram"),
               std::invalid_argument);
}

}  // namespace
