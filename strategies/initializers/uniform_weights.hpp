#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// archetypax's weight start: every entry U(low, high), then each row max(eps, w) / sum.
template <class S>
class UniformWeights final : public Initializer<S> {
 public:
  static constexpr const char* name = "uniform_weights";
  // Draws each row's weights alone: sample weights do not change them.
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "weights drawn U(low, high) per entry, then rows clamped and renormalised";
  struct Params {
    double low = 0.1;
    double high = 0.9;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit UniformWeights(const Params& config);
  unsigned blocks() const override { return static_cast<unsigned>(Block::weights); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
