#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/registry/registry.hpp"

namespace kaa {

/// Why the resolved config cannot be fitted on data with per-row sample weights: one issue per
/// initializer, loss, optimizer, hook or metric without StrategyInfo::weighted ("<json pointer>:
/// <kind> \"<name>\" does not honour sample weights ..."). Projectors, stopping rules and the
/// transform act on archetypes, losses or single rows and are not checked.
std::vector<std::string> weighted_issues(const nlohmann::json& resolved, const Registry& registry,
                                         const std::string& weights_source);

/// The problems of sample weights for `rows` rows, or nothing: a wrong length (naming both),
/// a negative or non-finite entry (naming its 1-based row) or, with `require_positive`, all zero
/// (a distributed fit checks that on the total instead: one rank's block may be all zero).
/// `source` names them.
std::vector<std::string> row_weight_issues(const std::vector<double>& weights, std::size_t rows,
                                           const std::string& source, bool require_positive = true);

}  // namespace kaa
