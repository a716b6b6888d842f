#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/registry/kind.hpp"

namespace kaa {

/// `strategy`: a nested strategy node ({"type": name, params...}) of a given kind.
enum class ParamType { number, integer, boolean, string, choice, strategy };

const char* to_string(ParamType t);

/// One declared parameter of a strategy: what `kaa list` prints and what the loader validates.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::number;
  nlohmann::json default_value;  // null when required
  bool required = false;
  std::optional<double> min;
  bool min_exclusive = false;
  std::optional<double> max;
  bool max_exclusive = false;
  std::vector<std::string> choices;
  std::string doc;
  /// Strategy fields: the child's kind, and the blocks the child must apply to (projectors; 0 =
  /// any). The config loader resolves the child against the registry (resolve_strategy_node).
  std::optional<Kind> child_kind;
  unsigned child_blocks = 0;

  /// "[0, 1)", "> 0", "one of: mean, sum", or "" when unconstrained.
  std::string range_text() const;
  /// "number", ..., or "strategy (projector)" for a nested strategy.
  std::string type_text() const;
};

/// A strategy's declared parameters. One declaration drives validation, defaults, `kaa list`
/// and the generated config reference.
class Schema {
 public:
  class Field {
   public:
    Field(Schema& schema, std::size_t index) : schema_(schema), index_(index) {}
    Field& min(double v, bool exclusive = false);
    Field& max(double v, bool exclusive = false);
    Field& positive() { return min(0.0, true); }
    Field& non_negative() { return min(0.0); }
    Field& required();
    Field& doc(std::string text);
    /// Strategy fields: the child must apply to every block in this bit set.
    Field& applies_to(unsigned blocks);

   private:
    ParamSpec& spec() { return schema_.params_[index_]; }
    Schema& schema_;
    std::size_t index_;
  };

  Field number(std::string name, double default_value);
  Field integer(std::string name, long long default_value);
  Field boolean(std::string name, bool default_value);
  Field string(std::string name, std::string default_value);
  Field choice(std::string name, std::string default_value, std::vector<std::string> choices);
  /// A nested strategy of `kind`: a name or an object {"type": name, params...}, by default
  /// `default_node`. Schema::resolve keeps it as given (filling the default); the config loader
  /// validates it against the registry and fills the child's defaults.
  Field strategy(std::string name, Kind kind, nlohmann::json default_node);

  const std::vector<ParamSpec>& params() const { return params_; }
  const ParamSpec* find(const std::string& name) const;

  /// Validates `node` (an object whose keys are parameters, plus the reserved keys in
  /// `reserved`), appends one message per problem to `issues` prefixed by `path`, and returns the
  /// node with defaults filled and numbers normalised to the declared type.
  nlohmann::json resolve(const nlohmann::json& node, const std::string& path,
                         std::vector<std::string>& issues,
                         const std::vector<std::string>& reserved = {"type", "$comment"}) const;

 private:
  Field add(ParamSpec spec);
  std::vector<ParamSpec> params_;
};

/// "did you mean" helper: the closest candidate within a small edit distance, or "".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

/// Short JSON rendering of a value for error messages.
std::string show_value(const nlohmann::json& value);

/// Appends "/token" with JSON-pointer escaping.
std::string pointer_append(const std::string& path, const std::string& token);
std::string pointer_append(const std::string& path, std::size_t index);

}  // namespace kaa
