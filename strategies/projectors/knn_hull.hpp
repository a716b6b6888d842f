#pragma once
#include <nlohmann/json.hpp>
#include "framework/kernels/block_solver_workspace.hpp"

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/projector.hpp"
#include "framework/kernels/knn_hull.hpp"

namespace kaa::strategies {

/// archetypax's archetype projection: each archetype z becomes sum_p w_p x_p over its m nearest
/// data points (m = min(k, n)), with w_p proportional to 1 / (||x_p - z||^2 + eps), so it lands in
/// the convex hull of those neighbours. Ties in distance go to the lower row index (as a stable
/// argsort would). Neighbours are found in one pass over X by partial selection (bounded heaps per
/// chunk of rows, merged), never by sorting all n distances and without an n x k distance matrix.
template <class S>
class KnnHull final : public Projector<S> {
 public:
  static constexpr const char* name = "knn_hull";
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "pull each archetype to the inverse-squared-distance mix of its k nearest points";
  static constexpr unsigned blocks = static_cast<unsigned>(Block::archetypes);
  static constexpr int max_neighbours = 64;
  struct Params {
    int k = 10;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit KnnHull(const Params& config);
  void project(Matrix<S>& block, const Matrix<S>& X) override;

  /// Row indices of the m nearest points of each archetype, nearest first (k x m); exposed for
  /// tests against a brute-force sort.
  Kokkos::View<long**, Kokkos::LayoutRight, MemSpace> nearest(const Matrix<S>& archetypes,
                                                              const Matrix<S>& X);

 private:
  Params config_;
  /// Over the ranks of a distributed fit: the same neighbours and result as on one rank.
  void project_distributed(Matrix<S>& block, const Matrix<S>& X);
  Kokkos::View<long**, Kokkos::LayoutRight, MemSpace> last_;
  kernels::KnnHullWorkspace<S> work_;
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
