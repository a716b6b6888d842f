#include "framework/sweep/sweep_spec.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "framework/config/config.hpp"
#include "framework/config/schema.hpp"
#include "framework/error.hpp"

namespace kaa::sweep {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string run_id(const json& resolved) {
  // nlohmann's objects are std::maps: dump() is canonical (keys sorted, fixed number format).
  const std::string text = resolved.dump();
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

namespace {

/// One dimension of the run grid: a list of points, each assigning values to pointers.
using Point = std::vector<std::pair<std::string, json>>;
using Dimension = std::vector<Point>;

const std::vector<std::string> kSpecKeys{"$comment", "name",           "configs", "datasets",
                                         "labels",   "seeds",          "set",     "axes",
                                         "runs",     "threads_per_run"};

/// Files matching `pattern` (a glob in its last component), relative to `base` when relative.
std::vector<fs::path> expand_glob(const std::string& pattern, const fs::path& base) {
  fs::path p(pattern);
  if (p.is_relative()) p = base / p;
  const std::string leaf = p.filename().string();
  if (leaf.find_first_of("*?[") == std::string::npos)
    return fs::exists(p) ? std::vector<fs::path>{p} : std::vector<fs::path>{};
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(p.parent_path(), ec)) {
    if (entry.is_regular_file() && ::fnmatch(leaf.c_str(), entry.path().filename().c_str(), 0) == 0)
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Host-side uniform in [0, 1) from a seed and a counter: splitmix64, reproducible everywhere.
double uniform01(std::uint64_t seed, std::uint64_t counter) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (counter + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

Dimension parse_axis(const json& axis, const std::string& path, std::vector<std::string>& seen,
                     std::vector<std::string>& issues) {
  Dimension dim;
  auto note_pointer = [&](const std::string& ptr, const std::string& where) {
    if (ptr.empty() || ptr[0] != '/') {
      issues.push_back(where + ": \"" + ptr +
                       "\" is not a JSON pointer (e.g. /optimizer/learning_rate)");
      return false;
    }
    if (std::find(seen.begin(), seen.end(), ptr) != seen.end()) {
      issues.push_back(where + ": duplicate axis " + ptr + " (each pointer may be swept once)");
      return false;
    }
    seen.push_back(ptr);
    return true;
  };
  if (!axis.is_object() || axis.size() == 0) {
    issues.push_back(path +
                     ": expected {\"grid\": {...}}, {\"zip\": {...}} or {\"random\": {...}}");
    return dim;
  }
  for (const auto& [key, value] : axis.items()) {
    if (key != "grid" && key != "zip" && key != "random" && key != "count" && key != "seed" &&
        key != "$comment") {
      std::string msg = pointer_append(path, key) + ": unknown key";
      const auto guess = closest_match(key, {"grid", "zip", "random", "count", "seed"});
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      issues.push_back(msg);
    }
  }
  const int kinds = axis.contains("grid") + axis.contains("zip") + axis.contains("random");
  if (kinds != 1) {
    issues.push_back(path + ": an axis is exactly one of grid, zip, random");
    return dim;
  }
  const std::string kind = axis.contains("grid") ? "grid" : axis.contains("zip") ? "zip" : "random";
  const json& body = axis[kind];
  const std::string where = pointer_append(path, kind);
  if (!body.is_object() || body.empty()) {
    issues.push_back(where + ": expected an object {\"/json/pointer\": ...}, got " +
                     show_value(body));
    return dim;
  }
  if (kind == "grid") {
    if (body.size() != 1) {
      issues.push_back(where +
                       ": a grid axis sweeps one pointer; list several grid axes for a product");
      return dim;
    }
    const std::string ptr = body.begin().key();
    const json& values = body.begin().value();
    if (!note_pointer(ptr, where)) return dim;
    if (!values.is_array() || values.empty()) {
      issues.push_back(pointer_append(where, ptr) +
                       ": empty axis (expected a non-empty list of values)");
      return dim;
    }
    for (const auto& v : values) dim.push_back({{ptr, v}});
  } else if (kind == "zip") {
    std::size_t length = 0;
    std::vector<std::pair<std::string, json>> lists;
    for (const auto& [ptr, values] : body.items()) {
      if (!note_pointer(ptr, where)) continue;
      if (!values.is_array() || values.empty()) {
        issues.push_back(pointer_append(where, ptr) + ": empty axis (expected a non-empty list)");
        continue;
      }
      if (length != 0 && values.size() != length) {
        issues.push_back(pointer_append(where, ptr) + ": " + std::to_string(values.size()) +
                         " values, but the other lists of this zip have " + std::to_string(length));
        continue;
      }
      length = values.size();
      lists.emplace_back(ptr, values);
    }
    for (std::size_t i = 0; i < length; ++i) {
      Point p;
      for (const auto& [ptr, values] : lists) p.emplace_back(ptr, values[i]);
      dim.push_back(p);
    }
  } else {
    if (!axis.contains("count") || !axis["count"].is_number_integer() ||
        axis["count"].get<long long>() < 1) {
      issues.push_back(pointer_append(path, "count") + ": a random axis needs \"count\" >= 1");
      return dim;
    }
    const std::size_t count = axis["count"].get<std::size_t>();
    const std::uint64_t seed = axis.value("seed", std::uint64_t{0});
    struct Range {
      std::string ptr;
      double low, high;
      bool log, integer;
    };
    std::vector<Range> ranges;
    for (const auto& [ptr, r] : body.items()) {
      const std::string rp = pointer_append(where, ptr);
      if (!note_pointer(ptr, where)) continue;
      if (!r.is_object() || !r.contains("low") || !r.contains("high") || !r["low"].is_number() ||
          !r["high"].is_number()) {
        issues.push_back(
            rp +
            ": expected {\"low\": number, \"high\": number[, \"log\": bool, \"integer\": bool]}");
        continue;
      }
      Range range{ptr, r["low"].get<double>(), r["high"].get<double>(), r.value("log", false),
                  r.value("integer", false)};
      if (!(range.low < range.high)) {
        issues.push_back(rp + ": empty range (low must be < high)");
        continue;
      }
      if (range.log && range.low <= 0) {
        issues.push_back(rp + "/low: a log-scale range needs low > 0");
        continue;
      }
      ranges.push_back(range);
    }
    for (std::size_t i = 0; i < count; ++i) {
      Point p;
      for (std::size_t r = 0; r < ranges.size(); ++r) {
        const Range& g = ranges[r];
        const double u = uniform01(seed + r * 0x632be59bd9b4e019ULL, i);
        double v = g.log ? std::exp(std::log(g.low) + u * (std::log(g.high) - std::log(g.low)))
                         : g.low + u * (g.high - g.low);
        if (g.integer)
          p.emplace_back(g.ptr, json(static_cast<long long>(std::floor(v))));
        else
          p.emplace_back(g.ptr, json(v));
      }
      dim.push_back(p);
    }
  }
  return dim;
}

std::string show_point(const json& axis_values) {
  std::string out;
  for (const auto& [ptr, v] : axis_values.items()) out += " " + ptr + "=" + v.dump();
  return out;
}

}  // namespace

Sweep load_sweep(const fs::path& file, const std::map<std::string, std::string>& data_paths,
                 const std::map<std::string, std::string>& label_paths, const Registry& registry) {
  const json spec = read_json_file(file);
  const std::string src = file.string();
  std::vector<std::string> issues;
  if (!spec.is_object()) throw ConfigError({src + ": expected a JSON object"});
  for (const auto& [key, value] : spec.items()) {
    if (std::find(kSpecKeys.begin(), kSpecKeys.end(), key) == kSpecKeys.end()) {
      std::string msg = src + ": /" + key + ": unknown key";
      const auto guess = closest_match(key, kSpecKeys);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      issues.push_back(msg);
    }
  }
  Sweep sweep;
  sweep.spec = spec;
  sweep.name = spec.value("name", file.stem().string());

  // Paths in a sweep are relative to its folder, else to the folder above (the repository root
  // for experiments/*.json), so the shipped experiments run from anywhere.
  const fs::path here = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  std::vector<fs::path> config_files;
  if (!spec.contains("configs") || !spec["configs"].is_array() || spec["configs"].empty()) {
    issues.push_back(src + ": /configs: expected a non-empty list of config files or globs");
  } else {
    for (std::size_t i = 0; i < spec["configs"].size(); ++i) {
      const json& c = spec["configs"][i];
      if (!c.is_string()) {
        issues.push_back(src + ": /configs/" + std::to_string(i) + ": expected a path, got " +
                         show_value(c));
        continue;
      }
      auto found = expand_glob(c.get<std::string>(), here);
      if (found.empty()) found = expand_glob(c.get<std::string>(), here / "..");
      if (found.empty())
        issues.push_back(src + ": /configs/" + std::to_string(i) + ": no file matches \"" +
                         c.get<std::string>() + "\"");
      config_files.insert(config_files.end(), found.begin(), found.end());
    }
  }

  // Data sets: name -> data node (files may get their path from the command line).
  std::vector<std::pair<std::string, json>> datasets;
  if (spec.contains("datasets")) {
    if (!spec["datasets"].is_object() || spec["datasets"].empty()) {
      issues.push_back(src + ": /datasets: expected an object {name: data node}");
    } else {
      for (const auto& [name, node] : spec["datasets"].items()) {
        json data = node;
        const std::string where = src + ": /datasets/" + name;
        if (data_paths.count(name)) {
          data = {{"type", "file"}, {"path", data_paths.at(name)}};
          if (node.is_object())
            for (const auto& [k, v] : node.items())
              if (k != "type" && k != "path") data[k] = v;
        }
        if (data.is_object() && data.value("type", "") == "file") {
          if (!data.contains("path") || !data["path"].is_string() ||
              data["path"].get<std::string>().empty()) {
            issues.push_back(where + ": no data file given; pass --data " + name + "=PATH");
            continue;
          }
          if (!fs::exists(data["path"].get<std::string>())) {
            issues.push_back(where + ": data file " + data["path"].get<std::string>() +
                             " does not exist (pass --data " + name + "=PATH)");
            continue;
          }
        }
        datasets.emplace_back(name, data);
      }
    }
  }
  for (const auto& [name, path] : data_paths) {
    if (!spec.contains("datasets") || !spec["datasets"].is_object() ||
        !spec["datasets"].contains(name))
      issues.push_back("--data " + name + "=" + path + ": this sweep has no data set \"" + name +
                       "\"");
  }
  if (spec.contains("labels") && spec["labels"].is_object())
    for (const auto& [name, path] : spec["labels"].items())
      if (path.is_string()) sweep.labels[name] = path.get<std::string>();
  for (const auto& [name, path] : label_paths) sweep.labels[name] = path;
  for (const auto& [name, path] : sweep.labels) {
    if (!fs::exists(path))
      issues.push_back("labels of " + name + ": file " + path + " does not exist");
  }
  if (datasets.empty()) datasets.emplace_back("", nullptr);  // each config's own data

  std::vector<std::uint64_t> seeds;
  if (spec.contains("seeds")) {
    if (!spec["seeds"].is_array() || spec["seeds"].empty()) {
      issues.push_back(src + ": /seeds: expected a non-empty list of non-negative integers");
    } else {
      for (const auto& s : spec["seeds"]) {
        if (!s.is_number_unsigned()) {
          issues.push_back(src + ": /seeds: expected non-negative integers, got " + show_value(s));
          continue;
        }
        seeds.push_back(s.get<std::uint64_t>());
      }
    }
  }

  std::vector<std::string> seen;
  std::vector<Dimension> dims;
  if (spec.contains("axes")) {
    if (!spec["axes"].is_array()) {
      issues.push_back(src + ": /axes: expected a list of axes");
    } else {
      for (std::size_t a = 0; a < spec["axes"].size(); ++a) {
        Dimension d = parse_axis(spec["axes"][a], "/axes/" + std::to_string(a), seen, issues);
        if (!d.empty()) dims.push_back(std::move(d));
      }
    }
  }
  for (auto& issue : issues)
    if (issue.rfind(src, 0) != 0 && issue[0] == '/') issue = src + ": " + issue;
  sweep.axis_pointers = seen;
  const json fixed = spec.value("set", json::object());
  if (!fixed.is_object()) issues.push_back(src + ": /set: expected an object {pointer: value}");
  auto positive = [&](const char* key) -> std::size_t {
    if (!spec.contains(key)) return 0;
    if (!spec[key].is_number_unsigned() || spec[key].get<std::size_t>() < 1) {
      issues.push_back(src + ": /" + key + ": expected an integer >= 1");
      return 0;
    }
    return spec[key].get<std::size_t>();
  };
  sweep.concurrent_runs = positive("runs");
  sweep.threads_per_run = positive("threads_per_run");
  if (!issues.empty()) throw ConfigError(std::move(issues));

  std::set<std::string> unique_issues;
  std::set<std::string> ids;
  auto assign = [&](json& config, const std::string& ptr, const json& value,
                    const std::string& what) {
    const json::json_pointer jp(ptr);
    if (!config.contains(jp)) {
      unique_issues.insert(what + " " + ptr + ": no such key in the resolved config of " +
                           config.value("name", std::string("?")));
      return false;
    }
    config[jp] = value;
    return true;
  };
  for (const auto& config_file : config_files) {
    json raw = read_json_file(config_file);
    if (raw.is_object() && !raw.contains("name")) raw["name"] = config_file.stem().string();
    json base;
    try {
      base = resolve_config(raw, registry, config_file.string());
    } catch (const ConfigError& e) {
      for (const auto& i : e.issues()) unique_issues.insert(i);
      continue;
    }
    const std::string config_name = base["name"];
    for (const auto& [dataset, data_node] : datasets) {
      json with_data = base;
      if (!data_node.is_null()) with_data["data"] = data_node;
      // Resolve with the data set first so that pointers into its defaults exist for /set and axes.
      try {
        with_data = resolve_config(with_data, registry, config_file.string());
      } catch (const ConfigError& e) {
        for (const auto& i : e.issues()) unique_issues.insert(i);
        continue;
      }
      bool ok = true;
      for (const auto& [ptr, value] : fixed.items())
        ok = assign(with_data, ptr, value, src + ": /set") && ok;
      if (!ok) continue;
      std::vector<std::uint64_t> run_seeds = seeds;
      if (run_seeds.empty()) run_seeds.push_back(with_data["model"]["seed"].get<std::uint64_t>());
      // Cartesian product of the axis dimensions (an empty product is one point).
      std::vector<std::size_t> index(dims.size(), 0);
      for (bool more = true; more;) {
        json point = json::object();
        json config = with_data;
        bool point_ok = true;
        for (std::size_t a = 0; a < dims.size(); ++a)
          for (const auto& [ptr, value] : dims[a][index[a]]) {
            point[ptr] = value;
            point_ok = assign(config, ptr, value, src + ": axis") && point_ok;
          }
        if (point_ok) {
          for (std::uint64_t seed : run_seeds) {
            json run_config = config;
            run_config["model"]["seed"] = seed;
            try {
              run_config = resolve_config(run_config, registry,
                                          config_file.string() + " with" + show_point(point));
            } catch (const ConfigError& e) {
              for (const auto& i : e.issues()) unique_issues.insert(i);
              break;
            }
            PlannedRun run;
            run.resolved = run_config;
            run.id = run_id(run_config);
            run.config_name = config_name;
            run.dataset = dataset;
            run.seed = seed;
            run.axis_values = point;
            run.group = config_name + (dataset.empty() ? "" : "@" + dataset) + show_point(point);
            if (ids.insert(run.id).second) sweep.runs.push_back(std::move(run));
          }
        }
        more = false;
        for (std::size_t a = dims.size(); a-- > 0;) {
          if (++index[a] < dims[a].size()) {
            more = true;
            break;
          }
          index[a] = 0;
        }
      }
    }
  }
  if (!unique_issues.empty())
    throw ConfigError(std::vector<std::string>(unique_issues.begin(), unique_issues.end()));
  if (sweep.runs.empty()) throw ConfigError({src + ": the sweep expands to no runs"});
  return sweep;
}

}  // namespace kaa::sweep
