#pragma once
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "framework/registry/registry.hpp"

namespace kaa {

using StrategyNodeVisitor =
    std::function<void(Kind kind, const nlohmann::json& node, const std::string& path)>;

/// Calls visit for every strategy node of a resolved config, with its JSON pointer: data,
/// optimizer, transform, each projector, then each entry of initializers, loss, hooks, stopping
/// and metrics. Sections the config lacks are skipped.
void for_each_strategy_node(const nlohmann::json& resolved, const StrategyNodeVisitor& visit);

/// The names of the strategies of `kind` whose StrategyInfo has `flag` set, comma-separated (for
/// "use one of: ..." hints).
std::string names_with(const Registry& registry, Kind kind, bool StrategyInfo::*flag);

}  // namespace kaa
