#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/projector.hpp"

namespace kaa::strategies {

/// Exact Euclidean projection of each row onto the probability simplex by sorting (Held, Wolfe &
/// Crowder 1974; Duchi et al., ICML 2008; Condat, Math. Program. 2016, Algorithm 1): with u the
/// row sorted in decreasing order, rho = max{j : u_j > (sum_{r<=j} u_r - 1) / j} and
/// tau = (sum_{r<=rho} u_r - 1) / rho, the projection is max(w - tau, 0). O(m log m) per row by an
/// in-place heap sort of a copy of the row (no recursion, no std:: in the kernel). Gives the same
/// result as simplex_euclidean (Michelot's algorithm); applies to weights and mixing rows.
template <class S>
class SimplexSort final : public Projector<S> {
 public:
  static constexpr const char* name = "simplex_sort";
  static constexpr const char* summary =
      "exact Euclidean projection of each row onto the simplex by sorting (Held et al. / Duchi et "
      "al.; Condat 2016)";
  static constexpr unsigned blocks = bit(Block::weights) | bit(Block::mixing);
  static Schema schema();

  void project(Matrix<S>& block, const Matrix<S>& X) override;

 private:
  Matrix<double> sorted_;  // scratch: one sorted copy of every row
};

}  // namespace kaa::strategies
