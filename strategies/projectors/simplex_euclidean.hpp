#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/projector.hpp"

namespace kaa::strategies {

/// exact Euclidean projection of each row onto the probability simplex (Condat 2016).
template <class S>
class SimplexEuclidean final : public Projector<S> {
 public:
  static constexpr const char* name = "simplex_euclidean";
  static constexpr const char* summary =
      "exact Euclidean projection of each row onto the probability simplex (Condat 2016)";
  static constexpr unsigned blocks = static_cast<unsigned>(Block::weights);
  static Schema schema();

  void project(Matrix<S>& block, const Matrix<S>& X) override;
};

}  // namespace kaa::strategies
