#include "framework/analysis/row_summary.hpp"

#include <string>

namespace kaa::analysis {

RowSummary summarize_nonnegative(const Vector<double>& v, const Vector<double>& w) {
  return kernels::summarize_nonnegative(ExecSpace(), v, w);
}

void write_summary(const RowSummary& s, const std::string& prefix, nlohmann::json& out) {
  const auto value = [&](double x) { return s.count > 0 ? nlohmann::json(x) : nlohmann::json(); };
  out[prefix] = value(s.mean);
  out[prefix + "_std"] = value(s.std);
  out[prefix + "_min"] = value(s.min);
  out[prefix + "_max"] = value(s.max);
}

}  // namespace kaa::analysis
