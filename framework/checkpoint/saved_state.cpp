#include "framework/checkpoint/saved_state.hpp"

#include "framework/error.hpp"

namespace kaa {

void SavedState::copy_into(const std::string& key, std::size_t rows, std::size_t cols) const {
  const auto it = arrays.find(key);
  if (it == arrays.end()) throw InputError("checkpoint: array \"" + key + "\" missing");
  if (it->second.rows != rows || it->second.cols != cols) {
    throw InputError("checkpoint: array \"" + key + "\" is " + std::to_string(it->second.rows) +
                     " x " + std::to_string(it->second.cols) + ", expected " +
                     std::to_string(rows) + " x " + std::to_string(cols));
  }
}

}  // namespace kaa
