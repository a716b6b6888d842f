#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// archetypax's weight start: every entry U(low, high), then each row max(eps, w) / sum.
template <class S>
class UniformWeights final : public Initializer<S> {
 public:
  static constexpr const char* name = "uniform_weights";
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "weights drawn U(low, high) per entry, then rows clamped and renormalised";
  static Schema schema();
  explicit UniformWeights(const nlohmann::json& params);
  unsigned blocks() const override { return static_cast<unsigned>(Block::weights); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

 private:
  double low_, high_, eps_;
};

}  // namespace kaa::strategies
