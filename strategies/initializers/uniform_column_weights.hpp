#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// archetypax's BiarchetypalAnalysis start of gamma (column_weights, kc x d): every entry
/// U(low, high), then each column max(eps, g) / its sum (`uniform_weights` does rows of alpha).
template <class S>
class UniformColumnWeights final : public Initializer<S> {
 public:
  static constexpr const char* name = "uniform_column_weights";
  static constexpr const char* summary =
      "column weights gamma drawn U(low, high) per entry, then columns clamped and renormalised";
  static Schema schema();
  explicit UniformColumnWeights(const nlohmann::json& params);
  unsigned blocks() const override { return bit(Block::column_weights); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

 private:
  double low_, high_, eps_;
};

}  // namespace kaa::strategies
