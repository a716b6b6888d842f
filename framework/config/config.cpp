#include "framework/config/config.hpp"

#include <fstream>
#include <sstream>

#include "framework/config/duplicate_keys.hpp"
#include "framework/config/strategy_nodes.hpp"
#include "framework/config/weighted_config.hpp"

namespace kaa {

namespace {

std::string line_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out;
}

}  // namespace

nlohmann::json read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path.string() + ": cannot open config file"});
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_json_text(buffer.str(), path.string());
}

nlohmann::json parse_json_text(const std::string& text, const std::string& source) {
  std::vector<std::string> duplicates;
  nlohmann::json parsed;
  try {
    parsed = parse_noting_duplicate_keys(text, duplicates);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's byte is one past the offending character.
    const std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    const auto cut = what.find("parse error");
    if (cut != std::string::npos) what = what.substr(cut);
    throw ConfigError({source + ":" + line_column(text, byte) + ": malformed JSON: " + what});
  } catch (const nlohmann::json::exception& e) {
    // e.g. a number too large for any JSON number type (out_of_range.406); found by fuzz_config.
    std::string what = e.what();
    const auto cut = what.find(']');
    if (cut != std::string::npos) what = what.substr(cut + 2);
    if (what.size() > 200) what = what.substr(0, 200) + "...";
    throw ConfigError({source + ": malformed JSON: " + what});
  }
  if (!duplicates.empty()) {
    std::vector<std::string> issues;
    for (const auto& pointer : duplicates)
      issues.push_back(source + ": " + pointer +
                       ": duplicate key (JSON keeps only the last value; remove one)");
    throw ConfigError(std::move(issues));
  }
  return parsed;
}

void apply_override(nlohmann::json& raw, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || assignment.empty() || assignment[0] != '/') {
    throw ConfigError({"--set " + assignment + ": expected <json pointer>=<value>, e.g. " +
                       "/model/n_archetypes=4"});
  }
  const std::string pointer = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    value =
        text;  // not JSON (or a number out of range): taken as a string, which the schema checks
  }
  try {
    raw[nlohmann::json::json_pointer(pointer)] = value;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError({"--set " + assignment + ": " + e.what()});
  }
}

const char* to_string(Precision precision) {
  return precision == Precision::float64 ? "float64" : "float32";
}

const BoundSchema<ModelSettings>& model_schema() {
  static const BoundSchema<ModelSettings> schema = [] {
    using M = ModelSettings;
    BoundSchema<M> s;
    s.integer("n_archetypes", &M::n_archetypes).required().min(1).doc("number of archetypes k");
    s.choice("precision", &M::precision,
             {{to_string(Precision::float32), Precision::float32},
              {to_string(Precision::float64), Precision::float64}})
        .doc("scalar type of every array and kernel");
    s.integer("seed", &M::seed).non_negative().doc("seed of every random choice in the fit");
    s.integer("n_column_archetypes", &M::n_column_archetypes)
        .non_negative()
        .doc("column archetypes kc (biarchetypal models; 0 when unused)");
    s.boolean("normalize", &M::normalize)
        .doc("fit on z-scored features (std < 1e-10 -> 1); results reported in original units");
    return s;
  }();
  return schema;
}

ModelSettings model_settings(const nlohmann::json& resolved_config) {
  return model_schema().bind(resolved_config.at("model"));
}

const Schema& checkpoint_schema() {
  static const Schema schema = [] {
    Schema s;
    s.integer("every", 0)
        .non_negative()
        .doc("save the fit's state every this many updates (0 = not by count)");
    s.number("seconds", 300.0)
        .non_negative()
        .doc("save the fit's state when this many seconds passed since the last save (0 = never)");
    return s;
  }();
  return schema;
}

std::string block_names(unsigned blocks) {
  std::string out;
  for (Block b : kBlocks)
    if (blocks & bit(b)) out += (out.empty() ? "" : ", ") + std::string(to_string(b));
  return out;
}

namespace {

/// An issue at `path`/type unless strategy `info` applies to every block in `blocks`.
void require_applies_to(const StrategyInfo& info, unsigned blocks, const std::string& path,
                        std::vector<std::string>& issues) {
  if ((info.blocks & blocks) == blocks) return;
  issues.push_back(path + "/type: " + to_string(info.kind) + " \"" + info.name +
                   "\" cannot be applied to " + block_names(blocks) + " (it applies to " +
                   block_names(info.blocks) + ")");
}

}  // namespace

nlohmann::json resolve_strategy_node(const nlohmann::json& node, Kind kind,
                                     const Registry& registry, const std::string& path,
                                     std::vector<std::string>& issues) {
  nlohmann::json object;
  if (node.is_string()) {
    object = {{"type", node}};
  } else if (node.is_object()) {
    object = node;
  } else {
    issues.push_back(path + ": expected a " + to_string(kind) +
                     " name or an object with \"type\", got " + show_value(node));
    return nullptr;
  }
  if (!object.contains("type") || !object["type"].is_string()) {
    issues.push_back(pointer_append(path, "type") + ": missing " + to_string(kind) +
                     " name; registered: " + join(registry.names(kind)));
    return nullptr;
  }
  const std::string name = object["type"].get<std::string>();
  const StrategyInfo* info = registry.find(kind, name);
  if (info == nullptr) {
    std::string msg =
        pointer_append(path, "type") + ": unknown " + to_string(kind) + " \"" + name + "\"";
    const auto guess = closest_match(name, registry.names(kind));
    if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
    issues.push_back(msg + "; registered: " + join(registry.names(kind)));
    return nullptr;
  }
  nlohmann::json out = info->schema.resolve(object, path, issues);
  for (const ParamSpec& field : info->schema.params()) {
    if (field.type != ParamType::strategy || !out.contains(field.name)) continue;
    const std::string child_path = pointer_append(path, field.name);
    nlohmann::json child =
        resolve_strategy_node(out[field.name], *field.child_kind, registry, child_path, issues);
    if (child.is_object() && field.child_blocks != 0) {
      require_applies_to(*registry.find(*field.child_kind, child["type"].get<std::string>()),
                         field.child_blocks, child_path, issues);
    }
    out[field.name] = std::move(child);
  }
  return out;
}

namespace {

nlohmann::json resolve_list(const nlohmann::json& raw, const char* key, Kind kind,
                            const Registry& registry, std::vector<std::string>& issues) {
  const std::string path = std::string("/") + key;
  nlohmann::json out = nlohmann::json::array();
  if (!raw.is_array()) {
    issues.push_back(path + ": expected a list of " + to_string(kind) + " entries, got " +
                     show_value(raw));
    return out;
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    out.push_back(resolve_strategy_node(raw[i], kind, registry, pointer_append(path, i), issues));
  }
  return out;
}

unsigned declared_blocks(const Registry& registry, Kind kind, const nlohmann::json& node) {
  if (!node.is_object()) return kBaseBlocks;
  const StrategyInfo* info = registry.find(kind, node["type"].get<std::string>());
  return info == nullptr || info->blocks == 0 ? kBaseBlocks : info->blocks;
}

}  // namespace

unsigned needed_blocks(const nlohmann::json& resolved, const Registry& registry) {
  unsigned blocks = kBaseBlocks;
  if (resolved.contains("optimizer"))
    blocks |= declared_blocks(registry, Kind::optimizer, resolved["optimizer"]);
  if (resolved.contains("loss") && resolved["loss"].is_array())
    for (const auto& term : resolved["loss"]) blocks |= declared_blocks(registry, Kind::loss, term);
  return blocks;
}

nlohmann::json resolve_config(const nlohmann::json& raw, const Registry& registry,
                              const std::string& source) {
  std::vector<std::string> issues;
  if (!raw.is_object()) throw ConfigError({source + ": expected a JSON object at the top level"});

  const std::vector<std::string> sections{
      "$comment",   "name",  "model",    "data",    "initializers", "loss",      "optimizer",
      "projectors", "hooks", "stopping", "metrics", "transform",    "checkpoint"};
  for (const auto& [key, value] : raw.items()) {
    if (std::find(sections.begin(), sections.end(), key) == sections.end()) {
      std::string msg = pointer_append("", key) + ": unknown key";
      const auto guess = closest_match(key, sections);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      issues.push_back(msg + "; allowed: " + join(sections));
    }
  }
  auto require = [&](const char* key) {
    if (!raw.contains(key)) issues.push_back(std::string("/") + key + ": missing required section");
    return raw.contains(key);
  };

  nlohmann::json out = nlohmann::json::object();
  if (raw.contains("$comment")) out["$comment"] = raw["$comment"];
  if (raw.contains("name") && !raw["name"].is_string()) {
    issues.push_back("/name: expected a string, got " + show_value(raw["name"]));
  }
  // A non-string name is reported above; value() would throw on it (found by fuzz_config).
  out["name"] =
      raw.contains("name") && raw["name"].is_string() ? raw["name"] : nlohmann::json("kaa");
  if (require("model")) out["model"] = model_schema().resolve(raw["model"], "/model", issues, {});
  out["data"] = resolve_strategy_node(raw.value("data", nlohmann::json("synthetic")), Kind::dataset,
                                      registry, "/data", issues);
  if (require("initializers")) {
    out["initializers"] =
        resolve_list(raw["initializers"], "initializers", Kind::initializer, registry, issues);
  }
  if (require("loss")) {
    out["loss"] = resolve_list(raw["loss"], "loss", Kind::loss, registry, issues);
    if (out["loss"].empty()) issues.push_back("/loss: needs at least one loss term");
  }
  if (require("optimizer")) {
    out["optimizer"] =
        resolve_strategy_node(raw["optimizer"], Kind::optimizer, registry, "/optimizer", issues);
  }

  out["projectors"] = nlohmann::json::object();
  const unsigned blocks = needed_blocks(out, registry);
  const nlohmann::json projectors = raw.value("projectors", nlohmann::json::object());
  if (!projectors.is_object()) {
    issues.push_back("/projectors: expected an object with keys " + block_names(blocks) + ", got " +
                     show_value(projectors));
  } else {
    std::vector<std::string> allowed;
    for (Block b : kBlocks)
      if (blocks & bit(b)) allowed.push_back(to_string(b));
    for (const auto& [key, value] : projectors.items()) {
      if (key == "$comment" || std::find(allowed.begin(), allowed.end(), key) != allowed.end())
        continue;
      std::string msg = "/projectors/" + key + ": unknown key";
      const auto guess = closest_match(key, allowed);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      issues.push_back(
          msg + "; allowed here: " + block_names(blocks) +
          " (the other blocks exist only when the optimizer or a loss term uses them)");
    }
    for (Block b : kBlocks) {
      if ((blocks & bit(b)) == 0) continue;
      const std::string key = to_string(b);
      const std::string path = "/projectors/" + key;
      auto node = resolve_strategy_node(projectors.value(key, nlohmann::json("none")),
                                        Kind::projector, registry, path, issues);
      if (node.is_object()) {
        const StrategyInfo* info = registry.find(Kind::projector, node["type"]);
        require_applies_to(*info, bit(b), path, issues);
        // A derived block would be overwritten after every step; projecting it is a mistake.
        if (b == Block::archetypes && (blocks & bit(Block::mixing)) && info->name != "none") {
          issues.push_back(path + "/type: projector \"" + info->name +
                           "\" on archetypes cannot be combined with /optimizer/type \"" +
                           (out["optimizer"].is_object()
                                ? out["optimizer"]["type"].get<std::string>()
                                : std::string("?")) +
                           "\", which parameterises archetypes as mixing x X (they are in the hull "
                           "by construction); use \"none\"");
        }
      }
      out["projectors"][key] = node;
    }
  }
  out["hooks"] = resolve_list(raw.value("hooks", nlohmann::json::array()), "hooks", Kind::hook,
                              registry, issues);

  if (require("stopping")) {
    out["stopping"] = resolve_list(raw["stopping"], "stopping", Kind::stopping, registry, issues);
    bool bounded = false;
    for (const auto& rule : out["stopping"])
      if (rule.is_object() && rule["type"] == "max_iter") bounded = true;
    if (out["stopping"].is_array() && !bounded && issues.empty()) {
      issues.push_back("/stopping: needs a \"max_iter\" rule so that every fit ends");
    }
  }
  // The cheap metrics (O(n k) or O(k^2 d)); hull_distance costs a pass over X per iteration and
  // stays opt-in.
  const nlohmann::json default_metrics = {"rss",
                                          "explained_variance",
                                          "weight_entropy",
                                          "weight_sparsity",
                                          "archetype_separation",
                                          "recovery_error"};
  out["metrics"] = resolve_list(raw.value("metrics", default_metrics), "metrics", Kind::metric,
                                registry, issues);
  out["checkpoint"] = checkpoint_schema().resolve(raw.value("checkpoint", nlohmann::json::object()),
                                                  "/checkpoint", issues, {"$comment"});
  out["transform"] =
      resolve_strategy_node(raw.value("transform", nlohmann::json("projected_gradient")),
                            Kind::transform, registry, "/transform", issues);

  // Cross-section checks only make sense on a config whose every node resolved.
  if (issues.empty()) {
    for_each_strategy_node(
        out, [&](Kind kind, const nlohmann::json& node, const std::string& path) {
          const StrategyInfo* info = registry.find(kind, node.at("type").get<std::string>());
          if (info != nullptr && info->check) info->check(out, path, issues);
        });
    if (out.contains("data") && declares_row_weights(out.at("data"))) {
      const auto weighted = weighted_issues(out, registry, "/data names them");
      issues.insert(issues.end(), weighted.begin(), weighted.end());
    }
  }

  if (!issues.empty()) {
    for (auto& issue : issues) issue = source + ": " + issue;
    throw ConfigError(std::move(issues));
  }
  return out;
}

}  // namespace kaa
