#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/registry/registry.hpp"

namespace kaa {

/// Reads a JSON file; malformed JSON is a ConfigError "<file>:<line>:<column>: malformed JSON:
/// ...".
nlohmann::json read_json_file(const std::filesystem::path& path);

/// The same on text in memory; `source` names it in errors.
nlohmann::json parse_json_text(const std::string& text, const std::string& source);

/// Applies a command-line override "<json pointer>=<value>" (value parsed as JSON, else taken as a
/// string) to a raw config.
void apply_override(nlohmann::json& raw, const std::string& assignment);

/// Validates a whole config against the framework's sections and every named strategy's schema,
/// collecting every problem (ConfigError, each issue prefixed by `source`), and returns it with
/// every default filled: the resolved config that a run records and can be re-run from.
nlohmann::json resolve_config(const nlohmann::json& raw, const Registry& registry,
                              const std::string& source);

/// Resolves one strategy node (a name or {"type": name, ...}) of `kind` at `path`, and each of
/// its nested strategy fields (Schema::strategy) as a node of its own at `path`/field.
nlohmann::json resolve_strategy_node(const nlohmann::json& node, Kind kind,
                                     const Registry& registry, const std::string& path,
                                     std::vector<std::string>& issues);

/// "weights, archetypes": the names of the blocks in a bit set, in kBlocks order.
std::string block_names(unsigned blocks);

/// The blocks a resolved config's optimizer and loss terms need (always weights and archetypes).
unsigned needed_blocks(const nlohmann::json& resolved, const Registry& registry);

/// Scalar type of every array and kernel of a fit.
enum class Precision { float32, float64 };

/// "float32" or "float64", as the config spells it.
const char* to_string(Precision precision);

/// The "model" section, typed; its members' initial values are the section's defaults.
struct ModelSettings {
  std::size_t n_archetypes = 0;
  Precision precision = Precision::float32;
  std::uint64_t seed = 42;
  std::size_t n_column_archetypes = 0;
  bool normalize = false;
  /// Restarts: the fit runs this many times from seeds derived from `seed` and keeps the lowest
  /// final loss (framework/restarts.hpp).
  std::size_t n_init = 1;
};

/// The schema of the "model" section.
const BoundSchema<ModelSettings>& model_schema();

/// The "model" section of a resolved config (resolve_config's output), read once.
ModelSettings model_settings(const nlohmann::json& resolved_config);

/// The schema of the "checkpoint" section.
const Schema& checkpoint_schema();

}  // namespace kaa
