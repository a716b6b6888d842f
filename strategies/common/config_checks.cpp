#include "strategies/common/config_checks.hpp"

#include "framework/config/config.hpp"

namespace kaa::strategies::common {

namespace {

std::string quoted_list(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? separator : "") + ("\"" + items[i] + "\"");
  return out;
}

}  // namespace

bool require_single_loss(const nlohmann::json& config, const std::string& optimizer_path,
                         const std::vector<std::string>& allowed, const std::string& what,
                         std::vector<std::string>& issues) {
  const auto& loss = config.at("loss");
  const std::string solver = "optimizer \"" + config.at("optimizer").at("type").get<std::string>() +
                             "\" (" + optimizer_path + "/type)";
  const std::string expected = "exactly one " + quoted_list(allowed, " or ") + " term";
  if (loss.size() == 1) {
    const std::string type = loss[0].at("type");
    for (const auto& a : allowed)
      if (type == a) return true;
    issues.push_back("/loss/0/type: " + solver + " minimises " + what +
                     ", so the loss list must be " + expected + "; got \"" + type + "\"");
    return false;
  }
  std::vector<std::string> types, extra;
  for (std::size_t i = 0; i < loss.size(); ++i) {
    types.push_back(loss[i].at("type").get<std::string>());
    if (i > 0) extra.push_back("/loss/" + std::to_string(i));
  }
  std::string remove;
  for (std::size_t i = 0; i < extra.size(); ++i) remove += (i ? ", " : "") + extra[i];
  issues.push_back("/loss: " + solver + " minimises " + what + ", so the loss list must be " +
                   expected + "; got " + std::to_string(loss.size()) + " terms (" +
                   quoted_list(types, ", ") + "): remove " + remove);
  return false;
}

void require_at_most_archetypes(const nlohmann::json& config, const std::string& optimizer_path,
                                long long max_k, std::vector<std::string>& issues) {
  const long long k = static_cast<long long>(model_settings(config).n_archetypes);
  if (k > max_k) {
    issues.push_back("/model/n_archetypes: optimizer \"" +
                     config.at("optimizer").at("type").get<std::string>() + "\" (" +
                     optimizer_path + "/type) solves each row's weights with at most " +
                     std::to_string(max_k) + " archetypes; got " + std::to_string(k));
  }
}

void require_free_archetypes(const nlohmann::json& config, const std::string& path,
                             const char* hook, std::vector<std::string>& issues) {
  if (config.contains("projectors") && config["projectors"].contains("mixing")) {
    issues.push_back(path + "/type: hook \"" + hook +
                     "\" rewrites the archetypes, but /optimizer/type \"" +
                     config["optimizer"].value("type", std::string("?")) +
                     "\" derives them from mixing weights (Z = B X); remove the hook or use an "
                     "optimizer on the archetypes");
  }
}

}  // namespace kaa::strategies::common
