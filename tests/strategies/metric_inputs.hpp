#pragma once
// Builds MetricInputs from host matrices and runs one metric strategy with given parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/host_transfer.hpp"
#include "framework/interfaces/metric.hpp"
#include "make_strategy.hpp"

namespace kaa_test {

/// X and Z in the fitted space; archetypes in original units are Z scaled by sqrt(c) when
/// feature weights c are given (standardisation without centring, enough for the metrics).
template <class S>
kaa::MetricInputs<S> metric_inputs(const kaa::HostMatrix& X, const kaa::HostMatrix& A,
                                   const kaa::HostMatrix& Z, std::vector<double> c = {},
                                   std::optional<kaa::HostMatrix> truth = std::nullopt) {
  kaa::MetricInputs<S> in{kaa::to_device<S>(X, "X"),
                          {kaa::to_device<S>(A, "A"), kaa::to_device<S>(Z, "Z")},
                          kaa::Vector<double>()};
  in.archetypes_original = Z;
  if (!c.empty()) {
    in.squared_error_scale = kaa::Vector<double>("c", c.size());
    auto host = Kokkos::create_mirror_view(in.squared_error_scale);
    for (std::size_t f = 0; f < c.size(); ++f) host(f) = c[f];
    Kokkos::deep_copy(in.squared_error_scale, host);
    for (std::size_t j = 0; j < Z.rows; ++j)
      for (std::size_t f = 0; f < Z.cols; ++f)
        in.archetypes_original(j, f) = Z(j, f) * std::sqrt(c[f]);
  }
  in.true_archetypes = std::move(truth);
  return in;
}

template <template <class> class Impl, class S>
nlohmann::json run_metric(const kaa::MetricInputs<S>& in,
                          const nlohmann::json& params = nlohmann::json::object()) {
  Impl<S> metric = make<Impl, S>(params);
  nlohmann::json out = nlohmann::json::object();
  metric.compute(in, out);
  return out;
}

inline kaa::HostMatrix host_matrix(std::size_t rows, std::size_t cols, std::vector<double> v) {
  kaa::HostMatrix m(rows, cols);
  m.values = std::move(v);
  return m;
}

}  // namespace kaa_test
