#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/host_matrix.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// archetypax's default Improved AA start: k directions spread over the unit sphere, and for each
/// the data row farthest along it from the centroid. Directions: d = 2, k angles 2 pi i / k on the
/// circle; d = 3, the Fibonacci sphere (theta_i = 2 pi i / golden ratio, phi_i = arccos(1 - 2 (i
/// + 0.5) / k)); otherwise k Gaussian unit vectors pushed apart by `repulsion_steps` steps
/// u_i <- normalise(u_i - strength sum_{j != i} (u_i.u_j) u_j). Two directions may select the
/// same row (archetypax does not deduplicate either).
template <class S>
class Directional final : public Initializer<S> {
 public:
  static constexpr const char* name = "directional";
  static constexpr const char* summary =
      "archetypes = data rows farthest from the centroid along k spread directions";
  struct Params {
    bool lattice = true;
    int repulsion_steps = 50;
    double repulsion_strength = 0.1;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit Directional(const Params& config);
  /// Also sets mixing weights (one-hot on the chosen rows) when the model has them.
  unsigned blocks() const override { return bit(Block::archetypes) | bit(Block::mixing); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

  /// The k x d unit directions for d features (deterministic for d = 2, 3 with lattice on).
  HostMatrix directions(std::size_t k, std::size_t d, std::uint64_t seed) const;
  /// Row indices chosen by the last initialize().
  const std::vector<long>& chosen() const { return chosen_; }

 private:
  Params config_;
  std::vector<long> chosen_;
};

}  // namespace kaa::strategies
