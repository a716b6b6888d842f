// to_device_releasing: the same values as a copying upload, over several blocks of rows, and the
// host matrix it consumed left empty.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "framework/host_transfer.hpp"

namespace host_transfer_test {

template <class S>
class ReleasingUpload : public ::testing::Test {};
using Scalars = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ReleasingUpload, Scalars);

TYPED_TEST(ReleasingUpload, GivesEachValueCastToSAndEmptiesTheHostMatrix) {
  using S = TypeParam;
  // 3000 x 1000: three of the upload's blocks of 2^20 values, the last one partial.
  kaa::HostMatrix m(3000, 1000);
  for (std::size_t e = 0; e < m.values.size(); ++e)
    m.values[e] = 0.1 * static_cast<double>(e % 7919) - 1.0 / static_cast<double>(1 + e % 13);
  const std::vector<double> original = m.values;

  const kaa::Matrix<S> out = kaa::to_device_releasing<S>(std::move(m), "X");

  EXPECT_EQ(m.rows, 0u);
  EXPECT_TRUE(m.values.empty());
  ASSERT_EQ(out.extent(0), 3000u);
  ASSERT_EQ(out.extent(1), 1000u);
  const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < 3000; ++i)
    for (std::size_t j = 0; j < 1000; ++j)
      differing += host(i, j) != static_cast<S>(original[i * 1000 + j]);
  EXPECT_EQ(differing, 0u);
}

}  // namespace host_transfer_test
