#pragma once
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "framework/checkpoint/saved_state.hpp"
#include "framework/interfaces/hook.hpp"

namespace kaa::strategies::common {

/// Which best parameters a hook keeps: those the lowest loss was evaluated at, or archetypax's
/// (LateBest below).
enum class BestChoice { evaluated, after_update };

inline std::vector<std::pair<std::string, BestChoice>> best_choices() {
  return {{"evaluated", BestChoice::evaluated}, {"after_update", BestChoice::after_update}};
}

/// archetypax's notion of the best parameters, kept for comparison runs: when the loss evaluated
/// before an update is a new minimum, it stores the parameters *after* that update (an
/// off-by-one: those parameters' own loss was never evaluated). The model's restore_best() keeps
/// the parameters the loss was evaluated at instead.
template <class S>
class LateBest {
 public:
  /// Forgets the snapshot, at the start of a fit (the next fit's data may have another shape).
  void reset() {
    loss_ = std::numeric_limits<double>::infinity();
    snapshot_ = Parameters<S>();
  }
  /// Call once after each update.
  void observe(const HookContext<S>& ctx) {
    if (ctx.losses.empty() || !(ctx.losses.back() < loss_)) return;
    loss_ = ctx.losses.back();
    if (!snapshot_.has(Block::weights)) snapshot_ = allocate_like<S>("kaa::late_best", ctx.params);
    copy_parameters(ctx.params, snapshot_);
  }
  bool restore(HookContext<S>& ctx) const {
    if (!std::isfinite(loss_)) return false;
    copy_parameters(snapshot_, ctx.params);
    return true;
  }
  void save(SavedState& state, const std::string& prefix) const {
    state.scalars[prefix + ".late_best_loss"] =
        std::isfinite(loss_) ? nlohmann::json(loss_) : nlohmann::json(nullptr);
    if (std::isfinite(loss_)) state.put_parameters(prefix + ".late_best", snapshot_);
  }
  void load(const SavedState& state, const std::string& prefix) {
    const auto& v = state.scalars.at(prefix + ".late_best_loss");
    loss_ = v.is_null() ? std::numeric_limits<double>::infinity() : v.get<double>();
    if (!std::isfinite(loss_)) return;
    snapshot_ = Parameters<S>();
    for (Block b : kBlocks) {
      const std::string key = prefix + ".late_best." + to_string(b);
      const auto it = state.arrays.find(key);
      if (it != state.arrays.end())
        snapshot_.block(b) = Matrix<S>("kaa::late_best", it->second.rows, it->second.cols);
    }
    state.get_parameters(prefix + ".late_best", snapshot_);
  }

 private:
  double loss_ = std::numeric_limits<double>::infinity();
  Parameters<S> snapshot_;
};

}  // namespace kaa::strategies::common
