#pragma once
#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

namespace kaa::sweep {

/// Summarises a sweep folder (sweep.json + results.jsonl; the sweep may still be running). Per
/// group (configuration + data set + axis values): runs ok and failed, and the mean and sample
/// standard deviation over its seeds of every numeric metric of its ok runs, plus
/// `stability_distance` (seed stability, see analysis.hpp) over pairs of its runs. Where
/// /model/n_archetypes is an axis: the information gain over k and its elbow, per family of
/// groups that differ only in k. Prints a table to `out`, writes summary.csv and analysis.json
/// (atomically) beside the results and returns the analysis. Throws InputError if `folder` is
/// not a sweep folder.
/// With standardised data (`rss_fitted` recorded) the table leads with the fit in the space that
/// was minimised. Throws InputError if `folder` is not a sweep folder.
nlohmann::json write_report(const std::filesystem::path& folder, std::ostream& out);

/// A run folder of `kaa fit` (metrics.json, no sweep.json).
bool is_run_folder(const std::filesystem::path& folder);

/// The headline metrics of one run folder, one per line. Throws InputError on a bad metrics.json.
void print_run_report(const std::filesystem::path& folder, std::ostream& out);

}  // namespace kaa::sweep
