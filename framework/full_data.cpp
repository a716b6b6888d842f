#include "framework/full_data.hpp"

#include <algorithm>
#include <chrono>

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/kernels/block_products.hpp"
#include "framework/model.hpp"

namespace kaa {

namespace {

/// Rows per device chunk: large enough to keep both threads busy, small beside the full data.
constexpr std::size_t kChunkRows = std::size_t{1} << 16;

double row_weight(const FullData& full, std::size_t i) {
  return full.weights.empty() ? 1.0 : full.weights[i];
}

double weighted_total_sum_of_squares(const FullData& full) {
  const std::size_t n = full.X.rows, d = full.X.cols;
  std::vector<double> mean(d, 0.0);
  double total_weight = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = row_weight(full, i);
    total_weight += w;
    for (std::size_t f = 0; f < d; ++f) mean[f] += w * full.X(i, f);
  }
  if (total_weight > 0)
    for (double& m : mean) m /= total_weight;
  double tss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t f = 0; f < d; ++f) s += (full.X(i, f) - mean[f]) * (full.X(i, f) - mean[f]);
    tss += row_weight(full, i) * s;
  }
  return tss;
}

HostMatrix rows_of(const HostMatrix& X, std::size_t begin, std::size_t count) {
  HostMatrix part(count, X.cols);
  std::copy(X.values.begin() + static_cast<std::ptrdiff_t>(begin * X.cols),
            X.values.begin() + static_cast<std::ptrdiff_t>((begin + count) * X.cols),
            part.values.begin());
  return part;
}

template <class S>
FullDataFit solve_in_chunks(const nlohmann::json& resolved, const HostMatrix& archetypes,
                            const FullData& full, const std::optional<Standardization>& scaling,
                            const Registry& registry) {
  const std::size_t n = full.X.rows, k = archetypes.rows;
  Model<S> model(resolved, registry);
  HostMatrix fitted_space_archetypes = archetypes;
  if (scaling) standardize(fitted_space_archetypes, *scaling);
  const Matrix<S> Z = to_device<S>(fitted_space_archetypes, "kaa::full_data.Z");
  // Rows of W sum to 1, so residuals in original units need only the original archetypes.
  const Matrix<double> Z_original = to_device<double>(archetypes, "kaa::full_data.Z_original");
  FullDataFit out;
  out.weights = HostMatrix(n, k);
  Vector<double> residuals;
  for (std::size_t begin = 0; begin < n; begin += kChunkRows) {
    const std::size_t rows = std::min(kChunkRows, n - begin);
    HostMatrix part = rows_of(full.X, begin, rows);
    const Matrix<double> X_original = to_device<double>(part, "kaa::full_data.X_original");
    if (scaling) standardize(part, *scaling);
    const Matrix<S> X = to_device<S>(part, "kaa::full_data.X");
    Matrix<S> W("kaa::full_data.W", rows, k);
    model.transform(X, Z, W);
    kernels::residual_norms2(ExecSpace(), X_original, W, Z_original, residuals);
    const auto r = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), residuals);
    for (std::size_t i = 0; i < rows; ++i) out.rss += row_weight(full, begin + i) * r(i);
    const HostMatrix w = to_host(W);
    std::copy(w.values.begin(), w.values.end(),
              out.weights.values.begin() + static_cast<std::ptrdiff_t>(begin * k));
  }
  return out;
}

}  // namespace

FullDataFit fit_full_data(const nlohmann::json& resolved, const HostMatrix& archetypes,
                          const FullData& full, const std::optional<Standardization>& scaling,
                          const Registry& registry) {
  const auto start = std::chrono::steady_clock::now();
  FullDataFit out = model_settings(resolved).precision == Precision::float64
                        ? solve_in_chunks<double>(resolved, archetypes, full, scaling, registry)
                        : solve_in_chunks<float>(resolved, archetypes, full, scaling, registry);
  out.total_sum_of_squares = weighted_total_sum_of_squares(full);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

void record_full_data(const nlohmann::json& resolved, const Registry& registry,
                      const FullData& full, Result& result) {
  const HostMatrix& archetypes =
      result.effective_archetypes ? *result.effective_archetypes : result.archetypes;
  FullDataFit fit = fit_full_data(resolved, archetypes, full, result.standardization, registry);
  nlohmann::json& m = result.metrics;
  m["coreset_rows"] = result.weights.rows;
  m["n"] = full.X.rows;
  m["rss_full_data"] = fit.rss;
  m["explained_variance_full_data"] = fit.total_sum_of_squares > 0
                                          ? nlohmann::json(1.0 - fit.rss / fit.total_sum_of_squares)
                                          : nlohmann::json(nullptr);
  m["full_data_seconds"] = fit.seconds;
  m["coreset_draw_seconds"] = full.draw_seconds;
  m["full_data"] = full.description;
  result.weights = std::move(fit.weights);
}

}  // namespace kaa
