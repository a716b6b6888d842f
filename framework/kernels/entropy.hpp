#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/kernels/ordered_sum.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// Sum of the entropies H(w) = -sum w log(w + eps) of the rows of W (of its columns when
/// kColumns); when `grad` is non-empty also adds c * dH/dw = -c (log(w + eps) + w / (w + eps)).
/// Parallel over the rows (columns); the sum goes in a fixed order (ordered_sum.hpp, scratch in
/// `ws`), so results do not depend on the thread count. With `line_weight` (one per row or
/// column; empty = all ones) line l's entropy and gradient count line_weight(l) times (sample
/// weights).
template <bool kColumns, class Space, class S>
double entropy_sum(const Space& space, const char* label, const Matrix<S>& W, double eps, double c,
                   const Matrix<S>& grad, OrderedSumWorkspace& ws,
                   const Vector<double>& line_weight = Vector<double>()) {
  const std::size_t lines = kColumns ? W.extent(1) : W.extent(0);
  const std::size_t count = kColumns ? W.extent(0) : W.extent(1);
  const bool want_grad = grad.data() != nullptr;
  if (want_grad)
    require(grad.extent(0) == W.extent(0) && grad.extent(1) == W.extent(1),
            "kaa::kernels::entropy_sum", "grad must have the shape of W");
  const bool weighted = line_weight.data() != nullptr;
  if (weighted) require_extent(line_weight, 0, lines, "kaa::kernels::entropy_sum", "line_weight");
  const Vector<double> lw = line_weight;
  const S e = static_cast<S>(eps);
  const S cs = static_cast<S>(c);
  return ordered_sum(
      space, label, lines, lines * count,
      KOKKOS_LAMBDA(const std::size_t line, double& acc) {
        // Weighted: the line's entropy is summed apart and added v times (unweighted: straight
        // into acc, as it always was).
        const S cv = weighted ? static_cast<S>(c * lw(line)) : cs;
        double line_sum = 0;
        double& into = weighted ? line_sum : acc;
        for (std::size_t j = 0; j < count; ++j) {
          const std::size_t i = kColumns ? j : line, f = kColumns ? line : j;
          const S w = W(i, f);
          const S log_term = kernels::log(w + e);
          into -= static_cast<double>(w * log_term);
          if (want_grad) grad(i, f) -= cv * (log_term + w / (w + e));
        }
        if (weighted) acc += lw(line) * line_sum;
      },
      ws);
}

template <bool kColumns, class S>
double entropy_sum(const char* label, const Matrix<S>& W, double eps, double c,
                   const Matrix<S>& grad, OrderedSumWorkspace& ws,
                   const Vector<double>& line_weight = Vector<double>()) {
  return entropy_sum<kColumns>(ExecSpace(), label, W, eps, c, grad, ws, line_weight);
}

}  // namespace kaa::kernels
