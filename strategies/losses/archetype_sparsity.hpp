#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/loss_term.hpp"
#include "framework/kernels/archetype_sparsity.hpp"

namespace kaa::strategies {

/// archetypax's Sparse AA penalty on the archetypes: weight x (1/k) sum_j sum_f g(z_jf) with
///   l1:                g = |z|
///   l0_approx:         g = 1 - exp(-z^2 / width)      (a smooth count of non-zeros)
///   feature_selection: g = -|z| log(|z| + eps)        (entropy of the magnitudes)
/// archetypax's feature_selection uses z itself, -z log(z + eps), which is NaN for any entry below
/// -eps (any centred or standardised data); negative_entries = "nan" reproduces that (the fit then
/// stops as diverged at its first loss). On non-negative archetypes both forms agree.
template <class S>
class ArchetypeSparsity final : public LossTerm<S> {
 public:
  static constexpr const char* name = "archetype_sparsity";
  // Sums over the archetypes only: sample weights do not change it.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "weight x mean over archetypes of an l1, smooth-l0 or entropy sparsity measure";
  static constexpr unsigned blocks = static_cast<unsigned>(Block::archetypes);
  /// What feature_selection does with a negative entry z.
  enum class NegativeEntries { magnitude, nan };
  struct Params {
    kernels::SparsityMeasure method = kernels::SparsityMeasure::l1;
    double weight = 0.1;
    double width = 1e-6;
    double eps = 1e-10;
    NegativeEntries negative_entries = NegativeEntries::magnitude;
  };
  static BoundSchema<Params> schema();
  explicit ArchetypeSparsity(const Params& config);

  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                        Parameters<S>& grad) override;
  double value(const Matrix<S>& X, const Parameters<S>& params) override;

 private:
  double pass(const Matrix<S>& Z, const Matrix<S>& grad) const;
  Params config_;
};

}  // namespace kaa::strategies
