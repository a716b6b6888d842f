#include "framework/sweep/report.hpp"

#include <cmath>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "framework/analysis/hungarian.hpp"
#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/sweep/results_log.hpp"

namespace kaa::sweep {

namespace fs = std::filesystem;
using json = nlohmann::json;

InformationGain information_gain(const std::vector<double>& errors) {
  InformationGain g;
  g.gains.assign(errors.size(), 0.0);
  for (std::size_t i = 1; i < errors.size(); ++i)
    g.gains[i] = errors[i - 1] > 0 ? (errors[i - 1] - errors[i]) / errors[i - 1] : 0.0;
  if (errors.size() >= 3) {
    // archetypax: elbow at argmin(diff(gains)) + 1, diffs taken over the gains of k >= 2nd.
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < g.gains.size(); ++i) {
      const double diff = g.gains[i + 1] - g.gains[i];
      if (diff < best) {
        best = diff;
        g.elbow_index = i;
      }
    }
  }
  return g;
}

namespace {

/// Metadata, not measurements: never averaged.
const std::set<std::string> kNotMetrics{
    "seed", "threads", "n", "d", "n_archetypes", "best_update", "last_recorded_loss"};

void flatten(const json& j, const std::string& prefix, std::map<std::string, double>& out) {
  for (const auto& [key, value] : j.items()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_number() && !kNotMetrics.count(name)) {
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
    return values.empty() ? NAN : s / values.size();
  }
  double std() const {
    if (values.size() < 2) return 0.0;
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
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string number(double v) {
  std::ostringstream os;
  os << std::setprecision(6) << v;
  return os.str();
}

}  // namespace

json write_report(const fs::path& folder, std::ostream& out) {
  if (!fs::exists(folder / "sweep.json") || !fs::exists(folder / "results.jsonl"))
    throw InputError(folder.string() + ": not a sweep folder (needs sweep.json and results.jsonl)");
  const json plan = read_json_file(folder / "sweep.json");
  const auto rows = ResultsLog(folder / "results.jsonl").read();

  std::map<std::string, Group> groups;
  std::vector<std::string> order;  // groups in plan order
  for (const auto& r : plan.at("runs")) {
    const std::string g = r.at("group");
    if (!groups.count(g)) {
      order.push_back(g);
      groups[g] = Group{g, r.at("config"), r.at("dataset"), r.at("axes"), 0, 0, {}, {}};
    }
  }
  std::set<std::string> metric_names;
  for (const auto& row : rows) {
    const std::string g = row.value("group", std::string());
    if (!groups.count(g)) continue;  // a run of an older plan
    Group& group = groups[g];
    if (row.value("status", std::string()) != "ok") {
      ++group.failed;
      continue;
    }
    ++group.ok;
    group.run_dirs.push_back(row.value("run_dir", std::string()));
    std::map<std::string, double> m;
    flatten(row.value("metrics", json::object()), "", m);
    m["wall_seconds"] = row.value("wall_seconds", 0.0);
    for (const auto& [k, v] : m) {
      group.metrics[k].values.push_back(v);
      metric_names.insert(k);
    }
  }

  json analysis = {{"groups", json::object()}};
  // Stability across seeds: mean matched distance over pairs of runs of the same group.
  for (auto& [name, group] : groups) {
    std::vector<HostMatrix> archetypes;
    for (const auto& dir : group.run_dirs) {
      const fs::path p = folder / dir / "archetypes.csv";
      if (fs::exists(p)) archetypes.push_back(read_matrix(p));
    }
    if (archetypes.size() < 2) continue;
    Stat pair_distance;
    for (std::size_t a = 0; a < archetypes.size(); ++a)
      for (std::size_t b = a + 1; b < archetypes.size(); ++b)
        if (archetypes[a].rows <= archetypes[b].rows && archetypes[a].cols == archetypes[b].cols)
          pair_distance.values.push_back(
              analysis::match_archetypes(archetypes[a], archetypes[b]).mean_distance);
    if (pair_distance.values.empty()) continue;
    group.metrics["stability_distance"] = pair_distance;
    metric_names.insert("stability_distance");
  }

  // Information gain over k, for groups that differ only in /model/n_archetypes.
  const std::string k_ptr = "/model/n_archetypes";
  std::map<std::string, std::map<long long, double>> err_by_family;
  for (const auto& name : order) {
    const Group& g = groups[name];
    if (!g.axes.contains(k_ptr) || !g.metrics.count("rss")) continue;
    json others = g.axes;
    others.erase(k_ptr);
    const std::string family = g.config + "@" + g.dataset + others.dump();
    err_by_family[family][g.axes[k_ptr].get<long long>()] = g.metrics.at("rss").mean();
  }
  json gain_json = json::array();
  for (const auto& [family, errs] : err_by_family) {
    std::vector<long long> ks;
    std::vector<double> e;
    for (const auto& [k, err] : errs) {
      ks.push_back(k);
      e.push_back(err);
    }
    const InformationGain ig = information_gain(e);
    json item = {{"family", family}, {"k", ks}, {"rss", e}, {"gain", ig.gains}};
    if (ks.size() >= 3) item["elbow_k"] = ks[ig.elbow_index];
    gain_json.push_back(item);
  }
  analysis["information_gain"] = gain_json;

  // summary.csv: one row per group, mean and std per metric.
  std::ostringstream csv;
  csv << "group,config,dataset";
  for (const auto& ptr : plan.value("axes", json::array()))
    csv << "," << csv_field(ptr.get<std::string>());
  csv << ",ok,failed";
  for (const auto& m : metric_names)
    csv << "," << csv_field(m + "_mean") << "," << csv_field(m + "_std");
  csv << "\n";
  for (const auto& name : order) {
    const Group& g = groups[name];
    csv << csv_field(g.name) << "," << csv_field(g.config) << "," << csv_field(g.dataset);
    for (const auto& ptr : plan.value("axes", json::array()))
      csv << ","
          << csv_field(g.axes.contains(ptr.get<std::string>())
                           ? g.axes[ptr.get<std::string>()].dump()
                           : "");
    csv << "," << g.ok << "," << g.failed;
    for (const auto& m : metric_names) {
      const auto it = g.metrics.find(m);
      if (it == g.metrics.end())
        csv << ",,";
      else
        csv << "," << number(it->second.mean()) << "," << number(it->second.std());
    }
    csv << "\n";
    json& ga = analysis["groups"][g.name];
    ga = {{"ok", g.ok}, {"failed", g.failed}};
    for (const auto& [m, s] : g.metrics) ga[m] = {{"mean", s.mean()}, {"std", s.std()}};
  }
  write_file_atomically(folder / "summary.csv", [&](std::ostream& os) { os << csv.str(); });
  write_file_atomically(folder / "analysis.json",
                        [&](std::ostream& os) { os << analysis.dump(2) << "\n"; });

  // The printed table: a few headline metrics, those present.
  std::vector<std::string> shown;
  for (const char* m : {"rss", "explained_variance", "recovery_error_mean", "stability_distance",
                        "iterations", "seconds"})
    if (metric_names.count(m)) shown.push_back(m);
  std::size_t width = 5;
  for (const auto& name : order) width = std::max(width, name.size());
  width = std::min<std::size_t>(width, 60);
  out << std::left << std::setw(width) << "group"
      << "  ok/fail";
  for (const auto& m : shown) out << "  " << std::setw(22) << m;
  out << "\n";
  for (const auto& name : order) {
    const Group& g = groups[name];
    std::string label = name.size() > width ? name.substr(0, width - 3) + "..." : name;
    out << std::left << std::setw(width) << label << "  " << std::setw(7)
        << (std::to_string(g.ok) + "/" + std::to_string(g.failed));
    for (const auto& m : shown) {
      const auto it = g.metrics.find(m);
      std::string cell = it == g.metrics.end()
                             ? "-"
                             : number(it->second.mean()) + " ± " + number(it->second.std());
      out << "  " << std::setw(22) << cell;
    }
    out << "\n";
  }
  for (const auto& item : gain_json) {
    if (!item.contains("elbow_k")) continue;
    out << "information gain over k (" << item["family"].get<std::string>()
        << "): elbow at k = " << item["elbow_k"] << "\n";
  }
  out << "summary: " << (folder / "summary.csv").string() << "\n";
  return analysis;
}

}  // namespace kaa::sweep
