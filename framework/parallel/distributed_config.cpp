#include "framework/parallel/distributed_config.hpp"

#include "framework/config/strategy_nodes.hpp"

namespace kaa::parallel {

std::vector<std::string> distributed_issues(const nlohmann::json& resolved,
                                            const Registry& registry, int ranks,
                                            std::size_t data_rows) {
  std::vector<std::string> issues;
  if (ranks <= 1) return issues;
  const std::string over = " (" + std::to_string(ranks) + " MPI ranks)";
  auto check = [&](Kind kind, const nlohmann::json& node, const std::string& path) {
    const std::string name = node.at("type").get<std::string>();
    const StrategyInfo* info = registry.find(kind, name);
    if (info == nullptr || info->distributed) return;
    const std::string can = names_with(registry, kind, &StrategyInfo::distributed);
    issues.push_back(path + ": " + to_string(kind) + " \"" + name + "\" cannot run distributed" +
                     over + "; run it on one rank" +
                     (can.empty() ? std::string() : " or use one of: " + can));
  };
  // The transform runs only in `kaa transform`, never in a distributed fit.
  for_each_strategy_node(resolved,
                         [&](Kind kind, const nlohmann::json& node, const std::string& path) {
                           if (kind != Kind::transform) check(kind, node, path);
                         });
  if (data_rows > 0 && static_cast<std::size_t>(ranks) > data_rows) {
    issues.push_back("/data: " + std::to_string(data_rows) + " rows cannot be split over " +
                     std::to_string(ranks) + " MPI ranks (at most one rank per row)");
  }
  return issues;
}

}  // namespace kaa::parallel
