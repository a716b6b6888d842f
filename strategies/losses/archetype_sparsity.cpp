#include "strategies/losses/archetype_sparsity.hpp"

namespace kaa::strategies {

template <class S>
auto ArchetypeSparsity<S>::schema() -> BoundSchema<Params> {
  using kernels::SparsityMeasure;
  BoundSchema<Params> s;
  s.choice("method", &Params::method,
           {{"l1", SparsityMeasure::l1},
            {"l0_approx", SparsityMeasure::l0_approx},
            {"feature_selection", SparsityMeasure::feature_selection}})
      .doc("sparsity measure (archetypax's sparsity_method; default l1)");
  s.number("weight", &Params::weight)
      .doc("multiplier of the mean measure (archetypax's lambda_sparsity)");
  s.number("width", &Params::width)
      .positive()
      .doc("l0_approx: sigma^2 of 1 - exp(-z^2 / width) (archetypax: 1e-6)");
  s.number("eps", &Params::eps).non_negative().doc("feature_selection: added inside the logarithm");
  s.choice("negative_entries", &Params::negative_entries,
           {{"magnitude", NegativeEntries::magnitude}, {"nan", NegativeEntries::nan}})
      .doc(
          "feature_selection on z < 0: entropy of abs(z) (finite), or archetypax's z log(z + eps), "
          "NaN");
  return s;
}

template <class S>
ArchetypeSparsity<S>::ArchetypeSparsity(const Params& p) : config_(p) {}

template <class S>
double ArchetypeSparsity<S>::pass(const Matrix<S>& Z, const Matrix<S>& grad) const {
  const double c = config_.weight / static_cast<double>(Z.extent(0));
  const bool nan_on_negative = config_.negative_entries == NegativeEntries::nan;
  return c * kernels::sparsity_penalty(ExecSpace(), Z, config_.method, nan_on_negative,
                                       config_.width, config_.eps, c, grad);
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
