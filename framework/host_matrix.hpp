#pragma once
#include <cstddef>
#include <vector>

namespace kaa {

/// A dense row-major matrix on the host, in double: what readers return and writers take.
/// Device data lives in Kokkos Views; this is only the staging format for files.
struct HostMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;

  HostMatrix() = default;
  HostMatrix(std::size_t r, std::size_t c) : rows(r), cols(c), values(r * c, 0.0) {}
  double& operator()(std::size_t i, std::size_t j) { return values[i * cols + j]; }
  double operator()(std::size_t i, std::size_t j) const { return values[i * cols + j]; }
};

}  // namespace kaa
