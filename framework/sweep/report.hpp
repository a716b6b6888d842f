#pragma once
#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

namespace kaa::sweep {

/// Summarises a sweep folder: per group (configuration + data set + axis values) the number of
/// ok and failed runs and the mean and standard deviation over seeds of every numeric metric,
/// the stability across seeds (mean Hungarian-matched archetype distance between runs), and, when
/// the number of archetypes is swept, the information gain over k with its elbow. Prints a table
/// to `out`, writes summary.csv and analysis.json (atomically) and returns the analysis.
nlohmann::json write_report(const std::filesystem::path& folder, std::ostream& out);

/// archetypax's information gain over ascending k: gain_k = (err_prev - err_k) / err_prev, and
/// its elbow: the k after the largest drop in gain (argmin of the gain differences, + 1).
struct InformationGain {
  std::vector<double> gains;  // gains[0] = 0 for the smallest k
  std::size_t elbow_index = 0;
};
InformationGain information_gain(const std::vector<double>& errors);

}  // namespace kaa::sweep
