#pragma once
#include <filesystem>
#include <optional>

#include "framework/checkpoint/saved_state.hpp"

namespace kaa {

/// A folder holding the latest checkpoint of one fit. Each save writes its arrays under a new
/// generation number, then the manifest (state.json) atomically, then removes the previous
/// generation: whatever instant the process dies, the manifest names complete files.
class CheckpointStore {
 public:
  explicit CheckpointStore(std::filesystem::path folder) : folder_(std::move(folder)) {}

  /// The checkpoint folder of run folder `out`: a hidden sibling, so it survives the rename of
  /// the finished run into place and is found again by `kaa fit --resume <out>`.
  static std::filesystem::path folder_for(const std::filesystem::path& out);

  const std::filesystem::path& folder() const { return folder_; }
  bool exists() const;
  void save(const SavedState& state) const;
  /// Throws InputError naming the file when the manifest or an array is missing or corrupt.
  SavedState load() const;
  void remove() const;

 private:
  std::filesystem::path folder_;
};

}  // namespace kaa
