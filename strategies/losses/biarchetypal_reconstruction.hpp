#pragma once
#include <nlohmann/json.hpp>
#include "framework/kernels/block_solver_workspace.hpp"

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/loss_term.hpp"
#include "strategies/common/reduction.hpp"

namespace kaa::strategies {

/// Biarchetypal reconstruction (Alcacer et al., "Biarchetype analysis: simultaneous learning of
/// observations and features based on extremes"; archetypax's BiarchetypalAnalysis):
///   weight * (1/n) sum_i ||x_i - (alpha Z theta gamma)_i||^2   ("mean") or the plain sum,
/// with alpha = weights, Z = archetypes (= beta X, beta = mixing), theta = column_mixing,
/// gamma = column_weights. With E = Z theta gamma (k x d) the term is the ordinary reconstruction
/// of X from alpha E, so one streaming pass over X gives the value, d/dalpha and d/dE; the other
/// gradients are small products: with G = d/dE and M = Z theta,
///   d/dZ = G gamma^T theta^T,   d/dtheta = Z^T G gamma^T,   d/dgamma = M^T G.
/// No n x d temporary is formed. Declaring every block makes the model allocate beta, theta and
/// gamma (and derive Z = beta X).
template <class S>
class BiarchetypalReconstruction final : public LossTerm<S> {
 public:
  static constexpr const char* name = "biarchetypal_reconstruction";
  static constexpr const char* summary =
      "squared error of X - alpha (beta X) theta gamma (biarchetypal AA), mean over rows or sum";
  static constexpr unsigned blocks = kAllBlocks;
  struct Params {
    double weight = 1.0;
    common::Reduction reduction = common::Reduction::mean;
  };
  static BoundSchema<Params> schema();
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);
  explicit BiarchetypalReconstruction(const Params& config);

  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                        Parameters<S>& grad) override;
  double value(const Matrix<S>& X, const Parameters<S>& params) override;
  bool effective_archetypes(const Parameters<S>& params, const Matrix<S>& out) override;
  /// Column archetypes X theta (n x kc) and biarchetypes Z theta (k x kc).
  void artifacts(const Matrix<S>& X, const Parameters<S>& params,
                 std::vector<Artifact>& out) override;

 private:
  double scale(std::size_t n) const;
  /// M = Z theta and E = M gamma into the cached buffers (resized to the current shapes).
  void products(const Parameters<S>& params);
  Params config_;
  Matrix<S> M_, E_, GE_, GM_;
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
