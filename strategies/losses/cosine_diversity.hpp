#pragma once
#include <nlohmann/json.hpp>
#include "framework/kernels/block_solver_workspace.hpp"

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/loss_term.hpp"

namespace kaa::strategies {

/// archetypax's Sparse AA diversity term: weight x (1/k^2) sum_{i != j} max(cos(z_i, z_j), 0),
/// with cos(z_i, z_j) = z_i.z_j / (max(|z_i|, eps) max(|z_j|, eps)) (uncentred: it compares the
/// archetypes' directions from the origin, not from the data centroid). 0 when k = 1.
template <class S>
class CosineDiversity final : public LossTerm<S> {
 public:
  static constexpr const char* name = "cosine_diversity";
  // Sums over the archetypes only: sample weights do not change it.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "weight x mean positive cosine similarity between distinct archetypes";
  static constexpr unsigned blocks = static_cast<unsigned>(Block::archetypes);
  struct Params {
    double weight = 0.1;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit CosineDiversity(const Params& config);

  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                        Parameters<S>& grad) override;
  double value(const Matrix<S>& X, const Parameters<S>& params) override;

 private:
  double evaluate(const Matrix<S>& Z, const Matrix<S>& grad);
  Params config_;
  // The k x k mixing of the gradient and its host copy, reused across updates.
  Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> M_;
  typename Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>::HostMirror M_host_;
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
