#pragma once
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "framework/host_matrix.hpp"
#include "framework/host_transfer.hpp"
#include "framework/types.hpp"

namespace kaa {

/// A snapshot of everything a fit needs to continue exactly where it stopped: small values as
/// JSON, arrays as host matrices in double (a float32 value survives the round trip exactly).
struct SavedState {
  nlohmann::json scalars = nlohmann::json::object();
  std::map<std::string, HostMatrix> arrays;

  template <class S>
  void put(const std::string& key, const Matrix<S>& m) {
    arrays[key] = to_host(m);
  }
  /// Copies arrays[key] into m; throws InputError when it is missing or has another shape.
  template <class S>
  void get(const std::string& key, Matrix<S>& m) const {
    copy_into(key, m.extent(0), m.extent(1));
    Kokkos::deep_copy(m, to_device<S>(arrays.at(key), key));
  }
  void put_parameters(const std::string& prefix, const auto& params) {
    for (Block b : kBlocks)
      if (params.has(b)) put(prefix + "." + to_string(b), params.block(b));
  }
  void get_parameters(const std::string& prefix, auto& params) const {
    for (Block b : kBlocks)
      if (params.has(b)) get(prefix + "." + to_string(b), params.block(b));
  }

 private:
  /// Checks that arrays[key] exists with the given shape.
  void copy_into(const std::string& key, std::size_t rows, std::size_t cols) const;
};

}  // namespace kaa
