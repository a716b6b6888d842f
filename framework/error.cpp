#include "framework/error.hpp"

namespace kaa {

namespace {
std::string join_issues(const std::vector<std::string>& issues) {
  if (issues.size() == 1) return issues.front();
  std::string out = std::to_string(issues.size()) + " config errors:";
  for (const auto& issue : issues) out += "\n  " + issue;
  return out;
}
}  // namespace

ConfigError::ConfigError(std::vector<std::string> issues)
    : Error(join_issues(issues)), issues_(std::move(issues)) {}

}  // namespace kaa
