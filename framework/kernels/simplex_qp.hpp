#pragma once
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "framework/error.hpp"
#include "framework/kernels/argmin.hpp"
#include "framework/kernels/block_products.hpp"
#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

// Simplex-constrained least squares, min_{w >= 0, sum w = 1} ||v - w D||^2 for a dictionary D
// whose rows are the atoms: the exact sub-problem of both block steps of archetypal analysis
// (A-step: atoms = the k archetypes, one data row per problem; B-step: atoms = the n data rows,
// one archetype target per problem).
//
// Method: the primal active-set method for convex QPs (Nocedal & Wright, "Numerical
// Optimization", 2nd ed., sec. 16.5; the scheme of Lawson & Hanson's NNLS with the sum-to-one
// constraint kept as an equality), as SPAMS's archetypal analysis uses it (Chen, Mairal &
// Harchaoui, CVPR 2014). On the current support the equality-constrained problem is solved
// exactly; the iterate moves toward that solution until a weight hits zero (that atom leaves) or
// reaches it, and then the atom whose gradient most violates the KKT conditions enters.
//
// Numerics, all in double:
// - The atoms and the target are translated by the data mean (the objective does not change on the
//   simplex), which keeps the Gram entries free of cancellation for data far from the origin.
// - The Gram G of the atoms is used as G + mu 1 1^T, mu = its mean diagonal: on the set sum w = 1
//   this only adds the constant mu, but the shifted Gram of a support is positive definite exactly
//   when its atoms are affinely independent (not merely when G is), so k = d + 1 archetypes in d
//   dimensions are solved by one Cholesky factorisation.
// - A ridge kSimplexQpRidge * mu on the diagonal keeps degenerate supports (duplicate atoms,
//   k > d + 1) solvable; it moves a well-posed solution by about 1e-12 relative.
namespace kaa::kernels {

/// Largest k the per-row A-step solves (its scratch lives on the stack of one work item).
inline constexpr int kMaxSimplexAtoms = 64;
inline constexpr double kSimplexQpRidge = 1e-12;
/// An atom enters when its KKT violation exceeds this times the problem's scale (largest shifted
/// Gram diagonal plus largest |product|); rounding in a k-term dot product is ~1e-16 of it.
inline constexpr double kSimplexQpTol = 1e-10;

namespace simplex_qp {

KOKKOS_INLINE_FUNCTION int tri(int i, int j) { return i * (i + 1) / 2 + j; }

/// Cholesky factorisation in place of a symmetric matrix stored as a packed lower triangle;
/// false when it is not (numerically) positive definite.
KOKKOS_INLINE_FUNCTION bool cholesky(int m, double* L) {
  for (int j = 0; j < m; ++j) {
    double diag = L[tri(j, j)];
    for (int p = 0; p < j; ++p) diag -= L[tri(j, p)] * L[tri(j, p)];
    if (!(diag > 0)) return false;
    const double ljj = sqrt(diag);
    L[tri(j, j)] = ljj;
    for (int i = j + 1; i < m; ++i) {
      double s = L[tri(i, j)];
      for (int p = 0; p < j; ++p) s -= L[tri(i, p)] * L[tri(j, p)];
      L[tri(i, j)] = s / ljj;
    }
  }
  return true;
}

/// Solves L L^T x = b in place (b in x).
KOKKOS_INLINE_FUNCTION void cholesky_solve(int m, const double* L, double* x) {
  for (int i = 0; i < m; ++i) {
    double s = x[i];
    for (int p = 0; p < i; ++p) s -= L[tri(i, p)] * x[p];
    x[i] = s / L[tri(i, i)];
  }
  for (int i = m - 1; i >= 0; --i) {
    double s = x[i];
    for (int p = i + 1; p < m; ++p) s -= L[tri(p, i)] * x[p];
    x[i] = s / L[tri(i, i)];
  }
}

enum FaceResult : int {
  kReached = 0,   // the iterate is the minimiser on its support: price the other atoms
  kBlocked = 1,   // a weight hit zero first; that atom left the support
  kStalled = 2,   // no move was possible (the atom that just entered left at once)
  kSingular = 3,  // the support's system was not positive definite (non-finite input)
};

/// Doubles of scratch face_step needs for a support of m atoms.
KOKKOS_INLINE_FUNCTION constexpr int face_work(int m) { return m * (m + 1) / 2 + 2 * m; }

/// One move of the active-set method. Support: atoms support[0..m) with weights w (>= 0, summing
/// to 1) and products c with the target; gram(p, q) = shifted, ridged Gram entry of atoms p, q.
/// Solves the equality-constrained problem on the support,
///   G_SS s = c_S + nu 1, 1^T s = 1  (s = y + nu u with G_SS y = c_S, G_SS u = 1),
/// then moves w toward s as far as w stays >= 0. Atoms whose weight reaches zero leave the support
/// (the arrays are compacted and m reduced).
template <class Gram, class Index>
KOKKOS_INLINE_FUNCTION FaceResult face_step(const Gram& gram, int& m, Index* support, double* w,
                                            double* c, double* work) {
  double* L = work;
  double* s = work + m * (m + 1) / 2;
  double* u = s + m;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j <= i; ++j) L[tri(i, j)] = gram(support[i], support[j]);
  if (!cholesky(m, L)) return kSingular;
  for (int i = 0; i < m; ++i) {
    s[i] = c[i];
    u[i] = 1.0;
  }
  cholesky_solve(m, L, s);
  cholesky_solve(m, L, u);
  double sum_s = 0, sum_u = 0;
  for (int i = 0; i < m; ++i) {
    sum_s += s[i];
    sum_u += u[i];
  }
  const double nu = (1.0 - sum_s) / sum_u;  // sum_u = 1^T G_SS^-1 1 > 0
  for (int i = 0; i < m; ++i) s[i] += nu * u[i];

  // Ratio test: the longest step t in [0, 1] with w + t (s - w) >= 0.
  double t = 1.0;
  for (int i = 0; i < m; ++i) {
    if (s[i] < 0) {
      const double r = w[i] / (w[i] - s[i]);
      if (r < t) t = r;
    }
  }
  for (int i = 0; i < m; ++i) {
    if (t >= 1.0) {
      w[i] = s[i];
    } else if (s[i] < 0 && w[i] / (w[i] - s[i]) == t) {
      w[i] = 0;  // the blocking atom(s): exactly zero, so they leave
    } else {
      w[i] += t * (s[i] - w[i]);
    }
  }
  int kept = 0;
  for (int i = 0; i < m; ++i) {
    if (w[i] > 0) {
      support[kept] = support[i];
      w[kept] = w[i];
      c[kept] = c[i];
      ++kept;
    }
  }
  m = kept;
  if (t >= 1.0) return kReached;
  return t > 0 ? kBlocked : kStalled;
}

/// Gram entries read from a k x k device view (already shifted and ridged).
struct ViewGram {
  Matrix<double> G;
  KOKKOS_INLINE_FUNCTION double operator()(int p, int q) const { return G(p, q); }
};

/// Solves one problem with k <= K atoms. gram: shifted, ridged Gram; c[j]: products of the atoms
/// with the target; w: in, the start (infeasible entries are clipped; an all-zero or non-finite
/// start begins at the best vertex), out, the solution. All scratch on the stack.
template <int K, class Gram>
KOKKOS_INLINE_FUNCTION void solve_small(const Gram& gram, int k, const double* c, double* w,
                                        double tol) {
  int support[K];
  bool in_support[K];
  double ws[K], cs[K];
  double work[face_work(K)];

  double sum = 0;
  for (int j = 0; j < k; ++j) {
    if (!(w[j] > 0)) w[j] = 0;  // also clears NaN
    sum += w[j];
  }
  if (!(sum > 0) || !(sum < 1e300)) {
    int best = 0;
    double best_value = gram(0, 0) - 2 * c[0];
    for (int j = 1; j < k; ++j) {
      const double value = gram(j, j) - 2 * c[j];
      if (value < best_value) {
        best_value = value;
        best = j;
      }
    }
    for (int j = 0; j < k; ++j) w[j] = j == best ? 1.0 : 0.0;
    sum = 1.0;
  }
  int m = 0;
  for (int j = 0; j < k; ++j) {
    if (w[j] > 0) {
      support[m] = j;
      ws[m] = w[j] / sum;
      cs[m] = c[j];
      ++m;
    }
  }

  // Finite in theory (the objective falls strictly between repeated supports); the cap only
  // guards against rounding-induced cycling.
  const int max_moves = 3 * k + 10;
  for (int move = 0; move < max_moves; ++move) {
    const FaceResult r = face_step(gram, m, support, ws, cs, work);
    if (r == kBlocked) continue;
    if (r != kReached) break;
    // Pricing: half-gradient h_j = (G w)_j - c_j; on the support h = nu (the multiplier), and the
    // KKT conditions ask h_j >= nu off it.
    for (int j = 0; j < k; ++j) in_support[j] = false;
    double nu = 0;
    for (int p = 0; p < m; ++p) {
      in_support[support[p]] = true;
      double h = -cs[p];
      for (int q = 0; q < m; ++q) h += gram(support[p], support[q]) * ws[q];
      nu += ws[p] * h;
    }
    int enter = -1;
    double most = -tol;
    for (int j = 0; j < k; ++j) {
      if (in_support[j]) continue;
      double h = -c[j];
      for (int q = 0; q < m; ++q) h += gram(j, support[q]) * ws[q];
      if (h - nu < most) {
        most = h - nu;
        enter = j;
      }
    }
    if (enter < 0) break;
    support[m] = enter;
    ws[m] = 0;
    cs[m] = c[enter];
    ++m;
  }
  double total = 0;
  for (int p = 0; p < m; ++p) total += ws[p];
  for (int j = 0; j < k; ++j) w[j] = 0;
  for (int p = 0; p < m; ++p) w[support[p]] = ws[p] / total;
}

template <int K, class Space, class S>
void solve_rows(const Space& space, const Matrix<S>& A, const Matrix<double>& G,
                const Matrix<double>& C, double gram_max) {
  const std::size_t n = A.extent(0);
  const int k = static_cast<int>(A.extent(1));
  const ViewGram gram{G};
  Kokkos::parallel_for(
      "kaa::simplex_qp.rows", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double w[K] = {}, c[K] = {};  // initialised: GCC cannot see k <= K
        double c_max = 0;
        for (int j = 0; j < k; ++j) {
          w[j] = static_cast<double>(A(i, j));
          c[j] = C(i, j);
          c_max = fabs(c[j]) > c_max ? fabs(c[j]) : c_max;
        }
        solve_small<K>(gram, k, c, w, kSimplexQpTol * (gram_max + c_max));
        for (int j = 0; j < k; ++j) A(i, j) = static_cast<S>(w[j]);
      });
}

/// mu (the mean diagonal) and the shifted, ridged Gram G + mu 1 1^T + ridge * mu I, in place;
/// returns the largest diagonal entry after the shift.
inline double shift_gram(const Matrix<double>& G) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), G);
  const std::size_t k = G.extent(0);
  double trace = 0;
  for (std::size_t j = 0; j < k; ++j) trace += host(j, j);
  const double mu = trace > 0 ? trace / static_cast<double>(k) : 1.0;
  double diag_max = 0;
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < k; ++b) host(a, b) += mu + (a == b ? kSimplexQpRidge * mu : 0.0);
    diag_max = host(a, a) > diag_max ? host(a, a) : diag_max;
  }
  Kokkos::deep_copy(G, host);
  return diag_max;
}

/// score(i) = (x_i - m) . r: the pricing pass of the B-step. Rows whose `allowed` entry is not
/// positive (sample weight zero; empty view: every row allowed) score the largest double, so a
/// minimum never picks them.
template <class Space, class S>
void score_rows(const Space& space, const Matrix<S>& X, const Vector<double>& m,
                const Vector<double>& r, const Vector<double>& score,
                const Vector<double>& allowed = Vector<double>()) {
  const std::size_t d = X.extent(1);
  const bool masked = allowed.data() != nullptr;
  const double excluded = std::numeric_limits<double>::max();
  Kokkos::parallel_for(
      "kaa::hull_ls.score", Kokkos::RangePolicy<Space>(space, 0, X.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) s += (static_cast<double>(X(i, f)) - m(f)) * r(f);
        score(i) = masked && !(allowed(i) > 0) ? excluded : s;
      });
}

/// The row of X nearest to `target` (first on ties) among the allowed ones (as in score_rows);
/// `score` is scratch of n entries.
template <class Space, class S>
std::size_t nearest_row(const Space& space, const Matrix<S>& X, const Vector<double>& target,
                        const Vector<double>& score,
                        const Vector<double>& allowed = Vector<double>()) {
  const std::size_t d = X.extent(1);
  const bool masked = allowed.data() != nullptr;
  const double excluded = std::numeric_limits<double>::max();
  Kokkos::parallel_for(
      "kaa::hull_ls.nearest", Kokkos::RangePolicy<Space>(space, 0, X.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) {
          const double diff = static_cast<double>(X(i, f)) - target(f);
          s += diff * diff;
        }
        score(i) = masked && !(allowed(i) > 0) ? excluded : s;
      });
  const Extremum best = first_min(space, score);
  return best.index < X.extent(0) ? best.index : 0;
}

}  // namespace simplex_qp

/// Scratch of simplex_least_squares_rows, kept by a solver for the whole fit.
struct SimplexLeastSquaresWorkspace {
  Matrix<double> gram, products;
};

/// A-step: A(i, :) <- argmin_{a on the simplex} ||x_i - a Z||^2 for every row, exactly,
/// warm-started from A(i, :). One row per work item; k <= kMaxSimplexAtoms. `center` = column means
/// of X.
template <class Space, class S>
void simplex_least_squares_rows(const Space& space, const Matrix<S>& X, const Matrix<S>& Z,
                                const Matrix<S>& A, const Vector<double>& center,
                                SimplexLeastSquaresWorkspace& ws) {
  const std::size_t k = Z.extent(0);
  const char* entry = "kaa::kernels::simplex_least_squares_rows";
  require_extent(A, 0, X.extent(0), entry, "A");
  require_extent(A, 1, k, entry, "A");
  if (k > static_cast<std::size_t>(kMaxSimplexAtoms))
    throw Error("simplex least squares: " + std::to_string(k) + " archetypes, at most " +
                std::to_string(kMaxSimplexAtoms) + " supported");
  centered_gram(space, Z, center, ws.gram);
  centered_products(space, X, Z, center, ws.products);
  const Matrix<double> G = ws.gram, C = ws.products;
  const double gram_max = simplex_qp::shift_gram(G);
  if (k <= 4) {
    simplex_qp::solve_rows<4>(space, A, G, C, gram_max);
  } else if (k <= 8) {
    simplex_qp::solve_rows<8>(space, A, G, C, gram_max);
  } else if (k <= 16) {
    simplex_qp::solve_rows<16>(space, A, G, C, gram_max);
  } else if (k <= 32) {
    simplex_qp::solve_rows<32>(space, A, G, C, gram_max);
  } else {
    simplex_qp::solve_rows<kMaxSimplexAtoms>(space, A, G, C, gram_max);
  }
}

template <class S>
void simplex_least_squares_rows(const Matrix<S>& X, const Matrix<S>& Z, const Matrix<S>& A,
                                const Vector<double>& center) {
  SimplexLeastSquaresWorkspace ws;
  simplex_least_squares_rows(ExecSpace(), X, Z, A, center, ws);
}

/// B-step sub-problem: min_{b on the simplex over the n rows of X} ||v - b X||^2, the same
/// active-set method over n atoms. The support stays small (at most d + 1 affinely independent
/// points, Caratheodory), so its Gram is formed on the host from a mirror of X; the entering atom
/// is found by one pass over X (argmin_i (x_i - m) . r, r = b X - v), as SPAMS does with one gemv
/// per active-set step. Host-driven; X is not modified.
template <class S>
class HullLeastSquares {
 public:
  explicit HullLeastSquares(const Matrix<S>& X)
      : X_(X),
        host_(Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), X)),
        center_(column_means(X)),
        r_("kaa::hull_ls.r", X.extent(1)),
        score_("kaa::hull_ls.score", X.extent(0)),
        r_host_(Kokkos::create_mirror_view(r_)) {
    const std::size_t n = X.extent(0), d = X.extent(1);
    auto c = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), center_);
    center_host_.assign(c.data(), c.data() + d);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0;
      for (std::size_t f = 0; f < d; ++f) {
        const double x = static_cast<double>(host_(i, f)) - center_host_[f];
        s += x * x;
      }
      total += s;
      norm2_max_ = s > norm2_max_ ? s : norm2_max_;
    }
    mu_ = total > 0 ? total / static_cast<double>(n) : 1.0;
  }

  /// support/weights: in, the start (weights > 0 summing to 1; a start that is empty, non-finite or
  /// has more than d + 1 atoms begins at the row nearest to v instead), out, the solution (weights
  /// > 0 summing to 1, support in the order atoms entered).
  void solve(const std::vector<double>& v, std::vector<std::size_t>& support,
             std::vector<double>& weights) {
    const std::size_t d = X_.extent(1);
    std::vector<double> vc(d);
    double v_norm2 = 0;
    for (std::size_t f = 0; f < d; ++f) {
      vc[f] = v[f] - center_host_[f];
      v_norm2 += vc[f] * vc[f];
    }
    if (!std::isfinite(v_norm2))
      throw NumericalError("simplex least squares over the data: non-finite target archetype");
    const double tol = kSimplexQpTol * (norm2_max_ + mu_ + v_norm2);

    double sum = 0;
    bool usable = !support.empty() && support.size() <= d + 1 && weights.size() == support.size();
    for (std::size_t p = 0; usable && p < support.size(); ++p) {
      usable = weights[p] > 0 && weights[p] < 1e300;
      sum += weights[p];
    }
    if (!usable || !(sum > 0)) {
      for (std::size_t f = 0; f < d; ++f) r_host_(f) = v[f];
      Kokkos::deep_copy(r_, r_host_);
      support.assign(1, simplex_qp::nearest_row(ExecSpace(), X_, r_, score_, allowed_));
      weights.assign(1, 1.0);
      sum = 1.0;
    }
    for (double& w : weights) w /= sum;

    // Each move adds at most one atom.
    const std::size_t max_moves = 5 * (d + 1) + 50;
    int size = static_cast<int>(support.size());
    const std::size_t capacity = support.size() + max_moves + 1;
    support.resize(capacity);
    weights.resize(capacity);
    std::vector<double> c(capacity), work;
    for (int p = 0; p < size; ++p) c[p] = product(support[p], vc);
    const HostGram gram{host_.data(), d, center_host_.data(), mu_, kSimplexQpRidge * mu_};

    for (std::size_t move = 0; move < max_moves; ++move) {
      work.resize(static_cast<std::size_t>(simplex_qp::face_work(size)));
      const auto r =
          simplex_qp::face_step(gram, size, support.data(), weights.data(), c.data(), work.data());
      if (r == simplex_qp::kBlocked) continue;
      if (r != simplex_qp::kReached) break;
      // r = b X - v (centred); the entering atom minimises (x_i - m) . r.
      for (std::size_t f = 0; f < d; ++f) r_host_(f) = -vc[f];
      for (int p = 0; p < size; ++p)
        for (std::size_t f = 0; f < d; ++f) r_host_(f) += weights[p] * centred(support[p], f);
      double nu = 0;
      for (int p = 0; p < size; ++p) {
        double h = 0;
        for (std::size_t f = 0; f < d; ++f) h += centred(support[p], f) * r_host_(f);
        nu += weights[p] * h;
      }
      Kokkos::deep_copy(r_, r_host_);
      simplex_qp::score_rows(ExecSpace(), X_, center_, r_, score_, allowed_);
      const Extremum best = first_min(ExecSpace(), score_);
      if (best.index >= X_.extent(0) || !(best.value - nu < -tol)) break;
      bool present = false;
      for (int p = 0; p < size; ++p) present = present || support[p] == best.index;
      if (present) break;
      support[size] = best.index;
      weights[size] = 0;
      c[size] = product(best.index, vc);
      ++size;
    }
    support.resize(size);
    weights.resize(size);
    double total = 0;
    for (double w : weights) total += w;
    if (!(total > 0) || !std::isfinite(total))
      throw NumericalError("simplex least squares over the data: no feasible solution found");
    for (double& w : weights) w /= total;
  }

  /// z = sum_p w_p x_p in the data's units (d).
  std::vector<double> combine(const std::vector<std::size_t>& support,
                              const std::vector<double>& weights) const {
    const std::size_t d = X_.extent(1);
    std::vector<double> z(d, 0.0);
    for (std::size_t p = 0; p < support.size(); ++p)
      for (std::size_t f = 0; f < d; ++f)
        z[f] += weights[p] * static_cast<double>(host_(support[p], f));
    return z;
  }

  /// Row i of X in the data's units.
  double data(std::size_t i, std::size_t f) const { return static_cast<double>(host_(i, f)); }
  const Vector<double>& center() const { return center_; }
  /// Restricts the hull to the rows of positive sample weight (`row_weight`; empty: all rows): a
  /// row that counts zero times is not data the archetypes may be built from.
  void allow_rows(const Vector<double>& row_weight) { allowed_ = row_weight; }

 private:
  struct HostGram {
    const S* x;
    std::size_t d;
    const double* center;
    double mu, ridge;
    KOKKOS_INLINE_FUNCTION double operator()(std::size_t p, std::size_t q) const {
      double s = mu + (p == q ? ridge : 0.0);
      for (std::size_t f = 0; f < d; ++f)
        s += (static_cast<double>(x[p * d + f]) - center[f]) *
             (static_cast<double>(x[q * d + f]) - center[f]);
      return s;
    }
  };

  double centred(std::size_t i, std::size_t f) const {
    return static_cast<double>(host_(i, f)) - center_host_[f];
  }
  double product(std::size_t i, const std::vector<double>& vc) const {
    double s = 0;
    for (std::size_t f = 0; f < vc.size(); ++f) s += centred(i, f) * vc[f];
    return s;
  }
  Matrix<S> X_;
  typename Matrix<S>::HostMirror host_;
  Vector<double> center_;
  std::vector<double> center_host_;
  Vector<double> r_, score_;
  Vector<double> allowed_;  // sample weights: rows of weight 0 are never entered
  typename Vector<double>::HostMirror r_host_;
  double norm2_max_ = 0, mu_ = 1;
};

/// The non-zero entries of row j of a (host) mixing matrix, as a support and its weights.
template <class HostView>
void row_support(const HostView& B, std::size_t j, std::vector<std::size_t>& support,
                 std::vector<double>& weights) {
  support.clear();
  weights.clear();
  for (std::size_t i = 0; i < B.extent(1); ++i) {
    if (B(j, i) != 0) {
      support.push_back(i);
      weights.push_back(static_cast<double>(B(j, i)));
    }
  }
}

/// Row j of a (host) mixing matrix <- (1 - t) row + t (the sparse row given by support/weights).
template <class HostView>
void blend_row(const HostView& B, std::size_t j, const std::vector<std::size_t>& support,
               const std::vector<double>& weights, double t = 1.0) {
  using T = typename HostView::non_const_value_type;
  for (std::size_t i = 0; i < B.extent(1); ++i)
    B(j, i) = t == 1.0 ? T(0) : static_cast<T>((1.0 - t) * static_cast<double>(B(j, i)));
  for (std::size_t p = 0; p < support.size(); ++p)
    B(j, support[p]) = static_cast<T>(static_cast<double>(B(j, support[p])) + t * weights[p]);
}

}  // namespace kaa::kernels
