#pragma once
#include <Kokkos_Core.hpp>

#include "framework/host_matrix.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

namespace kaa::strategies::common {

/// Copies a small block (archetypes, k x d) to the host and back through one host buffer kept
/// between calls: projectors that rework archetypes on the host run every update, and a fresh
/// View per update (to_host / to_device) would allocate each time.
template <class S>
class BlockStaging {
 public:
  explicit BlockStaging(const char* label) : label_(label) {}

  /// The block's values in double.
  HostMatrix download(const Matrix<S>& block) {
    kernels::fit_extents(buffer_, label_, block.extent(0), block.extent(1));
    Kokkos::deep_copy(buffer_, block);
    HostMatrix out(block.extent(0), block.extent(1));
    for (std::size_t i = 0; i < out.rows; ++i)
      for (std::size_t j = 0; j < out.cols; ++j) out(i, j) = static_cast<double>(buffer_(i, j));
    return out;
  }

  /// block <- Z rounded to S (same shape).
  void upload(const HostMatrix& Z, const Matrix<S>& block) {
    kernels::fit_extents(buffer_, label_, Z.rows, Z.cols);
    for (std::size_t i = 0; i < Z.rows; ++i)
      for (std::size_t j = 0; j < Z.cols; ++j) buffer_(i, j) = static_cast<S>(Z(i, j));
    Kokkos::deep_copy(block, buffer_);
  }

 private:
  const char* label_;
  Kokkos::View<S**, Kokkos::LayoutRight, Kokkos::HostSpace> buffer_;
};

}  // namespace kaa::strategies::common
