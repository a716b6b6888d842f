#include "framework/checkpoint/checkpoint_store.hpp"

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/io/matrix_io.hpp"

namespace kaa {

namespace fs = std::filesystem;

fs::path CheckpointStore::folder_for(const fs::path& out) {
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  return parent / ("." + out.filename().string() + ".checkpoint");
}

bool CheckpointStore::exists() const { return fs::exists(folder_ / "state.json"); }

void CheckpointStore::save(const SavedState& state) const {
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (ec) throw Error(folder_.string() + ": cannot create checkpoint folder: " + ec.message());
  std::uint64_t generation = 1;
  nlohmann::json previous;
  if (exists()) {
    previous = read_json_file(folder_ / "state.json");
    generation = previous.value("generation", std::uint64_t{0}) + 1;
  }
  nlohmann::json manifest = {
      {"generation", generation}, {"scalars", state.scalars}, {"arrays", nlohmann::json::object()}};
  for (const auto& [key, matrix] : state.arrays) {
    const std::string file = key + "." + std::to_string(generation) + ".npy";
    write_npy(folder_ / file, matrix, NpyType::float64);
    manifest["arrays"][key] = file;
  }
  write_file_atomically(folder_ / "state.json",
                        [&](std::ostream& os) { os << manifest.dump() << '\n'; });
  if (previous.is_object() && previous.contains("arrays")) {
    for (const auto& [key, file] : previous["arrays"].items())
      fs::remove(folder_ / file.get<std::string>(), ec);
  }
}

SavedState CheckpointStore::load() const {
  const fs::path manifest_path = folder_ / "state.json";
  if (!fs::exists(manifest_path))
    throw InputError(folder_.string() + ": no checkpoint (state.json missing)");
  nlohmann::json manifest;
  try {
    manifest = read_json_file(manifest_path);
  } catch (const ConfigError& e) {
    throw InputError(std::string("checkpoint: ") + e.what());
  }
  if (!manifest.is_object() || !manifest.contains("scalars") || !manifest.contains("arrays") ||
      !manifest["arrays"].is_object()) {
    throw InputError(manifest_path.string() + ": not a kaa checkpoint manifest");
  }
  SavedState state;
  state.scalars = manifest["scalars"];
  for (const auto& [key, file] : manifest["arrays"].items()) {
    if (!file.is_string()) throw InputError(manifest_path.string() + ": bad entry for " + key);
    state.arrays[key] = read_npy(folder_ / file.get<std::string>());
  }
  return state;
}

void CheckpointStore::remove() const {
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

}  // namespace kaa
