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

/// Whether a resolved data node names sample weights, so that the config loader can refuse a
/// strategy that cannot honour them before any data are read: a non-empty `weights` or
/// `weights_column` (the file dataset's keys; a dataset that gives weights names them so too).
/// Weights that only the loaded data reveal are checked by the fit (framework/api.cpp).
bool declares_row_weights(const nlohmann::json& data_node);

/// The problems of sample weights for `rows` rows, or nothing: a wrong length (naming both),
/// a negative or non-finite entry (naming its 1-based row) or, with `require_positive`, all zero
/// (a distributed fit checks that on the total instead: one rank's block may be all zero).
/// `source` names them.
std::vector<std::string> row_weight_issues(const std::vector<double>& weights, std::size_t rows,
                                           const std::string& source, bool require_positive = true);

}  // namespace kaa
