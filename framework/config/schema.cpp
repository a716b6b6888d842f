#include "framework/config/schema.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace kaa {

const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::number:
      return "number";
    case ParamType::integer:
      return "integer";
    case ParamType::boolean:
      return "boolean";
    case ParamType::string:
      return "string";
    case ParamType::choice:
      return "string";
    case ParamType::strategy:
      return "strategy";
  }
  return "?";
}

namespace {

std::string format_bound(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

bool is_integral(double v) { return std::isfinite(v) && std::floor(v) == v; }

}  // namespace

std::string ParamSpec::range_text() const {
  if (type == ParamType::choice) {
    std::string out = "one of: ";
    for (std::size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + choices[i];
    return out;
  }
  if (min && max) {
    return std::string(min_exclusive ? "(" : "[") + format_bound(*min) + ", " + format_bound(*max) +
           (max_exclusive ? ")" : "]");
  }
  if (min) return std::string(min_exclusive ? "> " : ">= ") + format_bound(*min);
  if (max) return std::string(max_exclusive ? "< " : "<= ") + format_bound(*max);
  return "";
}

std::string ParamSpec::type_text() const {
  if (type == ParamType::strategy && child_kind)
    return "strategy (" + std::string(to_string(*child_kind)) + ")";
  return to_string(type);
}

Schema::Field& Schema::Field::min(double v, bool exclusive) {
  spec().min = v;
  spec().min_exclusive = exclusive;
  return *this;
}
Schema::Field& Schema::Field::max(double v, bool exclusive) {
  spec().max = v;
  spec().max_exclusive = exclusive;
  return *this;
}
Schema::Field& Schema::Field::required() {
  spec().required = true;
  spec().default_value = nullptr;
  return *this;
}
Schema::Field& Schema::Field::doc(std::string text) {
  spec().doc = std::move(text);
  return *this;
}

Schema::Field& Schema::Field::applies_to(unsigned blocks) {
  spec().child_blocks = blocks;
  return *this;
}

Schema::Field Schema::add(ParamSpec spec) {
  params_.push_back(std::move(spec));
  return Field(*this, params_.size() - 1);
}
namespace {
ParamSpec make_spec(std::string name, ParamType type, nlohmann::json default_value) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(default_value);
  return spec;
}
}  // namespace

Schema::Field Schema::number(std::string name, double default_value) {
  return add(make_spec(std::move(name), ParamType::number, default_value));
}
Schema::Field Schema::integer(std::string name, long long default_value) {
  return add(make_spec(std::move(name), ParamType::integer, default_value));
}
Schema::Field Schema::boolean(std::string name, bool default_value) {
  return add(make_spec(std::move(name), ParamType::boolean, default_value));
}
Schema::Field Schema::string(std::string name, std::string default_value) {
  return add(make_spec(std::move(name), ParamType::string, std::move(default_value)));
}
Schema::Field Schema::choice(std::string name, std::string default_value,
                             std::vector<std::string> choices) {
  ParamSpec spec = make_spec(std::move(name), ParamType::choice, std::move(default_value));
  spec.choices = std::move(choices);
  return add(std::move(spec));
}
Schema::Field Schema::strategy(std::string name, Kind kind, nlohmann::json default_node) {
  ParamSpec spec = make_spec(std::move(name), ParamType::strategy, std::move(default_node));
  spec.child_kind = kind;
  return add(std::move(spec));
}

const ParamSpec* Schema::find(const std::string& name) const {
  for (const auto& p : params_)
    if (p.name == name) return &p;
  return nullptr;
}

namespace {

/// Checks one value against its spec; returns the normalised value or an error text.
std::optional<nlohmann::json> check_value(const ParamSpec& spec, const nlohmann::json& v,
                                          std::string& error) {
  auto expected = [&](const std::string& what) {
    error = "expected " + what + ", got " + show_value(v);
    return std::nullopt;
  };
  double number = 0.0;
  switch (spec.type) {
    case ParamType::boolean:
      if (!v.is_boolean()) return expected("a boolean");
      return v;
    case ParamType::strategy:
      return v;  // validated against the registry by the config loader
    case ParamType::string:
      if (!v.is_string()) return expected("a string");
      return v;
    case ParamType::choice: {
      if (!v.is_string()) return expected("a string (" + spec.range_text() + ")");
      const auto s = v.get<std::string>();
      if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
        error = "expected " + spec.range_text() + ", got " + show_value(v);
        const auto guess = closest_match(s, spec.choices);
        if (!guess.empty()) error += " (did you mean \"" + guess + "\"?)";
        return std::nullopt;
      }
      return v;
    }
    case ParamType::integer:
      if (!v.is_number() || !is_integral(v.get<double>())) {
        return expected("an integer" + (spec.range_text().empty() ? "" : " " + spec.range_text()));
      }
      number = v.get<double>();
      // Beyond 2^53 a double no longer holds every integer, and beyond 2^63 the conversion is
      // undefined (found by fuzz_config with 4e51).
      if (std::abs(number) > 9007199254740992.0) {
        error = "expected an integer of magnitude at most 2^53, got " + show_value(v);
        return std::nullopt;
      }
      break;
    case ParamType::number:
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        return expected("a number" + (spec.range_text().empty() ? "" : " " + spec.range_text()));
      }
      number = v.get<double>();
      break;
  }
  const bool below = spec.min && (spec.min_exclusive ? number <= *spec.min : number < *spec.min);
  const bool above = spec.max && (spec.max_exclusive ? number >= *spec.max : number > *spec.max);
  if (below || above) {
    error = "expected " +
            std::string(spec.type == ParamType::integer ? "an integer " : "a number ") +
            spec.range_text() + ", got " + show_value(v);
    return std::nullopt;
  }
  if (spec.type == ParamType::integer) return nlohmann::json(static_cast<long long>(number));
  return nlohmann::json(number);
}

}  // namespace

nlohmann::json Schema::resolve(const nlohmann::json& node, const std::string& path,
                               std::vector<std::string>& issues,
                               const std::vector<std::string>& reserved) const {
  nlohmann::json out = nlohmann::json::object();
  if (!node.is_object()) {
    issues.push_back(path + ": expected an object, got " + show_value(node));
    return out;
  }
  std::vector<std::string> allowed = reserved;
  for (const auto& p : params_) allowed.push_back(p.name);
  for (const auto& [key, value] : node.items()) {
    if (std::find(reserved.begin(), reserved.end(), key) != reserved.end()) {
      out[key] = value;
      continue;
    }
    const ParamSpec* spec = find(key);
    if (spec == nullptr) {
      std::string msg = pointer_append(path, key) + ": unknown key";
      const auto guess = closest_match(key, allowed);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      msg += "; allowed: ";
      for (std::size_t i = 0; i < params_.size(); ++i) msg += (i ? ", " : "") + params_[i].name;
      if (params_.empty()) msg += "(none)";
      issues.push_back(msg);
      continue;
    }
    std::string error;
    if (auto checked = check_value(*spec, value, error)) {
      out[key] = *checked;
    } else {
      issues.push_back(pointer_append(path, key) + ": " + error);
    }
  }
  for (const auto& p : params_) {
    if (out.contains(p.name) || node.contains(p.name)) continue;
    if (p.required) {
      issues.push_back(pointer_append(path, p.name) + ": missing required " + to_string(p.type) +
                       (p.doc.empty() ? "" : " (" + p.doc + ")"));
    } else {
      out[p.name] = p.default_value;
    }
  }
  return out;
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t above = row[j];
        const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                          std::tolower(static_cast<unsigned char>(b[j - 1]));
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string show_value(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string pointer_append(const std::string& path, const std::string& token) {
  std::string escaped;
  for (char c : token) {
    if (c == '~')
      escaped += "~0";
    else if (c == '/')
      escaped += "~1";
    else
      escaped += c;
  }
  return path + "/" + escaped;
}

std::string pointer_append(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

}  // namespace kaa
