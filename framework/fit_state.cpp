#include "framework/fit_state.hpp"

#include <cmath>
#include <string>

#include "framework/error.hpp"
#include "framework/kernels/block_copy.hpp"

namespace kaa {

namespace {

const nlohmann::json& checkpoint_value(const SavedState& state, const char* key) {
  if (!state.scalars.contains(key))
    throw InputError(std::string("checkpoint: value \"") + key + "\" missing");
  return state.scalars.at(key);
}

}  // namespace

template <class S>
FitState<S>::FitState(const Matrix<S>& X, const Parameters<S>& params,
                      const StatefulStrategies<S>& strategies)
    : strategies_(strategies), best_(allocate_like<S>("kaa::best", params)) {
  strategies_.optimizer.init(X, params);
  for (const auto& hook : strategies_.hooks) hook->begin_fit();
  for (const auto& rule : strategies_.stopping) rule->begin_fit();
}

template <class S>
void FitState<S>::record(double loss, const Parameters<S>& params) {
  losses_.push_back(loss);
  // The best parameters are the ones the loss was evaluated at, i.e. before this update.
  if (std::isfinite(loss) && loss < best_loss_) {
    best_loss_ = loss;
    best_update_ = updates_;
    kernels::copy_blocks(ExecSpace(), params, best_);
  }
}

template <class S>
bool FitState<S>::restore_best(Parameters<S>& params) const {
  if (!std::isfinite(best_loss_)) return false;
  copy_parameters(best_, params);
  return true;
}

template <class S>
double FitState<S>::seconds() const {
  return seconds_before_ +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

template <class S>
void FitState<S>::save(SavedState& out, const Parameters<S>& params) const {
  out.scalars["updates"] = updates_;
  out.scalars["losses"] = losses_;
  out.scalars["seconds"] = seconds();
  out.scalars["best_loss"] =
      std::isfinite(best_loss_) ? nlohmann::json(best_loss_) : nlohmann::json(nullptr);
  out.scalars["best_update"] = best_update_;
  out.put_parameters("params", params);
  if (std::isfinite(best_loss_)) out.put_parameters("best", best_);
  strategies_.optimizer.save_state(out, "optimizer");
  for (std::size_t h = 0; h < strategies_.hooks.size(); ++h)
    strategies_.hooks[h]->save_state(out, "hook" + std::to_string(h));
}

template <class S>
void FitState<S>::load(const SavedState& in, Parameters<S>& params) {
  in.get_parameters("params", params);
  losses_ = checkpoint_value(in, "losses").get<std::vector<double>>();
  updates_ = checkpoint_value(in, "updates").get<std::size_t>();
  seconds_before_ = checkpoint_value(in, "seconds").get<double>();
  const auto& best_loss = checkpoint_value(in, "best_loss");
  best_loss_ =
      best_loss.is_null() ? std::numeric_limits<double>::infinity() : best_loss.get<double>();
  best_update_ = checkpoint_value(in, "best_update").get<std::size_t>();
  if (std::isfinite(best_loss_)) in.get_parameters("best", best_);
  strategies_.optimizer.load_state(in, "optimizer");
  for (std::size_t h = 0; h < strategies_.hooks.size(); ++h)
    strategies_.hooks[h]->load_state(in, "hook" + std::to_string(h));
}

template class FitState<float>;
template class FitState<double>;

}  // namespace kaa
