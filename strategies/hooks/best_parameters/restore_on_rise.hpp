#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/hook.hpp"
#include "strategies/common/late_best.hpp"
#include "strategies/common/schedule.hpp"

namespace kaa::strategies {

/// archetypax's recovery rule: on its schedule (archetypax: iterations 20, 40, ..., i.e. after
/// updates 21, 41, ...), when the loss before the update exceeds factor x the loss before the
/// previous one, the best parameters are restored and the optimizer restarts from them.
template <class S>
class RestoreOnRise final : public Hook<S> {
 public:
  static constexpr const char* name = "restore_on_rise";
  // Reads recorded losses only: sample weights act through the loss terms.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "restore the best parameters and restart the optimizer when the loss rose by a factor";
  struct Params {
    std::size_t every = 20, start = 21;
    double factor = 1.05;
    common::BestChoice best = common::BestChoice::evaluated;
  };
  static BoundSchema<Params> schema();
  explicit RestoreOnRise(const Params& config);

  void begin_fit() override;
  void after_update(HookContext<S>& ctx) override;
  void save_state(SavedState& state, const std::string& prefix) const override;
  void load_state(const SavedState& state, const std::string& prefix) override;

  /// Restores made so far.
  std::size_t restores() const { return restores_; }

 private:
  common::Schedule schedule_;
  double factor_;
  bool late_;
  common::LateBest<S> late_best_;
  std::size_t restores_ = 0;
};

}  // namespace kaa::strategies
