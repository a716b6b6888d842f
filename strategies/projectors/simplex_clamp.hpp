#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/projector.hpp"

namespace kaa::strategies {

/// archetypax's simplex step: each row max(eps, w) / its sum (not a Euclidean projection).
template <class S>
class SimplexClamp final : public Projector<S> {
 public:
  static constexpr const char* name = "simplex_clamp";
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "archetypax's simplex step: each row max(eps, w) / its sum (not a Euclidean projection)";
  static constexpr unsigned blocks =
      static_cast<unsigned>(Block::weights) | static_cast<unsigned>(Block::mixing);
  struct Params {
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit SimplexClamp(const Params& config);

  void project(Matrix<S>& block, const Matrix<S>& X) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
