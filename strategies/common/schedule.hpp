#pragma once
#include <cstddef>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"

namespace kaa::strategies::common {

/// "Every N updates from update S": a hook with this schedule acts after update `start`, then
/// after every `every`-th update. archetypax counts iterations from 0 and tests `it % N == 0`, so
/// its schedules are start = 1 (iteration 0 is our first update), or N + 1 where it also requires
/// it > 0.
struct Schedule {
  std::size_t every = 1, start = 1;

  Schedule(std::size_t every_updates, std::size_t first_update)
      : every(every_updates), start(first_update) {}

  /// Declares "every" and "start", bound to the members of those names in the hook's Params
  /// (whose initial values are the hook's defaults).
  template <class P>
  static void declare(BoundSchema<P>& s) {
    Schema::Field every_field = s.integer("every", &P::every);  // declared first: listed first
    describe(every_field, s.integer("start", &P::start));
  }

  bool fires(std::size_t updates) const {
    return updates >= start && (updates - start) % every == 0;
  }

 private:
  static void describe(Schema::Field every_field, Schema::Field start_field) {
    every_field.min(1).doc("act every this many updates");
    start_field.min(1).doc(
        "first update after which it acts (1 = after the first update, archetypax's "
        "iteration 0)");
  }
};

}  // namespace kaa::strategies::common
