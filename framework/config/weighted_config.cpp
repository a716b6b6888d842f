#include "framework/config/weighted_config.hpp"

#include <cmath>

#include "framework/config/strategy_nodes.hpp"

namespace kaa {

std::vector<std::string> weighted_issues(const nlohmann::json& resolved, const Registry& registry,
                                         const std::string& weights_source) {
  std::vector<std::string> issues;
  for_each_strategy_node(resolved, [&](Kind kind, const nlohmann::json& node,
                                       const std::string& path) {
    if (kind != Kind::initializer && kind != Kind::loss && kind != Kind::optimizer &&
        kind != Kind::hook && kind != Kind::metric)
      return;
    const std::string name = node.at("type").get<std::string>();
    const StrategyInfo* info = registry.find(kind, name);
    if (info == nullptr || info->weighted) return;
    const std::string can = names_with(registry, kind, &StrategyInfo::weighted);
    issues.push_back(path + ": " + to_string(kind) + " \"" + name +
                     "\" does not honour sample weights, but the data have them (" +
                     weights_source + ")" + (can.empty() ? std::string() : "; use one of: " + can));
  });
  return issues;
}

bool declares_row_weights(const nlohmann::json& data_node) {
  for (const char* key : {"weights", "weights_column"}) {
    const auto it = data_node.find(key);
    if (it != data_node.end() && it->is_string() && !it->get<std::string>().empty()) return true;
  }
  return false;
}

std::vector<std::string> row_weight_issues(const std::vector<double>& weights, std::size_t rows,
                                           const std::string& source, bool require_positive) {
  if (weights.size() != rows) {
    return {source + ": " + std::to_string(weights.size()) + " weights for " +
            std::to_string(rows) + " data rows; need one weight per row"};
  }
  bool positive = false;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!std::isfinite(weights[i]))
      return {source + ": row " + std::to_string(i + 1) + ": weight is NaN or Inf"};
    if (weights[i] < 0)
      return {source + ": row " + std::to_string(i + 1) + ": weight " + std::to_string(weights[i]) +
              " is negative; weights must be >= 0"};
    positive = positive || weights[i] > 0;
  }
  if (require_positive && !positive)
    return {source + ": every weight is zero; at least one row must count"};
  return {};
}

}  // namespace kaa
