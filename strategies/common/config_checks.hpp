#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// Cross-section config checks shared by strategies (their check_config). Not a strategy.
namespace kaa::strategies::common {

/// Appends one issue unless the resolved config's loss list is exactly one term whose type is in
/// `allowed`. `what` says what the solver minimises, e.g. "the squared reconstruction error".
/// Returns true when the list is acceptable.
bool require_single_loss(const nlohmann::json& config, const std::string& optimizer_path,
                         const std::vector<std::string>& allowed, const std::string& what,
                         std::vector<std::string>& issues);

/// Appends an issue when /model/n_archetypes exceeds `max_k` (per-row solvers keep k values on
/// the stack of one work item).
void require_at_most_archetypes(const nlohmann::json& config, const std::string& optimizer_path,
                                long long max_k, std::vector<std::string>& issues);

/// Hooks that rewrite the archetypes directly cannot work when the model derives them from mixing
/// weights (Z = B X would overwrite them): appends one issue naming `hook` at `path` when the
/// resolved config has a mixing projector.
void require_free_archetypes(const nlohmann::json& config, const std::string& path,
                             const char* hook, std::vector<std::string>& issues);

}  // namespace kaa::strategies::common
