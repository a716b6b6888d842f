#pragma once
// The full data behind a coreset fit (strategies/datasets/coreset.hpp): after the fit on the
// weighted coreset, every row's weights by the exact transform and the fit's RSS on all rows.
#include <optional>

#include <nlohmann/json.hpp>

#include "framework/api.hpp"
#include "framework/interfaces/dataset.hpp"
#include "framework/registry/registry.hpp"

namespace kaa {

struct FullDataFit {
  HostMatrix weights;               // n x k
  double rss = 0;                   // original units; row i counted full.weights[i] times
  double total_sum_of_squares = 0;  // about the (weighted) mean, original units
  double seconds = 0;
};

/// Weights of every row of `full` for `archetypes` (original units) by the resolved config's
/// transform, in the space the fit ran in (`scaling`), and the RSS they leave. Rows go to the
/// device in fixed chunks, so the full data exist once (on the host) plus one chunk; the
/// chunks' sums are added in row order, whatever the thread count.
FullDataFit fit_full_data(const nlohmann::json& resolved, const HostMatrix& archetypes,
                          const FullData& full, const std::optional<Standardization>& scaling,
                          const Registry& registry);

/// A finished coreset fit's record of its full data: weights.npy gets all n rows; metrics.json
/// `n` (the full data's rows), `coreset_rows`, `rss_full_data`, `explained_variance_full_data`
/// `full_data_seconds` (the transform) and `coreset_draw_seconds`. Every other metric is the
/// coreset's.
void record_full_data(const nlohmann::json& resolved, const Registry& registry,
                      const FullData& full, Result& result);

}  // namespace kaa
