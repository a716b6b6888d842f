// huber_sum and huber_gradient against a host transcription of the Huber loss and its gradient,
// with rows on both sides of delta, a reused workspace, and a wrong extent.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "framework/host_transfer.hpp"
#include "framework/kernels/huber.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

struct HuberHost {
  double value = 0;
  kaa::HostMatrix ga, gz;
};

/// sum_i h(||r_i||) and scale times its gradients, in long double loops over the data.
HuberHost huber_host(const kaa::HostMatrix& X, const kaa::HostMatrix& A, const kaa::HostMatrix& Z,
                     double delta, double scale) {
  const std::size_t n = X.rows, d = X.cols, k = Z.rows;
  HuberHost out{0, kaa::HostMatrix(n, k), kaa::HostMatrix(k, d)};
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<long double> r(d);
    long double t2 = 0;
    for (std::size_t f = 0; f < d; ++f) {
      r[f] = X(i, f);
      for (std::size_t j = 0; j < k; ++j) r[f] -= static_cast<long double>(A(i, j)) * Z(j, f);
      t2 += r[f] * r[f];
    }
    const double t = std::sqrt(static_cast<double>(t2));
    out.value += t <= delta ? t * t / (2 * delta) + delta / 2 : t;
    const long double c = -scale / std::max(t, delta);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) {
        out.ga(i, j) += static_cast<double>(c * r[f] * Z(j, f));
        out.gz(j, f) += static_cast<double>(c * r[f] * A(i, j));
      }
  }
  return out;
}

/// Squared residual norms on the device, from the host (the kernel takes them as input).
kaa::Vector<double> huber_norms2(const kaa::HostMatrix& X, const kaa::HostMatrix& A,
                                 const kaa::HostMatrix& Z) {
  const kaa::HostMatrix AZ = kaa_test::product(A, Z);
  kaa::Vector<double> v("norms2", X.rows);
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < X.rows; ++i) {
    double s = 0;
    for (std::size_t f = 0; f < X.cols; ++f) s += (X(i, f) - AZ(i, f)) * (X(i, f) - AZ(i, f));
    h(i) = s;
  }
  Kokkos::deep_copy(v, h);
  return v;
}

TEST(HuberKernel, ValueAndGradientsMatchTheHostLoops) {
  const std::size_t n = 300, d = 7, k = 4;
  const kaa::HostMatrix X = kaa_test::random_matrix(n, d, 11);
  const kaa::HostMatrix A = kaa_test::random_matrix(n, k, 12, 0, 1);
  const kaa::HostMatrix Z = kaa_test::random_matrix(k, d, 13);
  const auto Xd = kaa::to_device<double>(X, "X"), Ad = kaa::to_device<double>(A, "A"),
             Zd = kaa::to_device<double>(Z, "Z");
  const auto norms2 = huber_norms2(X, A, Z);
  // delta near the median norm: both branches of h are taken.
  const double delta = 1.2, scale = 0.37;
  const HuberHost ref = huber_host(X, A, Z, delta, scale);
  EXPECT_NEAR(kaa::kernels::huber_sum(kaa::ExecSpace(), norms2, delta), ref.value,
              1e-12 * ref.value);

  kaa::kernels::HuberWorkspace<double> ws;
  for (int call = 0; call < 2; ++call) {  // the second call reuses the workspace
    kaa::Matrix<double> ga("ga", n, k), gz("gz", k, d);
    kaa::kernels::huber_gradient(kaa::ExecSpace(), Xd, Ad, Zd, norms2, delta, scale, ga, gz, ws);
    const kaa::HostMatrix ga_h = kaa::to_host(ga), gz_h = kaa::to_host(gz);
    for (std::size_t e = 0; e < ga_h.values.size(); ++e)
      EXPECT_NEAR(ga_h.values[e], ref.ga.values[e], 1e-12) << "call " << call << " ga " << e;
    for (std::size_t e = 0; e < gz_h.values.size(); ++e)
      EXPECT_NEAR(gz_h.values[e], ref.gz.values[e], 1e-11) << "call " << call << " gz " << e;
  }
}

TEST(HuberKernel, WrongExtentThrowsNamingTheArgument) {
  const kaa::Matrix<double> X("X", 10, 3), A("A", 10, 2), Z("Z", 2, 3), gz("gz", 2, 4);
  const kaa::Vector<double> norms2("norms2", 10);
  kaa::kernels::HuberWorkspace<double> ws;
  try {
    kaa::kernels::huber_gradient(kaa::ExecSpace(), X, A, Z, norms2, 1.0, 1.0, kaa::Matrix<double>(),
                                 gz, ws);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("huber_gradient: gz extent(1) is 4"), std::string::npos)
        << e.what();
  }
}

}  // namespace
