#include "framework/registry/registry.hpp"

namespace kaa {

const std::vector<Kind>& all_kinds() {
  static const std::vector<Kind> kinds{Kind::dataset,   Kind::initializer, Kind::loss,
                                       Kind::optimizer, Kind::projector,   Kind::hook,
                                       Kind::stopping,  Kind::metric,      Kind::transform};
  return kinds;
}

const char* to_string(Kind kind) {
  switch (kind) {
    case Kind::dataset:
      return "dataset";
    case Kind::initializer:
      return "initializer";
    case Kind::loss:
      return "loss";
    case Kind::optimizer:
      return "optimizer";
    case Kind::projector:
      return "projector";
    case Kind::hook:
      return "hook";
    case Kind::stopping:
      return "stopping";
    case Kind::metric:
      return "metric";
    case Kind::transform:
      return "transform";
  }
  return "?";
}

void Registry::insert(Entry entry) {
  const auto key = std::make_pair(entry.info.kind, entry.info.name);
  if (entries_.count(key) != 0) {
    throw Error(std::string("registry: ") + to_string(key.first) + " \"" + key.second +
                "\" registered twice");
  }
  entries_.emplace(key, std::move(entry));
}

const Registry::Entry& Registry::entry(Kind kind, const std::string& name) const {
  const auto it = entries_.find({kind, name});
  if (it == entries_.end()) {
    throw Error(std::string("unknown ") + to_string(kind) + " \"" + name + "\"");
  }
  return it->second;
}

const StrategyInfo* Registry::find(Kind kind, const std::string& name) const {
  const auto it = entries_.find({kind, name});
  return it == entries_.end() ? nullptr : &it->second.info;
}

std::vector<std::string> Registry::names(Kind kind) const {
  std::vector<std::string> out;
  for (const auto& [key, e] : entries_)
    if (key.first == kind) out.push_back(key.second);
  return out;
}

std::vector<const StrategyInfo*> Registry::all() const {
  std::vector<const StrategyInfo*> out;
  for (const auto& kind : all_kinds())
    for (const auto& [key, e] : entries_)
      if (key.first == kind) out.push_back(&e.info);
  return out;
}

}  // namespace kaa
