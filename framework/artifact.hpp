#pragma once
#include <string>

#include "framework/host_matrix.hpp"

namespace kaa {

/// An array a strategy adds to a fit's result beyond archetypes, weights and blocks: a file
/// <name>.npy or <name>.csv in the run folder, and the key `name` of the Python result.
struct Artifact {
  enum class Format {
    npy,  // in the fit's precision
    csv   // with a header row of column_prefix followed by the column index
  };
  std::string name;
  HostMatrix values;
  Format format = Format::npy;
  std::string column_prefix;
};

}  // namespace kaa
