#pragma once
#include <cstdint>

#include "framework/interfaces/row_weighted.hpp"
#include "framework/types.hpp"

namespace kaa {

/// Sets the starting value of one or both parameter blocks.
/// Contract: writes every entry of each block named by blocks(); reads X only; deterministic in
/// `seed` (and independent of the number of threads).
template <class S>
class Initializer : public RowWeighted {
 public:
  virtual ~Initializer() = default;
  /// Bit set of Block values this initializer writes.
  virtual unsigned blocks() const = 0;
  virtual void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) = 0;
};

}  // namespace kaa
