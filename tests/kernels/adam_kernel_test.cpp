// adam_update and the optax_chain passes against host loops over a few steps (float), and the
// extent checks.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/adam.hpp"
#include "framework/kernels/optax_chain.hpp"
#include "tests/support/host_matrices.hpp"

namespace adam_kernel_test {

using kaa::HostMatrix;
using Space = kaa::ExecSpace;

TEST(AdamKernel, ThreeStepsMatchHostLoop) {
  const std::size_t rows = 6, cols = 5;
  HostMatrix p = kaa_test::random_matrix(rows, cols, 61), mu(rows, cols), nu(rows, cols);
  auto p_d = kaa::to_device<double>(p, "p");
  kaa::Matrix<double> mu_d("mu", rows, cols), nu_d("nu", rows, cols);
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, clip = 0.5;
  for (int t = 1; t <= 3; ++t) {
    const HostMatrix g = kaa_test::random_matrix(rows, cols, 70 + t, -2, 2);
    const double bias1 = 1 - std::pow(b1, t), bias2 = 1 - std::pow(b2, t);
    kaa::kernels::adam_update(
        Space(), p_d, kaa::to_device<double>(g, "g"), mu_d, nu_d,
        kaa::kernels::AdamStep<double>{lr, b1, b2, eps, 0.0, clip, bias1, bias2});
    for (std::size_t e = 0; e < p.values.size(); ++e) {
      const double gc = std::clamp(g.values[e], -clip, clip);
      mu.values[e] = b1 * mu.values[e] + (1 - b1) * gc;
      nu.values[e] = b2 * nu.values[e] + (1 - b2) * gc * gc;
      p.values[e] -= lr * (mu.values[e] / bias1) / (std::sqrt(nu.values[e] / bias2) + eps);
    }
  }
  const HostMatrix got = kaa::to_host(p_d);
  for (std::size_t e = 0; e < p.values.size(); ++e)
    EXPECT_NEAR(got.values[e], p.values[e], 1e-14) << e;
}

TEST(AdamKernel, OptaxChainClipsRescalesAndSteps) {
  const std::size_t rows = 4, cols = 3;
  const HostMatrix p0 = kaa_test::random_matrix(rows, cols, 62);
  const HostMatrix g0 = kaa_test::random_matrix(rows, cols, 63, -3, 3);
  auto g_d = kaa::to_device<double>(g0, "g");
  const double clip = 1.0;
  const double squares = kaa::kernels::optax_clip_and_square(Space(), g_d, clip);
  double expected_squares = 0;
  HostMatrix g = g0;
  for (double& v : g.values) {
    v = std::clamp(v, -clip, clip);
    expected_squares += v * v;
  }
  EXPECT_NEAR(squares, expected_squares, 1e-14);

  kaa::kernels::OptaxChainStep c{};
  c.norm = std::sqrt(squares);
  c.max_norm = 0.5;
  c.rescale = true;
  c.b1 = 0.9;
  c.b2 = 0.999;
  c.eps = 1e-8;
  c.weight_decay = 1e-3;
  c.step = -0.05;
  auto p_d = kaa::to_device<double>(p0, "p");
  kaa::Matrix<double> mu_d("mu", rows, cols), nu_d("nu", rows, cols);
  const double bias1 = 1 - c.b1, bias2 = 1 - c.b2;  // first step
  kaa::kernels::optax_chain_update(Space(), p_d, g_d, mu_d, nu_d, c, bias1, bias2);
  const HostMatrix got = kaa::to_host(p_d);
  for (std::size_t e = 0; e < g.values.size(); ++e) {
    const double gr = g.values[e] / c.norm * c.max_norm;
    const double m = (1 - c.b1) * gr, v = (1 - c.b2) * gr * gr;
    const double u = (m / bias1) / (std::sqrt(v / bias2) + c.eps) + c.weight_decay * p0.values[e];
    EXPECT_NEAR(got.values[e], p0.values[e] + c.step * u, 1e-14) << e;
  }
}

TEST(AdamKernel, WrongExtentThrows) {
  kaa::Matrix<double> p("p", 3, 2), g("g", 3, 2), mu("mu", 3, 2), nu("nu", 2, 2);
  EXPECT_THROW(kaa::kernels::adam_update(Space(), p, g, mu, nu, kaa::kernels::AdamStep<double>{}),
               std::invalid_argument);
  EXPECT_THROW(kaa::kernels::optax_chain_update(Space(), p, g, mu, nu,
                                                kaa::kernels::OptaxChainStep{}, 1.0, 1.0),
               std::invalid_argument);
}

}  // namespace adam_kernel_test
