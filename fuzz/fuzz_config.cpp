// libFuzzer target: JSON text -> parse_json_text -> resolve_config with the full registry.
// ConfigError is the expected answer to bad input; anything else escaping is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "strategies/register_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const kaa::Registry registry = [] {
    kaa::Registry r;
    kaa::register_all(r);
    return r;
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json raw = kaa::parse_json_text(text, "fuzz.json");
    const nlohmann::json resolved = kaa::resolve_config(raw, registry, "fuzz.json");
    // A resolved config must resolve again to itself: what a run records can be re-run.
    if (kaa::resolve_config(resolved, registry, "resolved.json") != resolved) __builtin_trap();
  } catch (const kaa::ConfigError&) {
  }
  return 0;
}
