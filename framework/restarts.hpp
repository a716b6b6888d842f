#pragma once
// Restarts (`model.n_init`): the whole fit runs n_init times from different seeds and the restart
// with the lowest final loss is kept, as R's archetypes::stepArchetypes(nrep) (Eugster & Leisch,
// J. Stat. Softw. 30(8), 2009) and the Python `archetypes` package's `n_init` do. Restart 0 uses
// model.seed itself, so n_init = 1 is the single fit bit for bit.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kaa {

/// One restart's outcome, as restarts.csv and metrics.json record it.
struct RestartRecord {
  std::size_t index = 0;
  std::uint64_t seed = 0;
  /// The objective at the restart's final parameters; NaN when it diverged.
  double final_loss = 0.0;
  std::size_t updates = 0;
  double seconds = 0.0;
  bool diverged = false;
  std::string stop_reason;
};

/// The model seed of restart r: model.seed for r = 0, else a SplitMix64 mix of (seed, r) cut to
/// 53 bits, so every recorded seed is exact in JSON readers that hold numbers as doubles and a
/// separate fit with that model.seed reproduces the restart.
std::uint64_t restart_seed(std::uint64_t model_seed, std::size_t restart);

/// The restart to keep: the lowest final loss among those that did not diverge (the first on
/// ties); none when every restart diverged.
std::optional<std::size_t> chosen_restart(const std::vector<RestartRecord>& records);

/// metrics.json's "restarts": n_init, the chosen index and seed, and every restart's loss
/// (null when diverged), seed, updates and status.
nlohmann::json restarts_summary(const std::vector<RestartRecord>& records, std::size_t chosen);

/// A record as a checkpoint stores it, and back.
nlohmann::json to_json(const RestartRecord& r);
RestartRecord restart_record_of(const nlohmann::json& j);

/// Writes restarts.csv: restart,seed,final_loss,updates,seconds,status,chosen,stop_reason.
void write_restarts_csv(const std::filesystem::path& path,
                        const std::vector<RestartRecord>& records, std::size_t chosen);

/// The one error when every restart diverged, naming each restart's seed and stop reason.
std::string all_restarts_diverged_message(const std::vector<RestartRecord>& records);

}  // namespace kaa
