#pragma once
// Shared helpers of the block-solver tests: configs built in code, fits through Model<S>, and
// independent host references (enumerated KKT solve of the simplex least-squares problem).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/config.hpp"
#include "framework/host_matrix.hpp"
#include "framework/host_transfer.hpp"
#include "framework/model.hpp"
#include "strategies/register_all.hpp"
#include "tests/support/full_registry.hpp"
#include "tests/support/host_matrices.hpp"

namespace kaa_test {

using nlohmann::json;

/// A config for a block solver on k archetypes (double precision unless told), started by
/// uniform weights and FurthestSum, no projectors, `max_iter` updates and no other stopping rule.
inline json solver_config(const json& optimizer, std::size_t k, std::size_t max_iter,
                          const json& loss = json{{"type", "reconstruction"}, {"reduction", "sum"}},
                          const std::string& precision = "float64") {
  return json{{"model", {{"n_archetypes", k}, {"precision", precision}, {"seed", 7}}},
              {"initializers", json::array({"uniform_weights", "furthest_sum"})},
              {"loss", json::array({loss})},
              {"optimizer", optimizer},
              {"projectors", {{"weights", "none"}, {"mixing", "none"}}},
              {"stopping", json::array({{{"type", "max_iter"}, {"value", max_iter}}})}};
}

inline json resolve(const json& raw, const kaa::Registry& registry = full_registry()) {
  return kaa::resolve_config(raw, registry, "test.json");
}

struct FitResult {
  kaa::HostMatrix A, B, Z;
  std::vector<double> losses;
};

template <class S>
FitResult host_result(const kaa::Parameters<S>& p, std::vector<double> losses) {
  return {kaa::to_host(p.weights), kaa::to_host(p.mixing), kaa::to_host(p.archetypes),
          std::move(losses)};
}

/// Initialise from `seed` and fit X with the resolved config.
template <class S>
FitResult fit(const json& resolved, const kaa::HostMatrix& X, std::uint64_t seed = 7) {
  const auto registry = full_registry();
  kaa::Model<S> model(resolved, registry);
  const auto Xd = kaa::to_device<S>(X, "X");
  auto params = model.allocate(X.rows, X.cols);
  const kaa::FitTrace trace = model.fit(Xd, params, seed);
  return host_result(params, trace.losses);
}

/// ||x - a Z||^2 for row x (host, direct).
inline double row_objective(const kaa::HostMatrix& Z, const double* x, const double* a) {
  double total = 0;
  for (std::size_t f = 0; f < Z.cols; ++f) {
    double r = x[f];
    for (std::size_t j = 0; j < Z.rows; ++j) r -= a[j] * Z(j, f);
    total += r * r;
  }
  return total;
}

/// Solves M y = b in place by Gaussian elimination with partial pivoting; false when singular.
inline bool gauss_solve(std::vector<std::vector<double>> M, std::vector<double>& b) {
  const std::size_t m = b.size();
  double scale = 0;
  for (const auto& row : M)
    for (double v : row) scale = std::max(scale, std::abs(v));
  for (std::size_t col = 0; col < m; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < m; ++r)
      if (std::abs(M[r][col]) > std::abs(M[pivot][col])) pivot = r;
    if (std::abs(M[pivot][col]) <= 1e-13 * scale) return false;
    std::swap(M[pivot], M[col]);
    std::swap(b[pivot], b[col]);
    for (std::size_t r = col + 1; r < m; ++r) {
      const double f = M[r][col] / M[col][col];
      for (std::size_t c = col; c < m; ++c) M[r][c] -= f * M[col][c];
      b[r] -= f * b[col];
    }
  }
  for (std::size_t r = m; r-- > 0;) {
    for (std::size_t c = r + 1; c < m; ++c) b[r] -= M[r][c] * b[c];
    b[r] /= M[r][r];
  }
  return true;
}

/// min_{a on the simplex} ||x - a Z||^2 by brute force (k <= 6): for every support S, the
/// equality-constrained least squares [Z_S Z_S^T 1; 1^T 0] [a; nu] = [Z_S x; 1]; the feasible
/// solution with the lowest objective is the optimum. Uses the plain (uncentred) Gram.
inline std::vector<double> enumerated_simplex_ls(const kaa::HostMatrix& Z, const double* x) {
  const std::size_t k = Z.rows, d = Z.cols;
  std::vector<double> best(k, 0.0);
  double best_value = std::numeric_limits<double>::infinity();
  for (unsigned mask = 1; mask < (1u << k); ++mask) {
    std::vector<std::size_t> S;
    for (std::size_t j = 0; j < k; ++j)
      if (mask & (1u << j)) S.push_back(j);
    const std::size_t m = S.size();
    std::vector<std::vector<double>> M(m + 1, std::vector<double>(m + 1, 0.0));
    std::vector<double> rhs(m + 1, 1.0);
    for (std::size_t p = 0; p < m; ++p) {
      for (std::size_t q = 0; q < m; ++q)
        for (std::size_t f = 0; f < d; ++f) M[p][q] += Z(S[p], f) * Z(S[q], f);
      M[p][m] = M[m][p] = 1.0;
      rhs[p] = 0;
      for (std::size_t f = 0; f < d; ++f) rhs[p] += Z(S[p], f) * x[f];
    }
    if (!gauss_solve(M, rhs)) continue;
    std::vector<double> a(k, 0.0);
    bool feasible = true;
    for (std::size_t p = 0; p < m; ++p) {
      if (rhs[p] < -1e-12) feasible = false;
      a[S[p]] = std::max(rhs[p], 0.0);
    }
    if (!feasible) continue;
    const double value = row_objective(Z, x, a.data());
    if (value < best_value) {
      best_value = value;
      best = a;
    }
  }
  return best;
}

/// Largest KKT violation of weights w for the half gradient h of a simplex-constrained problem:
/// with nu = w . h, |h_j - nu| on the support (w_j > 0) and max(0, nu - h_j) off it.
inline double kkt_violation(const std::vector<double>& h, const std::vector<double>& w) {
  double nu = 0;
  for (std::size_t j = 0; j < w.size(); ++j) nu += w[j] * h[j];
  double worst = 0;
  for (std::size_t j = 0; j < w.size(); ++j)
    worst = std::max(worst, w[j] > 0 ? std::abs(h[j] - nu) : std::max(0.0, nu - h[j]));
  return worst;
}

/// The KKT violation of row i of A for archetypes Z, over the scale ||z||_max (||r_i|| + 1).
inline double weights_kkt(const kaa::HostMatrix& X, const kaa::HostMatrix& A,
                          const kaa::HostMatrix& Z, std::size_t i) {
  const std::size_t k = Z.rows, d = Z.cols;
  std::vector<double> r(d), h(k), w(k);
  double r_norm = 0, z_max = 0;
  for (std::size_t f = 0; f < d; ++f) {
    r[f] = -X(i, f);
    for (std::size_t j = 0; j < k; ++j) r[f] += A(i, j) * Z(j, f);
    r_norm += r[f] * r[f];
  }
  for (std::size_t j = 0; j < k; ++j) {
    w[j] = A(i, j);
    double zz = 0;
    h[j] = 0;
    for (std::size_t f = 0; f < d; ++f) {
      h[j] += r[f] * Z(j, f);
      zz += Z(j, f) * Z(j, f);
    }
    z_max = std::max(z_max, std::sqrt(zz));
  }
  return kkt_violation(h, w) / (z_max * (std::sqrt(r_norm) + 1));
}

}  // namespace kaa_test
