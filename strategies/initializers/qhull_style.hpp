#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// archetypax's "qhull" start without Qhull. Hull vertices are found as the data rows farthest
/// from the centroid along `directions` seeded random unit directions plus the 2d coordinate
/// directions: every such row is a vertex of the convex hull, but vertices whose normal cone no
/// direction hits are missed (Qhull finds all, at a cost exponential in d, and fails for n <= d).
/// The vertices are taken in row order (scipy's order for d >= 3; for d = 2 scipy lists them
/// counter-clockwise). Then archetypax's selection: with more than k vertices, greedy
/// farthest-point sampling from the first vertex (squared distances, first maximum wins); with
/// fewer, all vertices plus random non-vertex rows (archetypax draws from all rows, so it can
/// repeat a vertex).
template <class S>
class QhullStyle final : public Initializer<S> {
 public:
  static constexpr const char* name = "qhull_style";
  static constexpr const char* summary =
      "archetypes = farthest-point subset of hull vertices found along many directions";
  struct Params {
    long directions = 1000;
  };
  static BoundSchema<Params> schema();
  explicit QhullStyle(const Params& config);
  unsigned blocks() const override { return bit(Block::archetypes) | bit(Block::mixing); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

  /// Hull vertices found by the last initialize(), ascending row indices.
  const std::vector<long>& vertices() const { return vertices_; }
  /// Row indices chosen by the last initialize().
  const std::vector<long>& chosen() const { return chosen_; }

 private:
  Params config_;
  std::vector<long> vertices_, chosen_;
};

}  // namespace kaa::strategies
