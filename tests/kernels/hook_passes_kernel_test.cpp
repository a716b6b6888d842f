// The small hook and loss passes against host loops: the normal equations W^T W | W^T X, the
// blend toward projected archetypes, the row mixing of the cosine diversity gradient; and wrong
// extents.
#include <gtest/gtest.h>

#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/blend.hpp"
#include "framework/kernels/cosine_diversity.hpp"
#include "framework/kernels/normal_equations.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

TEST(HookPassesKernel, NormalEquationsBlendAndRowMixingMatchTheHostLoops) {
  const std::size_t n = 30, k = 3, d = 4;
  const kaa::HostMatrix W = kaa_test::random_matrix(n, k, 71, 0, 1);
  const kaa::HostMatrix X = kaa_test::random_matrix(n, d, 72);
  kaa::Vector<double> out("out", k * k + k * d);
  kaa::kernels::normal_equations(kaa::ExecSpace(), kaa::to_device<double>(W, "W"),
                                 kaa::to_device<double>(X, "X"), out);
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < k; ++b) {
      double s = 0;
      for (std::size_t i = 0; i < n; ++i) s += W(i, a) * W(i, b);
      EXPECT_NEAR(h(a * k + b), s, 1e-13);
    }
    for (std::size_t f = 0; f < d; ++f) {
      double s = 0;
      for (std::size_t i = 0; i < n; ++i) s += W(i, a) * X(i, f);
      EXPECT_NEAR(h(k * k + a * d + f), s, 1e-13);
    }
  }

  const kaa::HostMatrix Z = kaa_test::random_matrix(k, d, 73),
                        P = kaa_test::random_matrix(k, d, 74);
  const auto Zd = kaa::to_device<double>(Z, "Z");
  kaa::kernels::blend_toward(kaa::ExecSpace(), Zd, kaa::to_device<double>(P, "P"), 0.3);
  const kaa::HostMatrix blended = kaa::to_host(Zd);
  for (std::size_t e = 0; e < Z.values.size(); ++e)
    EXPECT_NEAR(blended.values[e], 0.3 * P.values[e] + 0.7 * Z.values[e], 1e-15);

  const kaa::HostMatrix M = kaa_test::random_matrix(k, k, 75),
                        G0 = kaa_test::random_matrix(k, d, 76);
  const auto Gd = kaa::to_device<double>(G0, "G");
  kaa::kernels::add_mixed_rows(kaa::ExecSpace(), kaa::to_device<double>(M, "M"),
                               kaa::to_device<double>(Z, "Z"), Gd);
  const kaa::HostMatrix MZ = kaa_test::product(M, Z), g = kaa::to_host(Gd);
  for (std::size_t e = 0; e < g.values.size(); ++e)
    EXPECT_NEAR(g.values[e], G0.values[e] + MZ.values[e], 1e-14);
}

TEST(HookPassesKernel, WrongExtentsThrow) {
  const kaa::Matrix<double> W("W", 10, 3), X("X", 9, 4);
  EXPECT_THROW(kaa::kernels::normal_equations(kaa::ExecSpace(), W, X, kaa::Vector<double>("o", 21)),
               std::invalid_argument);
  EXPECT_THROW(kaa::kernels::blend_toward(kaa::ExecSpace(), kaa::Matrix<double>("Z", 3, 4),
                                          kaa::Matrix<double>("P", 4, 3), 0.5),
               std::invalid_argument);
}

}  // namespace
