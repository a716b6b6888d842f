#pragma once
#include <string>

#include "framework/host_matrix.hpp"
#include "framework/types.hpp"

namespace kaa {

/// Copies a host matrix (double) into a new device matrix of scalar S.
template <class S>
Matrix<S> to_device(const HostMatrix& m, const std::string& label) {
  Matrix<S> out(label, m.rows, m.cols);
  auto host = Kokkos::create_mirror_view(out);
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) host(i, j) = static_cast<S>(m(i, j));
  Kokkos::deep_copy(out, host);
  return out;
}

/// to_device for a host matrix its owner is done with, which it leaves empty: each block of rows
/// goes back to the system as soon as it is converted, so the matrix in double and the device
/// matrix never both exist whole (a large fit's peak is X in double, not X in double plus X in S).
/// The same values as to_device.
template <class S>
Matrix<S> to_device_releasing(HostMatrix&& m, const std::string& label);

/// Copies a device matrix back to a host matrix in double.
template <class S>
HostMatrix to_host(const Matrix<S>& m) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), m);
  HostMatrix out(m.extent(0), m.extent(1));
  for (std::size_t i = 0; i < out.rows; ++i)
    for (std::size_t j = 0; j < out.cols; ++j) out(i, j) = static_cast<double>(host(i, j));
  return out;
}

}  // namespace kaa
