// small_product in all four transposition cases, assigning and accumulating, against the plain
// triple loop; and a wrong inner extent.
#include <gtest/gtest.h>

#include <stdexcept>

#include "framework/host_transfer.hpp"
#include "framework/kernels/small_product.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

kaa::HostMatrix small_transposed(const kaa::HostMatrix& A) {
  kaa::HostMatrix T(A.cols, A.rows);
  for (std::size_t i = 0; i < A.rows; ++i)
    for (std::size_t j = 0; j < A.cols; ++j) T(j, i) = A(i, j);
  return T;
}

TEST(SmallProductKernel, AllTranspositionsMatchTheTripleLoop) {
  const std::size_t rows = 4, inner = 7, cols = 3;
  const kaa::HostMatrix A = kaa_test::random_matrix(rows, inner, 41);
  const kaa::HostMatrix B = kaa_test::random_matrix(inner, cols, 42);
  const kaa::HostMatrix C0 = kaa_test::random_matrix(rows, cols, 43);
  const kaa::HostMatrix AB = kaa_test::product(A, B);
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (bool accumulate : {false, true}) {
        const auto Ad = kaa::to_device<double>(ta ? small_transposed(A) : A, "A");
        const auto Bd = kaa::to_device<double>(tb ? small_transposed(B) : B, "B");
        const auto Cd = kaa::to_device<double>(C0, "C");
        kaa::kernels::small_product(kaa::ExecSpace(), Ad, ta, Bd, tb, Cd, accumulate);
        const kaa::HostMatrix got = kaa::to_host(Cd);
        for (std::size_t e = 0; e < got.values.size(); ++e)
          EXPECT_NEAR(got.values[e], AB.values[e] + (accumulate ? C0.values[e] : 0.0), 1e-14)
              << ta << tb << accumulate << " entry " << e;
      }
}

TEST(SmallProductKernel, WrongInnerExtentThrows) {
  const kaa::Matrix<double> A("A", 4, 7), B("B", 6, 3), C("C", 4, 3);
  EXPECT_THROW(kaa::kernels::small_product(kaa::ExecSpace(), A, false, B, false, C, false),
               std::invalid_argument);
}

}  // namespace
