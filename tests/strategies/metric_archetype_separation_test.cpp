// archetype_separation on archetypes with known pairwise distances, in original units.
#include <gtest/gtest.h>

#include "metric_inputs.hpp"
#include "strategies/metrics/archetype_separation.hpp"

namespace {

using kaa::strategies::ArchetypeSeparation;
using kaa_test::host_matrix;

nlohmann::json separation(const kaa::HostMatrix& Z, std::vector<double> c = {}) {
  const auto in = kaa_test::metric_inputs<double>(kaa::HostMatrix(Z.rows, Z.cols),
                                                  kaa::HostMatrix(Z.rows, Z.rows), Z, c);
  return kaa_test::run_metric<ArchetypeSeparation, double>(in);
}

// A 3-4-5 right triangle: distances 3, 4, 5.
TEST(MetricArchetypeSeparation, RightTriangle) {
  const auto out = separation(host_matrix(3, 2, {0, 0, 3, 0, 0, 4}));
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_min").get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_mean").get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_max").get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_ratio").get<double>(), 0.6);
}

// Fitted on standardised data with std (2, 1): the fitted triangle (0,0), (1.5,0), (0,4) is the
// 3-4-5 triangle in original units, and the metric must measure there.
TEST(MetricArchetypeSeparation, MeasuresInOriginalUnits) {
  const auto out = separation(host_matrix(3, 2, {0, 0, 1.5, 0, 0, 4}), {4.0, 1.0});
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_min").get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_max").get<double>(), 5.0);
}

TEST(MetricArchetypeSeparation, CoincidentAndSingleArchetypes) {
  auto out = separation(host_matrix(3, 1, {1, 1, 3}));  // distances 0, 2, 2
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_min").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_mean").get<double>(), 4.0 / 3);
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_ratio").get<double>(), 0.0);
  out = separation(host_matrix(2, 1, {1, 1}));  // one point twice: min/max undefined
  EXPECT_DOUBLE_EQ(out.at("archetype_separation_max").get<double>(), 0.0);
  EXPECT_TRUE(out.at("archetype_separation_ratio").is_null());
  out = separation(host_matrix(1, 2, {1, 2}));  // no pairs at all
  for (const char* key : {"archetype_separation_min", "archetype_separation_mean",
                          "archetype_separation_max", "archetype_separation_ratio"})
    EXPECT_TRUE(out.at(key).is_null()) << key;
}

}  // namespace
