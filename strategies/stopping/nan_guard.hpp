#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/stopping_rule.hpp"

namespace kaa::strategies {

/// Stops the fit as diverged, before the parameters move, when the loss is not finite or its
/// magnitude exceeds `bound` (the framework refuses non-finite losses even without this rule).
template <class S>
class NanGuard final : public StoppingRule<S> {
 public:
  static constexpr const char* name = "nan_guard";
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "stop as diverged when the loss is NaN, Inf or beyond a bound";
  struct Params {
    double bound = 1e30;
  };
  static BoundSchema<Params> schema();
  explicit NanGuard(const Params& config);

  std::optional<std::string> before_update(const FitProgress& p) override;
  bool is_failure() const override { return true; }

 private:
  Params config_;
};

}  // namespace kaa::strategies
