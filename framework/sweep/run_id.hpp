#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace kaa::sweep {

/// The id of one run of a sweep: 16 hex digits of a 64-bit FNV-1a hash of the canonical text of
/// its resolved config (nlohmann's objects keep keys sorted, so key order in the files never
/// matters) and, when given, the name of the sweep's data set it runs on. The same run always gets
/// the same id; any change to a resolved value gives another.
std::string run_id(const nlohmann::json& resolved, const std::string& dataset = "");

}  // namespace kaa::sweep
