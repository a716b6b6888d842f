#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// Mørup & Hansen's FurthestSum (Neurocomputing 80, 2012; FurthestSum.m of their PCHA code): start
/// from a random row; repeatedly add the unchosen row with the largest sum of Euclidean distances
/// to the rows chosen so far. Once k rows are chosen, `replacements` further passes each drop the
/// oldest choice (it becomes available again) and add the best row, which removes the dependence
/// on the random start (their loop runs k + 10 times, i.e. 11 replacements). Ties go to the lowest
/// row index (as Matlab's max). Archetypes are copies of the chosen rows; mixing weights (when the
/// model has them) are one-hot on them. For k = 1 there is nothing to sum and the random row is
/// kept (the reference loop would return row 0).
template <class S>
class FurthestSum final : public Initializer<S> {
 public:
  static constexpr const char* name = "furthest_sum";
  // Sample weights: the start drawn by weight; zero-weight rows are never chosen.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "archetypes = rows with the largest sum of distances to the others chosen (Mørup & Hansen "
      "2012)";
  struct Params {
    int replacements = 11;
  };
  static BoundSchema<Params> schema();
  explicit FurthestSum(const Params& config);
  unsigned blocks() const override { return bit(Block::archetypes) | bit(Block::mixing); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

  /// Row indices chosen by the last initialize(), oldest first.
  const std::vector<std::size_t>& chosen() const { return chosen_; }

 private:
  Params config_;
  std::vector<std::size_t> chosen_;
};

}  // namespace kaa::strategies
