// sparsity_penalty's value and gradient for each measure against a host transcription of the
// formulas, on entries of both signs and exact zeros; and a wrong gradient extent.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/archetype_sparsity.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa::kernels::SparsityMeasure;

TEST(ArchetypeSparsityKernel, EachMeasureMatchesItsFormula) {
  kaa::HostMatrix Z = kaa_test::random_matrix(3, 6, 51);
  Z(0, 0) = 0;
  Z(2, 5) = 0;
  const double width = 0.3, eps = 1e-10, c = 0.7;
  for (SparsityMeasure m :
       {SparsityMeasure::l1, SparsityMeasure::l0_approx, SparsityMeasure::feature_selection}) {
    const auto Zd = kaa::to_device<double>(Z, "Z");
    kaa::Matrix<double> grad("grad", 3, 6);
    const double got =
        kaa::kernels::sparsity_penalty(kaa::ExecSpace(), Zd, m, false, width, eps, c, grad);
    const kaa::HostMatrix g = kaa::to_host(grad);
    double expected = 0;
    for (std::size_t e = 0; e < Z.values.size(); ++e) {
      const double z = Z.values[e], a = std::abs(z);
      const double sign = z > 0 ? 1 : (z < 0 ? -1 : 0);
      double value = 0, slope = 0;
      if (m == SparsityMeasure::l1) {
        value = a;
        slope = sign;
      } else if (m == SparsityMeasure::l0_approx) {
        value = 1 - std::exp(-z * z / width);
        slope = 2 * z / width * std::exp(-z * z / width);
      } else {
        value = -a * std::log(a + eps);
        slope = -sign * (std::log(a + eps) + a / (a + eps));
      }
      expected += value;
      EXPECT_NEAR(g.values[e], c * slope, 1e-14) << static_cast<int>(m) << " entry " << e;
    }
    EXPECT_NEAR(got, expected, 1e-13) << static_cast<int>(m);
  }
}

TEST(ArchetypeSparsityKernel, RawLogIsNanBelowMinusEps) {
  kaa::HostMatrix Z = kaa_test::random_matrix(2, 2, 52, 0.1, 1);
  Z(1, 1) = -0.5;
  const double v = kaa::kernels::sparsity_penalty(kaa::ExecSpace(), kaa::to_device<double>(Z, "Z"),
                                                  SparsityMeasure::feature_selection, true, 1.0,
                                                  1e-10, 1.0, kaa::Matrix<double>());
  EXPECT_TRUE(std::isnan(v));
}

TEST(ArchetypeSparsityKernel, WrongGradientExtentThrows) {
  EXPECT_THROW(kaa::kernels::sparsity_penalty(kaa::ExecSpace(), kaa::Matrix<double>("Z", 3, 4),
                                              SparsityMeasure::l1, false, 1.0, 1e-10, 1.0,
                                              kaa::Matrix<double>("g", 4, 3)),
               std::invalid_argument);
}

}  // namespace
