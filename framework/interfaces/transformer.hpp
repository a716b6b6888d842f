#pragma once
#include "framework/types.hpp"

namespace kaa {

/// Solves the weights of (new) points for fixed archetypes: each row of W on the simplex,
/// minimising ||x_i - w_i Z||^2 (exactly or by the heuristic a strategy names).
template <class S>
class Transformer {
 public:
  virtual ~Transformer() = default;
  virtual void solve(const Matrix<S>& X, const Matrix<S>& archetypes, Matrix<S>& weights) = 0;
};

}  // namespace kaa
