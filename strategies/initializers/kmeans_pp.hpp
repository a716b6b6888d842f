#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// k-means++ seeding (Arthur & Vassilvitskii 2007), archetypax's archetype start: the first row
/// uniformly at random, each next row with probability proportional to its squared distance to
/// the nearest row already chosen; archetypes are copies of the chosen rows. A running minimum
/// distance makes it O(n k d) in all (archetypax's loop is O(n k^2 d)). The draw is done on the
/// host from a counter-based stream, so the choice does not depend on the number of threads.
template <class S>
class KmeansPP final : public Initializer<S> {
 public:
  static constexpr const char* name = "kmeans_pp";
  // Sample weights: draws by w_i (first) and w_i D^2; zero-weight rows are never chosen (one rank).
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "archetypes = data rows picked by D^2 sampling (k-means++)";
  static Schema schema();
  KmeansPP() = default;
  /// Also sets mixing weights (one-hot on the chosen rows) when the model has them.
  unsigned blocks() const override { return bit(Block::archetypes) | bit(Block::mixing); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

  /// Row indices chosen by the last initialize().
  const std::vector<std::size_t>& chosen() const { return chosen_; }

 private:
  /// Over the ranks of a distributed fit (rows split, archetypes replicated).
  void initialize_distributed(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed);
  std::vector<std::size_t> chosen_;
};

}  // namespace kaa::strategies
