#pragma once
#include <cstddef>

#include <nlohmann/json.hpp>

#include "framework/kernels/nonnegative_summary.hpp"
#include "framework/types.hpp"

namespace kaa::analysis {

using RowSummary = kernels::RowSummary;
/// kernels::summarize_nonnegative on the default execution space (w: sample weights, or empty).
RowSummary summarize_nonnegative(const Vector<double>& v, const Vector<double>& w = {});

/// Writes `prefix` (mean), prefix_std, prefix_min and prefix_max; null when no row counted.
void write_summary(const RowSummary& s, const std::string& prefix, nlohmann::json& out);

}  // namespace kaa::analysis
