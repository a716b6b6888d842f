#include "framework/config/strategy_nodes.hpp"

#include <utility>

#include "framework/config/schema.hpp"

namespace kaa {

void for_each_strategy_node(const nlohmann::json& resolved, const StrategyNodeVisitor& visit) {
  const std::pair<const char*, Kind> singles[] = {
      {"data", Kind::dataset}, {"optimizer", Kind::optimizer}, {"transform", Kind::transform}};
  for (const auto& [key, kind] : singles)
    if (resolved.contains(key)) visit(kind, resolved.at(key), std::string("/") + key);
  if (resolved.contains("projectors"))
    for (const auto& [key, node] : resolved.at("projectors").items())
      visit(Kind::projector, node, "/projectors/" + key);
  const std::pair<const char*, Kind> lists[] = {{"initializers", Kind::initializer},
                                                {"loss", Kind::loss},
                                                {"hooks", Kind::hook},
                                                {"stopping", Kind::stopping},
                                                {"metrics", Kind::metric}};
  for (const auto& [key, kind] : lists) {
    if (!resolved.contains(key)) continue;
    const auto& list = resolved.at(key);
    for (std::size_t i = 0; i < list.size(); ++i)
      visit(kind, list[i], pointer_append(std::string("/") + key, i));
  }
}

std::string names_with(const Registry& registry, Kind kind, bool StrategyInfo::*flag) {
  std::string out;
  for (const std::string& name : registry.names(kind)) {
    const StrategyInfo* info = registry.find(kind, name);
    if (info != nullptr && info->*flag) out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

}  // namespace kaa
