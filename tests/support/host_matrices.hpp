#pragma once
// Host matrices the tests build their inputs and brute-force references from. Shared rather than
// written per test file: the sanitizer builds compile the tests in unity batches, where two
// same-named helpers in anonymous namespaces collide.
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "framework/host_matrix.hpp"

namespace kaa_test {

/// Entries uniform in [lo, hi), drawn row by row from rng.
inline kaa::HostMatrix random_matrix(std::size_t rows, std::size_t cols, std::mt19937_64& rng,
                                     double lo = -1, double hi = 1) {
  std::uniform_real_distribution<double> u(lo, hi);
  kaa::HostMatrix m(rows, cols);
  for (auto& v : m.values) v = u(rng);
  return m;
}

inline kaa::HostMatrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed,
                                     double lo = -1, double hi = 1) {
  std::mt19937_64 rng(seed);
  return random_matrix(rows, cols, rng, lo, hi);
}

/// Entries normal with mean 0 and standard deviation scale, drawn row by row from rng.
inline kaa::HostMatrix gaussian_matrix(std::size_t rows, std::size_t cols, std::mt19937_64& rng,
                                       double scale = 1) {
  std::normal_distribution<double> g(0.0, scale);
  kaa::HostMatrix m(rows, cols);
  for (double& v : m.values) v = g(rng);
  return m;
}

inline kaa::HostMatrix gaussian_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed,
                                       double scale = 1) {
  std::mt19937_64 rng(seed);
  return gaussian_matrix(rows, cols, rng, scale);
}

inline kaa::HostMatrix rows_from(const std::vector<std::vector<double>>& rows) {
  kaa::HostMatrix m(rows.size(), rows.front().size());
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) m(i, j) = rows[i][j];
  return m;
}

/// A B, the plain triple loop.
inline kaa::HostMatrix product(const kaa::HostMatrix& A, const kaa::HostMatrix& B) {
  kaa::HostMatrix C(A.rows, B.cols);
  for (std::size_t i = 0; i < A.rows; ++i)
    for (std::size_t l = 0; l < A.cols; ++l)
      for (std::size_t j = 0; j < B.cols; ++j) C(i, j) += A(i, l) * B(l, j);
  return C;
}

}  // namespace kaa_test
