#pragma once
#include <memory>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/initializer.hpp"
#include "framework/interfaces/projector.hpp"
#include "framework/registry/registry.hpp"

namespace kaa::strategies {

/// archetypax's BiarchetypalAnalysis start of gamma (column_weights, kc x d): every entry
/// U(low, high), then projected by a column projector (by default column_simplex_clamp: each column
/// max(eps, g) / its sum; `uniform_weights` does rows of alpha).
template <class S>
class UniformColumnWeights final : public Initializer<S> {
 public:
  static constexpr const char* name = "uniform_column_weights";
  // Writes the column blocks (features), not rows: sample weights do not change it.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "column weights gamma drawn U(low, high) per entry, then columns clamped and renormalised";
  struct Params {
    double low = 0.1;
    double high = 0.9;
    nlohmann::json projector =
        nlohmann::json::object({{"type", "column_simplex_clamp"}, {"eps", 1e-10}});
  };
  static BoundSchema<Params> schema();
  UniformColumnWeights(const Params& config, const Registry& registry);
  unsigned blocks() const override { return bit(Block::column_weights); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

 private:
  double low_, high_;
  std::unique_ptr<Projector<S>> projector_;
};

}  // namespace kaa::strategies
