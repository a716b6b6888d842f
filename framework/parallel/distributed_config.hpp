#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/registry/registry.hpp"

namespace kaa::parallel {

/// Why the resolved config cannot be fitted over `ranks` MPI ranks: one issue per strategy without
/// StrategyInfo::distributed ("<json pointer>: <kind> \"<name>\" cannot run distributed ..."),
/// and more ranks than the data's rows when `data_rows` is known (> 0). Empty for one rank. The
/// transform strategy is not checked: a fit does not use it.
std::vector<std::string> distributed_issues(const nlohmann::json& resolved,
                                            const Registry& registry, int ranks,
                                            std::size_t data_rows = 0);

}  // namespace kaa::parallel
