#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/projector.hpp"

namespace kaa::strategies {

/// archetypax's simplex step on columns (its project_col_coefficients): each column
/// max(eps, v) / max(eps, its sum), for the column-stochastic biarchetypal blocks theta and gamma.
template <class S>
class ColumnSimplexClamp final : public Projector<S> {
 public:
  static constexpr const char* name = "column_simplex_clamp";
  static constexpr const char* summary =
      "archetypax's simplex step on columns: each column max(eps, v) / its sum";
  static constexpr unsigned blocks =
      static_cast<unsigned>(Block::column_mixing) | static_cast<unsigned>(Block::column_weights);
  struct Params {
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit ColumnSimplexClamp(const Params& config);
  void project(Matrix<S>& block, const Matrix<S>& X) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
