#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "framework/host_matrix.hpp"

namespace kaa {

/// What a data source yields, on the host and in the data's original units.
struct LoadedData {
  HostMatrix X;
  std::optional<HostMatrix> true_archetypes;  // known ground truth (synthetic data)
  std::string description;                    // one line for logs and metrics
};

/// A source of data points. Contract: load() returns a finite n x d matrix with n, d >= 1 or
/// throws kaa::InputError naming the culprit. S is unused (data are loaded in double); the
/// parameter only gives every strategy kind the same registry shape.
template <class S>
class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual LoadedData load(std::uint64_t seed) = 0;
};

}  // namespace kaa
