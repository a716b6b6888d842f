#include "framework/sweep/run_id.hpp"

#include <cstdint>
#include <cstdio>

namespace kaa::sweep {

std::string run_id(const nlohmann::json& resolved, const std::string& dataset) {
  // FNV-1a (Fowler, Noll, Vo): stable across platforms and releases, unlike std::hash. The
  // dataset name is hashed only when present so a plain config's id is that of its text alone;
  // the name keeps two data sets with identical nodes apart.
  std::string text = resolved.dump();
  if (!dataset.empty()) text += "\n@dataset=" + dataset;
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace kaa::sweep
