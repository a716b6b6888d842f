#pragma once
#include <cstddef>

#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"

namespace kaa::strategies::common {

/// "Every N updates from update S": a hook with this schedule acts after update `start`, then
/// after every `every`-th update. archetypax counts iterations from 0 and tests `it % N == 0`, so
/// its schedules are start = 1 (iteration 0 is our first update), or N + 1 where it also requires
/// it > 0.
struct Schedule {
  std::size_t every = 1, start = 1;

  static void declare(Schema& s, long every, long start) {
    s.integer("every", every).min(1).doc("act every this many updates");
    s.integer("start", start)
        .min(1)
        .doc(
            "first update after which it acts (1 = after the first update, archetypax's "
            "iteration 0)");
  }
  explicit Schedule(const nlohmann::json& p)
      : every(p.at("every").get<std::size_t>()), start(p.at("start").get<std::size_t>()) {}

  bool fires(std::size_t updates) const {
    return updates >= start && (updates - start) % every == 0;
  }
};

}  // namespace kaa::strategies::common
