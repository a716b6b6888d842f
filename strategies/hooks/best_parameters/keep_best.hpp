#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/hook.hpp"
#include "strategies/common/late_best.hpp"

namespace kaa::strategies {

/// Returns the best parameters instead of the last ones when the fit stops (archetypax's Improved
/// AA returns best_params). best = "evaluated": the parameters at which the lowest loss was
/// evaluated. best = "after_update" reproduces archetypax's off-by-one: the parameters after the
/// update that started from the lowest loss (their loss was never computed).
template <class S>
class KeepBest final : public Hook<S> {
 public:
  static constexpr const char* name = "keep_best";
  // Reads recorded losses only: sample weights act through the loss terms.
  static constexpr bool weighted = true;
  static constexpr const char* summary = "end the fit on the best parameters seen";
  struct Params {
    common::BestChoice best = common::BestChoice::evaluated;
  };
  static BoundSchema<Params> schema();
  explicit KeepBest(const Params& config);

  void begin_fit() override { late_best_.reset(); }
  void after_update(HookContext<S>& ctx) override;
  void on_finish(HookContext<S>& ctx) override;
  void save_state(SavedState& state, const std::string& prefix) const override;
  void load_state(const SavedState& state, const std::string& prefix) override;

 private:
  bool late_;
  common::LateBest<S> late_best_;
};

}  // namespace kaa::strategies
