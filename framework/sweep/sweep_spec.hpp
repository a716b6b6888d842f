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
  std::string id;              // run_id(resolved, dataset): stable
  std::string config_name;     // the base config's /name
  std::string config_file;     // the base config's file
  std::string dataset;         // the sweep's data set name ("" = the config's own data)
  std::uint64_t seed = 0;      // /model/seed
  nlohmann::json axis_values;  // {pointer: value} of every axis for this run
  nlohmann::json resolved;     // what `kaa fit` receives
  std::string group;           // config + data set + axis values: the unit seeds are averaged over
};

/// A sweep as read from experiments/<name>.json, expanded and validated.
struct Sweep {
  std::string name;
  std::filesystem::path file;                 // the sweep file
  std::filesystem::path root;                 // what its relative paths are relative to
  nlohmann::json spec;                        // as written, for the record
  std::vector<PlannedRun> runs;               // in plan order: config, data set, axes, seed
  std::vector<std::string> axis_pointers;     // every swept pointer, in the order written
  std::map<std::string, std::string> labels;  // data set name -> class labels file (plots)
  std::size_t concurrent_runs = 0;            // from the file; 0 = not set
  std::size_t threads_per_run = 0;            // from the file; 0 = not set
};

/// The sweep file's keys, for errors and docs.
const std::vector<std::string>& sweep_keys();

/// Reads, expands and validates a sweep. Relative paths in the file (configs, data files, labels)
/// are taken from the repository root, the folder above the sweep file's folder (so
/// experiments/x.json names configs/*.json); absolute paths are used as they are. `data_paths` and
/// `label_paths` (NAME=PATH from the command line, relative to the working folder) give data sets
/// their files. Every expanded config is resolved here: a pointer that does not exist, a value
/// a schema rejects, an empty, duplicate or overlapping axis, a missing data file, ... are all
/// reported together as one ConfigError (one line each, naming the sweep file and the JSON
/// pointer) before any run starts.
Sweep load_sweep(const std::filesystem::path& file,
                 const std::map<std::string, std::string>& data_paths,
                 const std::map<std::string, std::string>& label_paths, const Registry& registry);

}  // namespace kaa::sweep
