#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/registry/registry.hpp"

namespace kaa::sweep {

/// One fully resolved run of a sweep.
struct PlannedRun {
  std::string id;              // stable: a hash of the resolved config
  std::string config_name;     // the base config's name
  std::string dataset;         // the data set's name ("" = the config's own data)
  std::uint64_t seed = 0;      // /model/seed
  nlohmann::json axis_values;  // {pointer: value} of every axis for this run
  nlohmann::json resolved;     // what `kaa fit` receives
  std::string group;           // config + dataset + axis values: the unit seeds are averaged over
};

/// A sweep as read from experiments/<name>.json, expanded and validated.
struct Sweep {
  std::string name;
  nlohmann::json spec;  // as written, for the record
  std::vector<PlannedRun> runs;
  std::vector<std::string> axis_pointers;
  std::map<std::string, std::string> labels;  // dataset name -> labels file (plots)
  std::size_t concurrent_runs = 0;            // 0 = choose from the cores
  std::size_t threads_per_run = 0;
};

/// Reads, expands and validates a sweep. `data_paths` fills datasets' file paths from the command
/// line (NAME=PATH). Every expanded config is resolved here, so a bad axis value, a pointer that
/// does not exist, an empty or duplicate axis or a missing data file is one ConfigError listing
/// every problem before any run starts.
Sweep load_sweep(const std::filesystem::path& file,
                 const std::map<std::string, std::string>& data_paths,
                 const std::map<std::string, std::string>& label_paths, const Registry& registry);

/// The run id of a resolved config: 16 hex digits of a 64-bit FNV-1a hash of its canonical dump
/// (keys sorted), so the same run always has the same id and any change gives another.
std::string run_id(const nlohmann::json& resolved);

}  // namespace kaa::sweep
