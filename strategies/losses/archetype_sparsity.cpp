#include "strategies/losses/archetype_sparsity.hpp"

namespace kaa::strategies {

template <class S>
Schema ArchetypeSparsity<S>::schema() {
  Schema s;
  s.choice("method", "l1", {"l1", "l0_approx", "feature_selection"})
      .doc("sparsity measure (archetypax's sparsity_method; default l1)");
  s.number("weight", 0.1).doc("multiplier of the mean measure (archetypax's lambda_sparsity)");
  s.number("width", 1e-6)
      .positive()
      .doc("l0_approx: sigma^2 of 1 - exp(-z^2 / width) (archetypax: 1e-6)");
  s.number("eps", 1e-10).non_negative().doc("feature_selection: added inside the logarithm");
  s.choice("negative_entries", "magnitude", {"magnitude", "nan"})
      .doc(
          "feature_selection on z < 0: entropy of abs(z) (finite), or archetypax's z log(z + eps), "
          "NaN");
  return s;
}

template <class S>
ArchetypeSparsity<S>::ArchetypeSparsity(const nlohmann::json& p)
    : measure_(p.at("method") == "l1"
                   ? kernels::SparsityMeasure::l1
                   : (p.at("method") == "l0_approx" ? kernels::SparsityMeasure::l0_approx
                                                    : kernels::SparsityMeasure::feature_selection)),
      nan_on_negative_(p.at("negative_entries") == "nan"),
      weight_(p.at("weight").get<double>()),
      width_(p.at("width").get<double>()),
      eps_(p.at("eps").get<double>()) {}

template <class S>
double ArchetypeSparsity<S>::pass(const Matrix<S>& Z, const Matrix<S>& grad) const {
  const double c = weight_ / static_cast<double>(Z.extent(0));
  return c * kernels::sparsity_penalty(ExecSpace(), Z, measure_, nan_on_negative_, width_, eps_, c,
                                       grad);
}

template <class S>
double ArchetypeSparsity<S>::value_and_grad(const Matrix<S>&, const Parameters<S>& params,
                                            Parameters<S>& grad) {
  return pass(params.archetypes, grad.archetypes);
}

template <class S>
double ArchetypeSparsity<S>::value(const Matrix<S>&, const Parameters<S>& params) {
  return pass(params.archetypes, Matrix<S>());
}

template class ArchetypeSparsity<float>;
template class ArchetypeSparsity<double>;

}  // namespace kaa::strategies
