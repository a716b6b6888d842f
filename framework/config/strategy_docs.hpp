#pragma once
#include <optional>
#include <string>

#include "framework/registry/registry.hpp"

namespace kaa {

/// Every registered strategy with its parameters (name, type, default, range, doc), as plain text
/// for `kaa list` or as the Markdown config reference in docs/CONFIG_REFERENCE.md.
std::string strategy_reference(const Registry& registry, bool markdown,
                               std::optional<Kind> only = std::nullopt);

}  // namespace kaa
