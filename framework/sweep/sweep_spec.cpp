#include "framework/sweep/sweep_spec.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "framework/config/config.hpp"
#include "framework/config/schema.hpp"
#include "framework/error.hpp"
#include "framework/sweep/axes.hpp"
#include "framework/sweep/run_id.hpp"

namespace kaa::sweep {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::vector<std::string>& sweep_keys() {
  static const std::vector<std::string> keys{"$comment", "name",           "configs", "datasets",
                                             "labels",   "seeds",          "set",     "axes",
                                             "runs",     "threads_per_run"};
  return keys;
}

namespace {

fs::path under(const fs::path& root, const std::string& path) {
  const fs::path p(path);
  return (p.is_absolute() ? p : root / p).lexically_normal();
}

/// Files matching `pattern` (wildcards allowed in its last component only), sorted.
std::vector<fs::path> expand_glob(const fs::path& pattern) {
  const std::string leaf = pattern.filename().string();
  std::error_code ec;
  if (leaf.find_first_of("*?[") == std::string::npos)
    return fs::is_regular_file(pattern, ec) ? std::vector<fs::path>{pattern}
                                            : std::vector<fs::path>{};
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(pattern.parent_path(), ec)) {
    if (entry.is_regular_file(ec) &&
        ::fnmatch(leaf.c_str(), entry.path().filename().c_str(), 0) == 0)
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// "/a" and "/a/b" overlap: sweeping both would let one overwrite the other.
bool overlap(const std::string& a, const std::string& b) {
  const std::string& s = a.size() <= b.size() ? a : b;
  const std::string& l = a.size() <= b.size() ? b : a;
  return l.compare(0, s.size(), s) == 0 && (l.size() == s.size() || l[s.size()] == '/');
}

std::string show_point(const json& axis_values) {
  std::string out;
  for (const auto& [ptr, v] : axis_values.items()) out += " " + ptr + "=" + v.dump();
  return out;
}

/// "no such key" with, when the parent exists, the closest key it does have.
std::string missing_key(const json& config, const std::string& ptr, const std::string& file) {
  std::string msg = ptr + ": no such key in the resolved config of " + file;
  const json::json_pointer jp(ptr);
  const json::json_pointer parent = jp.parent_pointer();
  if (config.contains(parent) && config[parent].is_object()) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : config[parent].items()) keys.push_back(k);
    const auto guess = closest_match(jp.back(), keys);
    if (!guess.empty()) msg += " (did you mean " + parent.to_string() + "/" + guess + "?)";
  }
  return msg;
}

struct Parsed {
  std::vector<fs::path> config_files;
  std::vector<std::pair<std::string, json>> datasets;  // name -> data node ("" -> null)
  std::vector<std::uint64_t> seeds;
  json fixed = json::object();
  std::vector<Axis> axes;
  std::map<std::string, std::string> where;  // swept or fixed pointer -> place in the sweep file
};

void parse_configs(const json& spec, const fs::path& root, Parsed& p,
                   std::vector<std::string>& issues) {
  if (!spec.contains("configs") || !spec["configs"].is_array() || spec["configs"].empty()) {
    issues.push_back("/configs: expected a non-empty list of config files or globs " +
                     std::string("(e.g. [\"configs/*.json\"])") +
                     (spec.contains("configs") ? ", got " + show_value(spec["configs"]) : ""));
    return;
  }
  std::set<fs::path> seen;
  for (std::size_t i = 0; i < spec["configs"].size(); ++i) {
    const json& c = spec["configs"][i];
    const std::string at = pointer_append("/configs", i);
    if (!c.is_string()) {
      issues.push_back(at + ": expected a path or glob, got " + show_value(c));
      continue;
    }
    const auto found = expand_glob(under(root, c.get<std::string>()));
    if (found.empty()) {
      issues.push_back(at + ": no file matches \"" + c.get<std::string>() + "\" (relative paths " +
                       "start at " + root.string() + ", the folder above the sweep file's)");
    }
    for (const auto& f : found)
      if (seen.insert(f).second) p.config_files.push_back(f);
  }
}

void parse_datasets(const json& spec, const fs::path& root,
                    const std::map<std::string, std::string>& data_paths, Parsed& p,
                    std::vector<std::string>& issues) {
  if (spec.contains("datasets")) {
    const json& ds = spec["datasets"];
    if (!ds.is_object() || ds.empty()) {
      issues.push_back("/datasets: expected an object {name: data node}, got " + show_value(ds));
    } else {
      for (const auto& [name, node] : ds.items()) {
        const std::string at = pointer_append("/datasets", name);
        if (name.empty()) {
          issues.push_back(at + ": a data set needs a non-empty name");
          continue;
        }
        json data = node.is_string() ? json{{"type", node}} : node;
        if (!data.is_object()) {
          issues.push_back(at + ": expected a data node (a dataset name or {\"type\": ...}), got " +
                           show_value(node));
          continue;
        }
        const auto cli = data_paths.find(name);
        if (cli != data_paths.end()) {
          // A file from the command line replaces whatever the sweep file says about the source.
          json file = {{"type", "file"},
                       {"path", fs::absolute(cli->second).lexically_normal().string()}};
          if (data.value("type", json()) == "file")
            for (const auto& [k, v] : data.items())
              if (k != "type" && k != "path") file[k] = v;
          data = file;
        } else if (data.value("type", json()) == "file") {
          if (!data.contains("path") || !data["path"].is_string() ||
              data["path"].get<std::string>().empty()) {
            issues.push_back(at + ": no data file given; pass --data " + name + "=PATH");
            continue;
          }
          data["path"] = under(root, data["path"].get<std::string>()).string();
        }
        if (data.value("type", json()) == "file" && data.contains("path") &&
            data["path"].is_string()) {
          std::error_code ec;
          if (!fs::is_regular_file(data["path"].get<std::string>(), ec))
            issues.push_back(at + ": data file " + data["path"].get<std::string>() +
                             " does not exist (pass --data " + name + "=PATH)");
        }
        p.datasets.emplace_back(name, data);
      }
    }
  }
  for (const auto& [name, path] : data_paths) {
    if (!spec.contains("datasets") || !spec["datasets"].is_object() ||
        !spec["datasets"].contains(name)) {
      std::vector<std::string> names;
      if (spec.contains("datasets") && spec["datasets"].is_object())
        for (const auto& [n, v] : spec["datasets"].items()) names.push_back(n);
      std::string msg =
          "--data " + name + "=" + path + ": this sweep has no data set \"" + name + "\"";
      const auto guess = closest_match(name, names);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      issues.push_back(msg);
    }
  }
  if (p.datasets.empty()) p.datasets.emplace_back("", nullptr);  // each config's own data
}

void parse_labels(const json& spec, const fs::path& root,
                  const std::map<std::string, std::string>& label_paths, const Parsed& p,
                  Sweep& sweep, std::vector<std::string>& issues) {
  auto known = [&](const std::string& name) {
    return std::any_of(p.datasets.begin(), p.datasets.end(),
                       [&](const auto& d) { return !d.first.empty() && d.first == name; });
  };
  if (spec.contains("labels")) {
    if (!spec["labels"].is_object()) {
      issues.push_back("/labels: expected an object {data set name: labels file}, got " +
                       show_value(spec["labels"]));
    } else {
      for (const auto& [name, path] : spec["labels"].items()) {
        const std::string at = pointer_append("/labels", name);
        if (!path.is_string())
          issues.push_back(at + ": expected a file path, got " + show_value(path));
        else if (!known(name))
          issues.push_back(at + ": no data set \"" + name + "\" in /datasets");
        else
          sweep.labels[name] = under(root, path.get<std::string>()).string();
      }
    }
  }
  for (const auto& [name, path] : label_paths) {
    if (!known(name))
      issues.push_back("--labels " + name + "=" + path + ": this sweep has no data set \"" + name +
                       "\"");
    else
      sweep.labels[name] = fs::absolute(path).lexically_normal().string();
  }
  for (const auto& [name, path] : sweep.labels) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
      issues.push_back("labels of data set \"" + name + "\": " + path + " does not exist");
  }
}

void parse_seeds(const json& spec, Parsed& p, std::vector<std::string>& issues) {
  if (!spec.contains("seeds")) return;
  const json& s = spec["seeds"];
  if (!s.is_array() || s.empty()) {
    issues.push_back("/seeds: expected a non-empty list of integers >= 0, got " + show_value(s));
    return;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::string at = pointer_append("/seeds", i);
    if (!s[i].is_number_unsigned()) {
      issues.push_back(at + ": expected an integer >= 0, got " + show_value(s[i]));
    } else if (std::find(p.seeds.begin(), p.seeds.end(), s[i].get<std::uint64_t>()) !=
               p.seeds.end()) {
      issues.push_back(at + ": duplicate seed " + s[i].dump());
    } else {
      p.seeds.push_back(s[i].get<std::uint64_t>());
    }
  }
}

void parse_fixed_and_axes(const json& spec, Parsed& p, std::vector<std::string>& pointers,
                          std::vector<std::string>& issues) {
  std::vector<std::pair<std::string, std::string>> taken;  // pointer, where
  if (p.seeds.size() > 0) taken.emplace_back("/model/seed", "/seeds");
  if (spec.contains("set")) {
    if (!spec["set"].is_object()) {
      issues.push_back("/set: expected an object {\"/json/pointer\": value}, got " +
                       show_value(spec["set"]));
    } else {
      for (const auto& [ptr, value] : spec["set"].items()) {
        if (!is_json_pointer(ptr)) {
          issues.push_back("/set: \"" + ptr + "\" is not a JSON pointer into the config (e.g. " +
                           "/model/n_archetypes)");
          continue;
        }
        p.fixed[ptr] = value;
        p.where[ptr] = pointer_append("/set", ptr);
        taken.emplace_back(ptr, p.where[ptr]);
      }
    }
  }
  if (spec.contains("axes")) {
    if (!spec["axes"].is_array()) {
      issues.push_back("/axes: expected a list of axes, got " + show_value(spec["axes"]));
    } else {
      for (std::size_t a = 0; a < spec["axes"].size(); ++a) {
        const std::size_t first = pointers.size();
        const std::string at = pointer_append("/axes", a);
        parse_axis(spec["axes"][a], at, pointers, p.axes, issues);
        for (std::size_t i = first; i < pointers.size(); ++i) {
          const std::string kind = spec["axes"][a].contains("grid")  ? "grid"
                                   : spec["axes"][a].contains("zip") ? "zip"
                                                                     : "random";
          p.where[pointers[i]] = pointer_append(pointer_append(at, kind), pointers[i]);
        }
      }
    }
  }
  // Overlaps between axes, /set and /seeds (exact duplicates among axes are reported by
  // parse_axis).
  for (std::size_t i = 0; i < pointers.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (pointers[i] != pointers[j] && overlap(pointers[i], pointers[j]))
        issues.push_back(p.where[pointers[i]] + ": overlapping axes " + pointers[j] + " and " +
                         pointers[i] + " (one would overwrite the other)");
    for (const auto& [ptr, at] : taken)
      if (overlap(pointers[i], ptr))
        issues.push_back(p.where[pointers[i]] + ": duplicate axis: " + pointers[i] +
                         " is swept here and also set by " + at);
  }
}

std::size_t positive(const json& spec, const char* key, std::vector<std::string>& issues) {
  if (!spec.contains(key)) return 0;
  if (!spec[key].is_number_unsigned() || spec[key].get<std::uint64_t>() < 1) {
    issues.push_back(std::string("/") + key + ": expected an integer >= 1, got " +
                     show_value(spec[key]));
    return 0;
  }
  return spec[key].get<std::size_t>();
}

}  // namespace

Sweep load_sweep(const fs::path& file, const std::map<std::string, std::string>& data_paths,
                 const std::map<std::string, std::string>& label_paths, const Registry& registry) {
  const json spec = read_json_file(file);
  const std::string src = file.string();
  if (!spec.is_object()) throw ConfigError({src + ": expected a JSON object at the top level"});
  std::vector<std::string> issues;
  for (const auto& [key, value] : spec.items()) {
    if (std::find(sweep_keys().begin(), sweep_keys().end(), key) != sweep_keys().end()) continue;
    std::string msg = pointer_append("", key) + ": unknown key";
    const auto guess = closest_match(key, sweep_keys());
    if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
    std::string allowed;
    for (const auto& k : sweep_keys()) allowed += (allowed.empty() ? "" : ", ") + k;
    issues.push_back(msg + "; allowed: " + allowed);
  }

  Sweep sweep;
  sweep.file = file;
  sweep.spec = spec;
  sweep.root = fs::absolute(file).lexically_normal().parent_path().parent_path();
  sweep.name = file.stem().string();
  if (spec.contains("name")) {
    if (!spec["name"].is_string() || spec["name"].get<std::string>().empty() ||
        spec["name"].get<std::string>().find('/') != std::string::npos)
      issues.push_back("/name: expected a non-empty string without '/' (it names the default " +
                       std::string("output folder results/<name>), got ") +
                       show_value(spec["name"]));
    else
      sweep.name = spec["name"].get<std::string>();
  }

  Parsed p;
  parse_configs(spec, sweep.root, p, issues);
  parse_datasets(spec, sweep.root, data_paths, p, issues);
  parse_labels(spec, sweep.root, label_paths, p, sweep, issues);
  parse_seeds(spec, p, issues);
  parse_fixed_and_axes(spec, p, sweep.axis_pointers, issues);
  sweep.concurrent_runs = positive(spec, "runs", issues);
  sweep.threads_per_run = positive(spec, "threads_per_run", issues);
  if (!issues.empty()) {
    for (auto& issue : issues)
      if (issue.rfind("--", 0) != 0 && issue.rfind("labels of", 0) != 0) issue = src + ": " + issue;
    throw ConfigError(std::move(issues));
  }

  // Expansion: every run's config is resolved now, so nothing can fail on a value later.
  std::vector<std::string> problems;
  std::set<std::string> reported;
  auto report = [&](const std::string& issue) {
    if (reported.insert(issue).second) problems.push_back(issue);
  };
  auto assign = [&](json& config, const std::string& ptr, const json& value,
                    const std::string& config_file) {
    if (!config.contains(json::json_pointer(ptr))) {
      report(src + ": " + p.where[ptr] + ": " + missing_key(config, ptr, config_file));
      return false;
    }
    config[json::json_pointer(ptr)] = value;
    return true;
  };
  const std::vector<json> points = expand(p.axes);
  std::set<std::string> ids;
  std::map<std::string, std::string> names;  // config name -> file
  for (const auto& config_file : p.config_files) {
    const std::string cf = config_file.string();
    json raw;
    try {
      raw = read_json_file(config_file);
      if (raw.is_object() && !raw.contains("name")) raw["name"] = config_file.stem().string();
      raw = resolve_config(raw, registry, cf);
    } catch (const ConfigError& e) {
      for (const auto& i : e.issues()) report(src + ": " + i);
      continue;
    }
    const std::string config_name = raw["name"].get<std::string>();
    if (names.count(config_name) && names[config_name] != cf) {
      report(src + ": " + cf + ": /name: \"" + config_name + "\" is also the name of " +
             names[config_name] + "; give each config of a sweep its own name");
      continue;
    }
    names[config_name] = cf;
    for (const auto& [dataset, data_node] : p.datasets) {
      json base = raw;
      if (!data_node.is_null()) {
        // Resolve with the data set first, so pointers into its defaults exist for /set and axes.
        base["data"] = data_node;
        try {
          base = resolve_config(base, registry, src + ": " + pointer_append("/datasets", dataset));
        } catch (const ConfigError& e) {
          for (const auto& i : e.issues()) report(i);
          continue;
        }
      }
      const json& data = base["data"];
      if (data.value("type", "") == "file") {
        std::error_code ec;
        const std::string path = data.value("path", "");
        if (!fs::is_regular_file(path, ec))
          report(src + ": " +
                 (dataset.empty() ? cf + ": /data/path" : pointer_append("/datasets", dataset)) +
                 ": data file " + path + " does not exist" +
                 (dataset.empty() ? "" : " (pass --data " + dataset + "=PATH)"));
      }
      bool ok = true;
      for (const auto& [ptr, value] : p.fixed.items()) ok = assign(base, ptr, value, cf) && ok;
      if (!ok) continue;
      const std::vector<std::uint64_t> seeds =
          p.seeds.empty() ? std::vector<std::uint64_t>{base["model"]["seed"].get<std::uint64_t>()}
                          : p.seeds;
      for (const json& point : points) {
        json config = base;
        bool point_ok = true;
        for (const auto& [ptr, value] : point.items())
          point_ok = assign(config, ptr, value, cf) && point_ok;
        // A point with a missing pointer is not run, but its other values are still checked.
        const std::string where = cf + (dataset.empty() ? "" : " on data set " + dataset) +
                                  (point.empty() ? std::string() : " with" + show_point(point));
        for (std::uint64_t seed : seeds) {
          json run_config = config;
          run_config["model"]["seed"] = seed;
          try {
            run_config = resolve_config(run_config, registry, src + ": " + where);
          } catch (const ConfigError& e) {
            for (const auto& i : e.issues()) report(i);
            break;  // the other seeds would only repeat the problem
          }
          if (!point_ok) break;
          PlannedRun run;
          run.resolved = std::move(run_config);
          run.id = run_id(run.resolved, dataset);
          run.config_name = config_name;
          run.config_file = cf;
          run.dataset = dataset;
          run.seed = seed;
          run.axis_values = point;
          run.group = config_name + (dataset.empty() ? "" : "@" + dataset) + show_point(point);
          // Equal points (e.g. an integer random axis drawing a value twice) run once.
          if (ids.insert(run.id).second) sweep.runs.push_back(std::move(run));
        }
      }
    }
  }
  if (!problems.empty()) throw ConfigError(std::move(problems));
  if (sweep.runs.empty()) throw ConfigError({src + ": the sweep expands to no runs"});
  return sweep;
}

}  // namespace kaa::sweep
