#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kaa {

/// Parses JSON text like nlohmann::json::parse, and appends to `duplicates` the JSON pointer of
/// every key that repeats an earlier key of the same object. JSON parsers keep only the last of
/// repeated keys, so a config that sets a key twice would silently lose the first value.
/// Throws nlohmann's parse errors unchanged.
nlohmann::json parse_noting_duplicate_keys(const std::string& text,
                                           std::vector<std::string>& duplicates);

}  // namespace kaa
