#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "framework/api.hpp"
#include "framework/host_matrix.hpp"
#include "framework/registry/registry.hpp"

namespace kaa {

struct FitOptions {
  std::filesystem::path out_dir;    // the run folder to create
  bool overwrite = false;           // replace an existing run folder
  std::size_t progress_every = 50;  // updates between progress lines (0 = none)
  bool resume = false;              // continue from the checkpoint of out_dir
  bool save_data = false;           // also write the data (original units) as data.npy
};

struct FitSummary {
  std::filesystem::path folder;
  nlohmann::json metrics;
  bool ok = false;  // false when the fit diverged (no archetypes were written)
};

/// One fit from a resolved config: load the data, fit_data() (framework/api.hpp), and write the
/// run folder atomically (everything goes to a hidden
/// sibling folder first, renamed into place only when complete).
FitSummary run_fit(const nlohmann::json& resolved, const Registry& registry,
                   const FitOptions& options);

/// The resolved config recorded in the checkpoint of run folder `out` (for `kaa fit --resume`).
/// Throws InputError when there is no readable checkpoint.
nlohmann::json checkpoint_config(const std::filesystem::path& out);

/// Weights of the rows of `data_path` for the archetypes of a finished run, by the run's
/// configured transform strategy (or `transform_override`, a resolved transform node).
HostMatrix transform_with_run(const std::filesystem::path& run_dir,
                              const std::filesystem::path& data_path, const Registry& registry,
                              const std::optional<nlohmann::json>& transform_override = {});

}  // namespace kaa
