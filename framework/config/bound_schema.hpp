#pragma once
#include <concepts>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/error.hpp"

namespace kaa {

/// A Schema whose every parameter is tied to a member of a typed struct P, so a key is written
/// once: in the declaration. Its default is the member's initial value in P{}, its value after
/// resolution reaches the strategy through bind(). In the spirit of deal.II's ParameterHandler
/// (declare, then read into a struct) and Ginkgo's parameter declarations.
///
///   struct Params { double delta = 1e-3; Reduction reduction = Reduction::mean; };
///   BoundSchema<Params> s;
///   s.number("delta", &Params::delta).positive().doc("...");
///   s.choice("reduction", &Params::reduction, {{"mean", Reduction::mean}, {"sum",
///   Reduction::sum}}); Params p = s.bind(resolved_node);
template <class P>
class BoundSchema : public Schema {
 public:
  Field number(std::string name, double P::*member) {
    bind_value(name, member);
    return Schema::number(std::move(name), defaults().*member);
  }

  /// Any integral member (int, long, std::size_t, std::uint64_t, ...) except bool.
  template <std::integral T>
  requires(!std::same_as<T, bool>) Field integer(std::string name, T P::*member) {
    bind_value(name, member);
    return Schema::integer(std::move(name), static_cast<long long>(defaults().*member));
  }

  Field boolean(std::string name, bool P::*member) {
    bind_value(name, member);
    return Schema::boolean(std::move(name), defaults().*member);
  }

  Field string(std::string name, std::string P::*member) {
    bind_value(name, member);
    return Schema::string(std::move(name), defaults().*member);
  }

  /// A nested strategy (Schema::strategy), kept as its resolved node {"type": name, params...}
  /// for the strategy to build through the registry; its default is the member's initial node.
  Field strategy(std::string name, nlohmann::json P::*member, Kind kind) {
    bind_value(name, member);
    return Schema::strategy(std::move(name), kind, defaults().*member);
  }

  /// A choice kept as its string.
  Field choice(std::string name, std::string P::*member, std::vector<std::string> choices) {
    bind_value(name, member);
    return Schema::choice(std::move(name), defaults().*member, std::move(choices));
  }

  /// A choice mapped to an enum; `choices` lists every accepted string with its value, in the
  /// order `kaa list` prints them.
  template <class E>
  requires std::is_enum_v<E> Field choice(std::string name, E P::*member,
                                          std::vector<std::pair<std::string, E>> choices) {
    std::vector<std::string> names;
    std::string default_name;
    for (const auto& [text, value] : choices) {
      names.push_back(text);
      if (value == defaults().*member) default_name = text;
    }
    if (default_name.empty())
      throw Error("BoundSchema: the default of choice \"" + name + "\" is not among its choices");
    auto read = [name, member, choices](const nlohmann::json& node, P& out) {
      const auto it = node.find(name);
      if (it == node.end()) return;
      for (const auto& [text, value] : choices)
        if (*it == text) {
          out.*member = value;
          return;
        }
      throw ConfigError({pointer_append("", name) + ": expected one of the declared choices, got " +
                         show_value(*it)});
    };
    auto write = [name, member, choices](const P& in, nlohmann::json& node) {
      for (const auto& [text, value] : choices)
        if (in.*member == value) node[name] = text;
    };
    bindings_.push_back({read, write});
    return Schema::choice(std::move(name), std::move(default_name), std::move(names));
  }

  /// The struct filled from a resolved node (Schema::resolve's output): every declared key read
  /// once; a key absent from the node keeps its default, a required one absent is an error.
  P bind(const nlohmann::json& resolved) const {
    P out{};
    for (const Binding& b : bindings_) b.read(resolved, out);
    for (const ParamSpec& spec : params())
      if (spec.required && !resolved.contains(spec.name))
        throw ConfigError(
            {pointer_append("", spec.name) + ": missing required " + to_string(spec.type)});
    return out;
  }

  /// The inverse of bind: each declared key with the member's value (a choice as its string).
  nlohmann::json to_json(const P& values) const {
    nlohmann::json out = nlohmann::json::object();
    for (const Binding& b : bindings_) b.write(values, out);
    return out;
  }

 private:
  struct Binding {
    std::function<void(const nlohmann::json&, P&)> read;
    std::function<void(const P&, nlohmann::json&)> write;
  };

  static const P& defaults() {
    static const P value{};
    return value;
  }

  template <class T>
  void bind_value(const std::string& name, T P::*member) {
    bindings_.push_back(
        {[name, member](const nlohmann::json& node, P& out) {
           const auto it = node.find(name);
           if (it != node.end()) out.*member = it->template get<T>();
         },
         [name, member](const P& in, nlohmann::json& node) { node[name] = in.*member; }});
  }

  std::vector<Binding> bindings_;
};

}  // namespace kaa
