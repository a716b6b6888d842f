#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/stopping_rule.hpp"

namespace kaa::strategies {

/// Stops once `value` updates have been made (archetypax: max_iter = 500).
template <class S>
class MaxIter final : public StoppingRule<S> {
 public:
  static constexpr const char* name = "max_iter";
  static constexpr bool distributed = true;
  static constexpr const char* summary = "stop after a fixed number of updates";
  struct Params {
    std::size_t value = 500;
  };
  static BoundSchema<Params> schema();
  explicit MaxIter(const Params& config);

  std::optional<std::string> after_update(const FitProgress& p) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
