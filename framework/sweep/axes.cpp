#include "framework/sweep/axes.hpp"

#include <algorithm>
#include <cmath>

#include "framework/config/schema.hpp"

namespace kaa::sweep {

using json = nlohmann::json;

double uniform01(std::uint64_t seed, std::uint64_t counter) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (counter + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

bool is_json_pointer(const std::string& pointer) {
  if (pointer.size() < 2 || pointer[0] != '/') return false;
  try {
    json::json_pointer p(pointer);
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

namespace {

const std::vector<std::string> kAxisKeys{"$comment", "grid", "zip", "random", "count", "seed"};
const std::vector<std::string> kRangeKeys{"low", "high", "log", "integer"};

/// Checks a pointer of an axis: syntax and uniqueness over the whole sweep.
bool take_pointer(const std::string& ptr, const std::string& where,
                  std::vector<std::string>& pointers, std::vector<std::string>& issues) {
  if (!is_json_pointer(ptr)) {
    issues.push_back(where + ": \"" + ptr +
                     "\" is not a JSON pointer into the config (e.g. /optimizer/learning_rate)");
    return false;
  }
  if (std::find(pointers.begin(), pointers.end(), ptr) != pointers.end()) {
    issues.push_back(pointer_append(where, ptr) + ": duplicate axis " + ptr +
                     " (each pointer may be swept by one axis only)");
    return false;
  }
  pointers.push_back(ptr);
  return true;
}

bool non_empty_list(const json& values, const std::string& where,
                    std::vector<std::string>& issues) {
  if (!values.is_array()) {
    issues.push_back(where + ": expected a list of values, got " + show_value(values));
    return false;
  }
  if (values.empty()) {
    issues.push_back(where + ": empty axis (expected a non-empty list of values)");
    return false;
  }
  return true;
}

void parse_grid(const json& body, const std::string& where, std::vector<std::string>& pointers,
                std::vector<Axis>& out, std::vector<std::string>& issues) {
  for (const auto& [ptr, values] : body.items()) {
    if (!take_pointer(ptr, where, pointers, issues)) continue;
    if (!non_empty_list(values, pointer_append(where, ptr), issues)) continue;
    Axis axis;
    for (const auto& v : values) axis.push_back({{ptr, v}});
    out.push_back(std::move(axis));
  }
}

void parse_zip(const json& body, const std::string& where, std::vector<std::string>& pointers,
               std::vector<Axis>& out, std::vector<std::string>& issues) {
  std::vector<std::pair<std::string, const json*>> lists;
  std::size_t length = 0;
  std::string first;
  bool ok = true;
  for (const auto& [ptr, values] : body.items()) {
    if (!take_pointer(ptr, where, pointers, issues) ||
        !non_empty_list(values, pointer_append(where, ptr), issues)) {
      ok = false;
      continue;
    }
    if (!lists.empty() && values.size() != length) {
      issues.push_back(pointer_append(where, ptr) + ": " + std::to_string(values.size()) +
                       " values, but " + first + " in the same zip has " + std::to_string(length) +
                       " (zipped lists are paired element by element)");
      ok = false;
      continue;
    }
    if (lists.empty()) {
      length = values.size();
      first = ptr;
    }
    lists.emplace_back(ptr, &values);
  }
  if (!ok || lists.empty()) return;
  Axis axis(length);
  for (std::size_t i = 0; i < length; ++i)
    for (const auto& [ptr, values] : lists) axis[i].emplace_back(ptr, (*values)[i]);
  out.push_back(std::move(axis));
}

void parse_random(const json& axis_node, const json& body, const std::string& path,
                  const std::string& where, std::vector<std::string>& pointers,
                  std::vector<Axis>& out, std::vector<std::string>& issues) {
  const std::size_t before = issues.size();
  std::size_t count = 0;
  if (!axis_node.contains("count") || !axis_node["count"].is_number_unsigned() ||
      axis_node["count"].get<std::uint64_t>() < 1) {
    issues.push_back(
        pointer_append(path, "count") +
        ": a random axis needs \"count\", an integer >= 1 (the number of points)" +
        (axis_node.contains("count") ? ", got " + show_value(axis_node["count"]) : ""));
  } else {
    count = axis_node["count"].get<std::size_t>();
  }
  std::uint64_t seed = 0;
  if (axis_node.contains("seed")) {
    if (axis_node["seed"].is_number_unsigned())
      seed = axis_node["seed"].get<std::uint64_t>();
    else
      issues.push_back(pointer_append(path, "seed") + ": expected an integer >= 0, got " +
                       show_value(axis_node["seed"]));
  }
  struct Range {
    std::string ptr;
    double low, high;
    bool log, integer;
  };
  std::vector<Range> ranges;
  for (const auto& [ptr, r] : body.items()) {
    const std::string rp = pointer_append(where, ptr);
    if (!take_pointer(ptr, where, pointers, issues)) continue;
    if (!r.is_object()) {
      issues.push_back(rp + ": expected {\"low\": number, \"high\": number, \"log\": bool, " +
                       "\"integer\": bool}, got " + show_value(r));
      continue;
    }
    bool ok = true;
    for (const auto& [key, value] : r.items()) {
      if (std::find(kRangeKeys.begin(), kRangeKeys.end(), key) != kRangeKeys.end()) continue;
      std::string msg = pointer_append(rp, key) + ": unknown key";
      const auto guess = closest_match(key, kRangeKeys);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      issues.push_back(msg + "; allowed: low, high, log, integer");
      ok = false;
    }
    for (const char* key : {"low", "high"}) {
      if (!r.contains(key) || !r[key].is_number()) {
        issues.push_back(pointer_append(rp, key) + ": expected a number" +
                         (r.contains(key) ? ", got " + show_value(r[key]) : " (missing)"));
        ok = false;
      }
    }
    for (const char* key : {"log", "integer"}) {
      if (r.contains(key) && !r[key].is_boolean()) {
        issues.push_back(pointer_append(rp, key) + ": expected true or false, got " +
                         show_value(r[key]));
        ok = false;
      }
    }
    if (!ok) continue;
    Range range{ptr, r["low"].get<double>(), r["high"].get<double>(), r.value("log", false),
                r.value("integer", false)};
    if (!(range.low < range.high)) {
      issues.push_back(rp + ": empty range (low " + show_value(r["low"]) + " must be < high " +
                       show_value(r["high"]) + ")");
      continue;
    }
    if (range.log && range.low <= 0) {
      issues.push_back(pointer_append(rp, "low") + ": a log-scale range needs low > 0, got " +
                       show_value(r["low"]));
      continue;
    }
    if (range.integer &&
        (range.low != std::floor(range.low) || range.high != std::floor(range.high))) {
      issues.push_back(rp + ": an integer range needs whole numbers for low and high");
      continue;
    }
    ranges.push_back(range);
  }
  if (issues.size() != before || ranges.empty()) return;
  Axis axis(count);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t r = 0; r < ranges.size(); ++r) {
      const Range& g = ranges[r];
      // One stream per range, so adding a range does not change the draws of the others.
      const double u = uniform01(seed ^ (0x632be59bd9b4e019ULL * (r + 1)), i);
      // Integers are drawn over [low, high + 1) and floored: every integer of low..high is
      // equally likely (log-uniformly when log is set).
      const double hi = g.integer ? g.high + 1 : g.high;
      const double v = g.log ? std::exp(std::log(g.low) + u * (std::log(hi) - std::log(g.low)))
                             : g.low + u * (hi - g.low);
      if (g.integer)
        axis[i].emplace_back(g.ptr, json(static_cast<long long>(std::min(std::floor(v), g.high))));
      else
        axis[i].emplace_back(g.ptr, json(v));
    }
  }
  out.push_back(std::move(axis));
}

}  // namespace

void parse_axis(const json& axis, const std::string& path, std::vector<std::string>& pointers,
                std::vector<Axis>& out, std::vector<std::string>& issues) {
  if (!axis.is_object()) {
    issues.push_back(path + ": expected {\"grid\": {...}}, {\"zip\": {...}} or " +
                     "{\"random\": {...}, \"count\": N, \"seed\": S}, got " + show_value(axis));
    return;
  }
  for (const auto& [key, value] : axis.items()) {
    if (std::find(kAxisKeys.begin(), kAxisKeys.end(), key) != kAxisKeys.end()) continue;
    std::string msg = pointer_append(path, key) + ": unknown key";
    const auto guess = closest_match(key, kAxisKeys);
    if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
    issues.push_back(msg + "; an axis is one of grid, zip, random (with count and seed)");
  }
  const int kinds = axis.contains("grid") + axis.contains("zip") + axis.contains("random");
  if (kinds != 1) {
    issues.push_back(path + ": an axis has exactly one of \"grid\", \"zip\", \"random\"" +
                     (kinds == 0 ? "" : std::string(", not several")));
    return;
  }
  const std::string kind = axis.contains("grid") ? "grid" : axis.contains("zip") ? "zip" : "random";
  if (kind != "random" && (axis.contains("count") || axis.contains("seed")))
    issues.push_back(path + ": \"count\" and \"seed\" belong to random axes only");
  const json& body = axis[kind];
  const std::string where = pointer_append(path, kind);
  if (!body.is_object() || body.empty()) {
    issues.push_back(where + ": expected an object {\"/json/pointer\": ...} with at least one " +
                     "pointer, got " + show_value(body));
    return;
  }
  if (kind == "grid")
    parse_grid(body, where, pointers, out, issues);
  else if (kind == "zip")
    parse_zip(body, where, pointers, out, issues);
  else
    parse_random(axis, body, path, where, pointers, out, issues);
}

std::vector<json> expand(const std::vector<Axis>& axes) {
  std::vector<json> points;
  for (const Axis& a : axes)
    if (a.empty()) return points;
  std::vector<std::size_t> index(axes.size(), 0);
  for (;;) {
    json point = json::object();
    for (std::size_t a = 0; a < axes.size(); ++a)
      for (const auto& [ptr, value] : axes[a][index[a]]) point[ptr] = value;
    points.push_back(std::move(point));
    std::size_t a = axes.size();
    while (a > 0 && ++index[a - 1] == axes[a - 1].size()) index[--a] = 0;
    if (a == 0) break;
  }
  return points;
}

}  // namespace kaa::sweep
