#include "framework/sweep/report.hpp"

#include <charconv>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/sweep/analysis.hpp"
#include "framework/sweep/results_log.hpp"

namespace kaa::sweep {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

/// Run metadata, not measurements: never averaged.
const std::set<std::string> kNotMetrics{
    "seed", "threads", "n", "d", "n_archetypes", "best_update", "last_recorded_loss"};

/// Numeric leaves of a metrics object, nested names joined by '.' ({"a": {"b": 1}} -> a.b).
void flatten(const json& j, const std::string& prefix, std::map<std::string, double>& out) {
  for (const auto& [key, value] : j.items()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_number() && !value.is_boolean() && !kNotMetrics.count(name)) {
      const double v = value.get<double>();
      if (std::isfinite(v)) out[name] = v;
    } else if (value.is_object()) {
      flatten(value, name, out);
    }
  }
}

struct Stat {
  std::vector<double> values;
  double mean() const {
    double s = 0;
    for (double v : values) s += v;
    return values.empty() ? std::numeric_limits<double>::quiet_NaN() : s / values.size();
  }
  /// Sample standard deviation (n - 1); NaN below two values.
  double std() const {
    if (values.size() < 2) return std::numeric_limits<double>::quiet_NaN();
    const double m = mean();
    double s = 0;
    for (double v : values) s += (v - m) * (v - m);
    return std::sqrt(s / (values.size() - 1));
  }
};

struct Group {
  std::string name, config, dataset;
  json axes;
  std::size_t ok = 0, failed = 0;
  std::map<std::string, Stat> metrics;
  std::vector<std::string> run_dirs;
  std::string first_error;
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

/// Shortest text that reads back to the same double; "" for NaN.
std::string exact(double v) {
  if (!std::isfinite(v)) return "";
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
}

std::string brief(double v) {
  if (!std::isfinite(v)) return "-";
  std::ostringstream os;
  os << std::setprecision(4) << v;
  return os.str();
}

json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

}  // namespace

bool is_run_folder(const fs::path& folder) {
  std::error_code ec;
  return fs::is_regular_file(folder / "metrics.json", ec) &&
         !fs::is_regular_file(folder / "sweep.json", ec);
}

/// The archetypes under their feature names, when they fit on a terminal line.
void print_archetype_table(const fs::path& path, std::ostream& out) {
  constexpr std::size_t kMaxColumns = 8;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return;
  const HostMatrix Z = read_matrix(path);
  if (Z.cols > kMaxColumns) return;
  std::vector<std::string> names = read_csv_header(path);
  names.resize(Z.cols);
  constexpr int kWidth = 12;
  out << "  archetypes:\n  " << std::setw(5) << "";
  for (const auto& name : names)
    out << std::right << std::setw(kWidth) << name.substr(0, kWidth - 1);
  out << "\n";
  for (std::size_t j = 0; j < Z.rows; ++j) {
    out << "  " << std::left << std::setw(5) << ("A" + std::to_string(j)) << std::right;
    for (std::size_t c = 0; c < Z.cols; ++c) out << std::setw(kWidth) << brief(Z(j, c));
    out << "\n";
  }
  out << std::left;
}

void print_run_report(const fs::path& folder, std::ostream& out) {
  const json metrics = read_json_file(folder / "metrics.json");
  if (!metrics.is_object())
    throw InputError((folder / "metrics.json").string() + ": not a metrics object");
  std::map<std::string, double> m;
  flatten(metrics, "", m);
  out << "run " << folder.string() << ": " << metrics.value("status", std::string("?"));
  if (metrics.contains("stop_reason") && metrics["stop_reason"].is_string())
    out << " (" << metrics["stop_reason"].get<std::string>() << ")";
  for (const char* meta : {"n_archetypes", "n", "d", "seed"})
    if (metrics.contains(meta) && metrics[meta].is_number())
      out << ", " << meta << " " << metrics[meta];
  out << "\n";
  for (const char* name : {"rss_fitted", "explained_variance_fitted", "rss", "explained_variance",
                           "recovery_error_mean", "hull_distance_max", "iterations", "seconds"})
    if (m.count(name))
      out << "  " << std::left << std::setw(26) << name << brief(m.at(name)) << "\n";
  print_archetype_table(folder / "archetypes.csv", out);
  out << "(every metric: " << (folder / "metrics.json").string() << ")\n";
}

json write_report(const fs::path& folder, std::ostream& out) {
  std::error_code ec;
  if (!fs::is_regular_file(folder / "sweep.json", ec))
    throw InputError(folder.string() +
                     ": not a sweep folder (no sweep.json; run kaa sweep first) nor a run folder "
                     "(no metrics.json)");
  const json plan = read_json_file(folder / "sweep.json");
  if (!plan.is_object() || !plan.contains("runs") || !plan["runs"].is_array())
    throw InputError((folder / "sweep.json").string() + ": not a sweep plan (no runs list)");
  const auto rows = ResultsLog(folder / "results.jsonl").read();

  std::map<std::string, Group> groups;
  std::vector<std::string> order;  // groups in plan order
  std::set<std::string> planned_ids;
  for (const auto& r : plan["runs"]) {
    const std::string g = r.value("group", "");
    planned_ids.insert(r.value("id", ""));
    if (!groups.count(g)) {
      order.push_back(g);
      groups[g] = Group{g,
                        r.value("config", ""),
                        r.value("dataset", ""),
                        r.value("axes", json::object()),
                        0,
                        0,
                        {},
                        {},
                        {}};
    }
  }
  std::set<std::string> metric_names;
  std::set<std::string> seen_ids;
  for (const auto& row : rows) {
    const std::string id = row.value("id", "");
    // Rows of runs no longer planned (the sweep file changed) are kept in the log, not reported.
    if (!planned_ids.count(id) || !seen_ids.insert(id).second) continue;
    Group& group = groups[row.value("group", "")];
    if (row.value("status", "") != "ok") {
      ++group.failed;
      if (group.first_error.empty()) group.first_error = row.value("error", "");
      continue;
    }
    ++group.ok;
    group.run_dirs.push_back(row.value("run_dir", ""));
    std::map<std::string, double> m;
    flatten(row.value("metrics", json::object()), "", m);
    if (row.contains("wall_seconds") && row["wall_seconds"].is_number())
      m["wall_seconds"] = row["wall_seconds"].get<double>();
    for (const auto& [k, v] : m) {
      group.metrics[k].values.push_back(v);
      metric_names.insert(k);
    }
  }

  json analysis = {{"groups", json::object()}, {"information_gain", json::array()}};
  for (auto& [name, group] : groups) {
    std::vector<HostMatrix> archetypes;
    for (const auto& dir : group.run_dirs) {
      const fs::path p = folder / dir / "archetypes.csv";
      if (fs::is_regular_file(p, ec)) archetypes.push_back(read_matrix(p));
    }
    const auto distances = pairwise_matched_distances(archetypes);
    if (distances.empty()) continue;
    group.metrics["stability_distance"].values = distances;
    metric_names.insert("stability_distance");
  }

  // Information gain over k, per family of groups equal but for /model/n_archetypes.
  const std::string k_ptr = "/model/n_archetypes";
  std::map<std::string, std::vector<std::pair<long long, double>>> families;
  for (const auto& name : order) {
    const Group& g = groups[name];
    if (!g.axes.contains(k_ptr) || !g.axes[k_ptr].is_number_integer() || !g.metrics.count("rss"))
      continue;
    json others = g.axes;
    others.erase(k_ptr);
    std::string family = g.config + (g.dataset.empty() ? "" : "@" + g.dataset);
    for (const auto& [ptr, v] : others.items()) family += " " + ptr + "=" + v.dump();
    families[family].emplace_back(g.axes[k_ptr].get<long long>(), g.metrics.at("rss").mean());
  }
  for (const auto& [family, points] : families) {
    if (points.size() < 2) continue;
    const InformationGain ig = information_gain(points);
    json gains = json::array();
    for (double v : ig.gains) gains.push_back(finite_or_null(v));
    json item = {{"family", family}, {"k", ig.ks}, {"rss", ig.errors}, {"gain", gains}};
    if (ig.elbow_k) {
      item["elbow_k"] = *ig.elbow_k;
      item["elbow_k_archetypax"] = *ig.elbow_k_archetypax;
    }
    analysis["information_gain"].push_back(item);
  }

  // summary.csv: one row per group; the mean and sample std over seeds of every metric.
  const json axes = plan.value("axes", json::array());
  std::ostringstream csv;
  csv << "group,config,dataset";
  for (const auto& ptr : axes) csv << "," << csv_field(ptr.get<std::string>());
  csv << ",runs_ok,runs_failed";
  for (const auto& m : metric_names)
    csv << "," << csv_field(m + "_mean") << "," << csv_field(m + "_std");
  csv << "\n";
  for (const auto& name : order) {
    const Group& g = groups[name];
    csv << csv_field(g.name) << "," << csv_field(g.config) << "," << csv_field(g.dataset);
    for (const auto& ptr : axes) {
      const std::string p = ptr.get<std::string>();
      csv << "," << csv_field(g.axes.contains(p) ? g.axes[p].dump() : "");
    }
    csv << "," << g.ok << "," << g.failed;
    for (const auto& m : metric_names) {
      const auto it = g.metrics.find(m);
      if (it == g.metrics.end())
        csv << ",,";
      else
        csv << "," << exact(it->second.mean()) << "," << exact(it->second.std());
    }
    csv << "\n";
    json& ga = analysis["groups"][g.name];
    ga = {{"config", g.config}, {"dataset", g.dataset},    {"axes", g.axes},
          {"runs_ok", g.ok},    {"runs_failed", g.failed}, {"metrics", json::object()}};
    if (!g.first_error.empty()) ga["first_error"] = g.first_error;
    for (const auto& [m, s] : g.metrics)
      ga["metrics"][m] = {{"mean", finite_or_null(s.mean())},
                          {"std", finite_or_null(s.std())},
                          {"count", s.values.size()}};
  }
  write_file_atomically(folder / "summary.csv", [&](std::ostream& os) { os << csv.str(); });
  write_file_atomically(folder / "analysis.json",
                        [&](std::ostream& os) { os << analysis.dump(2) << "\n"; });

  // The printed table: the headline metrics present, mean ± std over seeds.
  // With standardised data the fit in the space that was minimised leads (fitted_space_fit in
  // framework/run.cpp); groups fitted on raw data stand in with rss and explained_variance.
  const bool fitted = metric_names.count("rss_fitted") > 0;
  const std::map<std::string, std::string> stand_in{
      {"rss_fitted", "rss"}, {"explained_variance_fitted", "explained_variance"}};
  std::vector<std::string> shown;
  for (const char* m :
       {"rss_fitted", "explained_variance_fitted", "rss", "explained_variance",
        "recovery_error_mean", "hull_distance_max", "stability_distance", "seconds"}) {
    const std::string name = m;
    if (stand_in.count(name) ? !fitted
                             : (fitted && (name == "rss" || name == "explained_variance")))
      continue;
    if (metric_names.count(name)) shown.push_back(name);
  }
  std::size_t width = 5;
  for (const auto& name : order) width = std::max(width, name.size());
  width = std::min<std::size_t>(width, 60);
  const std::size_t cell = 21;
  out << std::left << std::setw(static_cast<int>(width)) << "group"
      << "  ok/failed";
  for (const auto& m : shown) out << "  " << std::setw(static_cast<int>(cell)) << m;
  out << "\n";
  for (const auto& name : order) {
    const Group& g = groups[name];
    const std::string label = name.size() > width ? name.substr(0, width - 3) + "..." : name;
    out << std::left << std::setw(static_cast<int>(width)) << label << "  " << std::setw(9)
        << (std::to_string(g.ok) + "/" + std::to_string(g.failed));
    for (const auto& m : shown) {
      auto it = g.metrics.find(m);
      if (it == g.metrics.end() && stand_in.count(m)) it = g.metrics.find(stand_in.at(m));
      std::string text = "-";
      if (it != g.metrics.end()) {
        text = brief(it->second.mean());
        if (it->second.values.size() > 1) text += " ± " + brief(it->second.std());
      }
      out << "  " << std::setw(static_cast<int>(cell)) << text;
    }
    out << "\n";
  }
  out << "(mean ± sample std over seeds; stability_distance over pairs of seeds; all metrics in "
      << (folder / "summary.csv").string() << ")\n";
  if (fitted)
    out << "(*_fitted: in the standardised space the fits minimised, or the original space for "
           "runs without model.normalize; rss and explained_variance in original units are in "
           "summary.csv)\n";
  for (const auto& item : analysis["information_gain"]) {
    out << "information gain over k, " << item["family"].get<std::string>() << ":";
    for (std::size_t i = 1; i < item["k"].size(); ++i)
      out << " k=" << item["k"][i] << " "
          << (item["gain"][i].is_null() ? std::string("-") : brief(item["gain"][i].get<double>()));
    if (item.contains("elbow_k"))
      out << "; elbow at k = " << item["elbow_k"]
          << " (archetypax's rule: " << item["elbow_k_archetypax"] << ")";
    out << "\n";
  }
  std::size_t failed = 0;
  for (const auto& name : order) failed += groups[name].failed;
  if (failed > 0) {
    out << failed << " run(s) failed; first error per configuration:\n";
    for (const auto& name : order)
      if (!groups[name].first_error.empty())
        out << "  " << name << ": " << groups[name].first_error << "\n";
  }
  return analysis;
}

}  // namespace kaa::sweep
