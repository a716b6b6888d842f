#include "strategies/losses/biarchetypal_reconstruction.hpp"

#include "framework/kernels/reconstruction.hpp"

namespace kaa::strategies {

namespace {

/// C (+)= op(A) op(B) for the small k x d, d x kc, kc x d factors, accumulated in double.
/// op(A) is A or A^T (ta), op(B) is B or B^T (tb).
template <class S>
void small_product(const Matrix<S>& A, bool ta, const Matrix<S>& B, bool tb, const Matrix<S>& C,
                   bool accumulate) {
  const std::size_t rows = C.extent(0), cols = C.extent(1);
  const std::size_t inner = ta ? A.extent(0) : A.extent(1);
  Kokkos::parallel_for(
      "kaa::biarchetypal.product",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>({0, 0}, {rows, cols}),
      KOKKOS_LAMBDA(const std::size_t i, const std::size_t j) {
        double s = 0;
        for (std::size_t l = 0; l < inner; ++l)
          s += static_cast<double>(ta ? A(l, i) : A(i, l)) * (tb ? B(j, l) : B(l, j));
        C(i, j) = static_cast<S>(accumulate ? C(i, j) + s : s);
      });
}

template <class S>
void ensure_shape(Matrix<S>& m, const char* label, std::size_t rows, std::size_t cols) {
  if (m.extent(0) != rows || m.extent(1) != cols) m = Matrix<S>(std::string(label), rows, cols);
}

}  // namespace

template <class S>
Schema BiarchetypalReconstruction<S>::schema() {
  Schema s;
  s.number("weight", 1.0).non_negative().doc("multiplier of the term");
  s.choice("reduction", "mean", {"mean", "sum"}).doc("mean over rows (archetypax) or plain sum");
  return s;
}

template <class S>
void BiarchetypalReconstruction<S>::check_config(const nlohmann::json& config,
                                                 const std::string& path,
                                                 std::vector<std::string>& issues) {
  if (config.at("model").at("n_column_archetypes").get<long long>() < 1) {
    issues.push_back("/model/n_column_archetypes: must be >= 1 for the loss term at " + path +
                     " (biarchetypal_reconstruction), got " +
                     config.at("model").at("n_column_archetypes").dump());
  }
}

template <class S>
BiarchetypalReconstruction<S>::BiarchetypalReconstruction(const nlohmann::json& p)
    : weight_(p.at("weight").get<double>()), mean_(p.at("reduction") == "mean") {}

template <class S>
double BiarchetypalReconstruction<S>::scale(std::size_t n) const {
  return mean_ ? weight_ / static_cast<double>(n) : weight_;
}

template <class S>
void BiarchetypalReconstruction<S>::products(const Parameters<S>& params) {
  const std::size_t k = params.archetypes.extent(0), d = params.archetypes.extent(1);
  const std::size_t kc = params.column_mixing.extent(1);
  ensure_shape(M_, "kaa::biarchetypal.M", k, kc);
  ensure_shape(E_, "kaa::biarchetypal.E", k, d);
  small_product(params.archetypes, false, params.column_mixing, false, M_, false);
  small_product(M_, false, params.column_weights, false, E_, false);
}

template <class S>
double BiarchetypalReconstruction<S>::value_and_grad(const Matrix<S>& X,
                                                     const Parameters<S>& params,
                                                     Parameters<S>& grad) {
  products(params);
  const std::size_t k = E_.extent(0), d = E_.extent(1), kc = M_.extent(1);
  ensure_shape(GE_, "kaa::biarchetypal.GE", k, d);
  ensure_shape(GM_, "kaa::biarchetypal.GM", k, kc);
  Kokkos::deep_copy(GE_, S(0));
  const double c = scale(X.extent(0));
  // GE = c d/dE of the sum of squares; the weights' gradient goes straight into grad.
  const double value =
      c * kernels::reconstruction_pass(X, params.weights, E_, c, grad.weights, GE_);
  small_product(GE_, false, params.column_weights, true, GM_, false);            // G gamma^T
  small_product(GM_, false, params.column_mixing, true, grad.archetypes, true);  // .. theta^T
  small_product(params.archetypes, true, GM_, false, grad.column_mixing, true);  // Z^T G gamma^T
  small_product(M_, true, GE_, false, grad.column_weights, true);                // M^T G
  return value;
}

template <class S>
double BiarchetypalReconstruction<S>::value(const Matrix<S>& X, const Parameters<S>& params) {
  products(params);
  return scale(X.extent(0)) *
         kernels::reconstruction_pass(X, params.weights, E_, 0.0, Matrix<S>(), Matrix<S>());
}

template <class S>
bool BiarchetypalReconstruction<S>::effective_archetypes(const Parameters<S>& params,
                                                         const Matrix<S>& out) {
  products(params);
  Kokkos::deep_copy(out, E_);
  return true;
}

template class BiarchetypalReconstruction<float>;
template class BiarchetypalReconstruction<double>;

}  // namespace kaa::strategies
