// libFuzzer target: JSON text -> parse_json_text -> resolve_config with the full registry -> the
// model's strategies built in both precisions, as `kaa fit` does before loading data. ConfigError
// (and InputError from a strategy's constructor) is the expected answer to bad input; anything else
// escaping is a bug. A resolved config must also resolve again to itself (it is re-runnable).
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/kokkos_session.hpp"
#include "framework/model.hpp"
#include "strategies/register_all.hpp"

namespace {

const kaa::Registry& registry() {
  static const kaa::Registry r = [] {
    kaa::Registry out;
    kaa::register_all(out);
    return out;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Strategy constructors may allocate views. One thread; never finalised (a static's destructor
  // would run after Kokkos' own at exit).
  static const auto* session = new kaa::KokkosSession(1);
  (void)session;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json resolved;
  try {
    resolved =
        kaa::resolve_config(kaa::parse_json_text(text, "fuzz.json"), registry(), "fuzz.json");
  } catch (const kaa::ConfigError&) {
    return 0;
  }
  if (kaa::resolve_config(resolved, registry(), "resolved.json") != resolved) __builtin_trap();
  try {
    const kaa::Model<float> single(resolved, registry());
    const kaa::Model<double> twice(resolved, registry());
  } catch (const kaa::ConfigError&) {
  } catch (const kaa::InputError&) {
  }
  return 0;
}
