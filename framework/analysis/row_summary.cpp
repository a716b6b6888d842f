#include "framework/analysis/row_summary.hpp"

#include <cmath>
#include <string>

namespace kaa::analysis {

RowSummary summarize_nonnegative(const Vector<double>& v) {
  const std::size_t n = v.extent(0);
  const auto range = Kokkos::RangePolicy<ExecSpace>(0, n);
  RowSummary s;
  double count = 0, sum = 0;
  Kokkos::parallel_reduce(
      "kaa::row_summary.count", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) { acc += v(i) >= 0 ? 1.0 : 0.0; }, count);
  if (count == 0) return s;
  Kokkos::parallel_reduce(
      "kaa::row_summary.sum", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) { acc += v(i) >= 0 ? v(i) : 0.0; }, sum);
  s.count = static_cast<std::size_t>(count);
  s.mean = sum / count;
  // Second pass about the mean: no cancellation from sum of squares minus squared sum.
  const double mean = s.mean;
  double squares = 0;
  Kokkos::parallel_reduce(
      "kaa::row_summary.var", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        acc += v(i) >= 0 ? (v(i) - mean) * (v(i) - mean) : 0.0;
      },
      squares);
  s.std = std::sqrt(squares / count);
  Kokkos::parallel_reduce(
      "kaa::row_summary.min", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        if (v(i) >= 0 && v(i) < acc) acc = v(i);
      },
      Kokkos::Min<double>(s.min));
  Kokkos::parallel_reduce(
      "kaa::row_summary.max", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        if (v(i) >= 0 && v(i) > acc) acc = v(i);
      },
      Kokkos::Max<double>(s.max));
  return s;
}

void write_summary(const RowSummary& s, const std::string& prefix, nlohmann::json& out) {
  const auto value = [&](double x) { return s.count > 0 ? nlohmann::json(x) : nlohmann::json(); };
  out[prefix] = value(s.mean);
  out[prefix + "_std"] = value(s.std);
  out[prefix + "_min"] = value(s.min);
  out[prefix + "_max"] = value(s.max);
}

}  // namespace kaa::analysis
