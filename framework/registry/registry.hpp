#pragma once
#include <any>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/config/schema.hpp"
#include "framework/error.hpp"
#include "framework/interfaces/dataset.hpp"
#include "framework/interfaces/hook.hpp"
#include "framework/interfaces/initializer.hpp"
#include "framework/interfaces/loss_term.hpp"
#include "framework/interfaces/metric.hpp"
#include "framework/interfaces/optimizer.hpp"
#include "framework/interfaces/projector.hpp"
#include "framework/interfaces/stopping_rule.hpp"
#include "framework/interfaces/transformer.hpp"
#include "framework/registry/kind.hpp"

namespace kaa {

template <template <class> class Interface>
struct KindOf;
template <>
struct KindOf<Dataset> {
  static constexpr Kind value = Kind::dataset;
};
template <>
struct KindOf<Initializer> {
  static constexpr Kind value = Kind::initializer;
};
template <>
struct KindOf<LossTerm> {
  static constexpr Kind value = Kind::loss;
};
template <>
struct KindOf<Optimizer> {
  static constexpr Kind value = Kind::optimizer;
};
template <>
struct KindOf<Projector> {
  static constexpr Kind value = Kind::projector;
};
template <>
struct KindOf<Hook> {
  static constexpr Kind value = Kind::hook;
};
template <>
struct KindOf<StoppingRule> {
  static constexpr Kind value = Kind::stopping;
};
template <>
struct KindOf<Metric> {
  static constexpr Kind value = Kind::metric;
};
template <>
struct KindOf<Transformer> {
  static constexpr Kind value = Kind::transform;
};

/// What the registry knows of a strategy besides how to build it.
struct StrategyInfo {
  Kind kind;
  std::string name;
  std::string summary;
  Schema schema;
  /// Block bit set. Projectors: the blocks it may be applied to. Optimizers: the blocks it
  /// updates. Losses: the blocks it reads. Optimizers and losses that name mixing or the column
  /// blocks make the model allocate them. 0 = kBaseBlocks for optimizers and losses.
  unsigned blocks = 0;
  /// Cross-section checks run after the whole config resolved (e.g. "this solver needs the
  /// reconstruction loss"): appends one issue per problem, naming the keys.
  using Check = std::function<void(const nlohmann::json& resolved_config, const std::string& path,
                                   std::vector<std::string>& issues)>;
  Check check;
  /// Whether it can run in a fit spread over several MPI ranks (docs/SCALING.md): it sees only its
  /// rank's rows of X and of the weights and combines them with the collectives of
  /// framework/parallel, giving the single-rank result. A config that names a strategy without the
  /// flag is refused when there is more than one rank.
  bool distributed = false;
  /// Whether it honours the data's per-row sample weights (RowWeights), or is unaffected by them.
  /// Data with weights are refused with a config naming an initializer, loss, optimizer, hook or
  /// metric without the flag (framework/config/weighted_config.hpp).
  bool weighted = false;
};

/// The factory of strategies. A value, filled explicitly by register_all(); every main and test
/// builds its own, so nothing depends on static initialisation.
///
/// A strategy is a class template Impl<S> deriving from Interface<S>, with static members `name`,
/// `summary` and `schema()`. A strategy with parameters has a struct `Params`, declares them once
/// in `static BoundSchema<Params> schema()` and is constructible from `const Params&` (the
/// registry binds the resolved node); one without is default-constructible and its schema() is an
/// empty Schema. Optionally `blocks` (see StrategyInfo) and
/// `static void check_config(const nlohmann::json& config, const std::string& path,
/// std::vector<std::string>& issues)`, `static constexpr bool distributed = true` and
/// `static constexpr bool weighted = true`.
///
/// A strategy that uses other strategies declares them as nested fields (BoundSchema::strategy,
/// a nlohmann::json member of Params) and is constructible from (const Params&, const Registry&):
/// it builds each child with make<Interface, S>(params.<field>) and never names the child's type.
class Registry;

/// A strategy built from its Params and the registry, which builds its nested strategies.
template <class T>
concept BuiltWithRegistry = requires {
  typename T::Params;
}
&&std::is_constructible_v<T, const typename T::Params&, const Registry&>;

class Registry {
 public:
  template <template <class> class Interface, template <class> class Impl>
  void add() {
    using F = Impl<float>;
    StrategyInfo info{KindOf<Interface>::value, F::name, F::summary, F::schema(), 0, {}};
    if constexpr (requires { F::blocks; }) info.blocks = F::blocks;
    if constexpr (requires { &F::check_config; }) info.check = &F::check_config;
    if constexpr (requires { F::distributed; }) info.distributed = F::distributed;
    if constexpr (requires { F::weighted; }) info.weighted = F::weighted;
    insert(Entry{std::move(info), factory<Interface, Impl, float>(),
                 factory<Interface, Impl, double>()});
  }

  /// Builds a strategy from its resolved node ({"type": name, ...params}).
  template <template <class> class Interface, class S>
  std::unique_ptr<Interface<S>> make(const nlohmann::json& resolved_node) const {
    const Entry& e = entry(KindOf<Interface>::value, resolved_node.at("type").get<std::string>());
    const auto& factory = std::any_cast<const Factory<Interface, S>&>(
        std::is_same_v<S, float> ? e.make_float : e.make_double);
    return factory(resolved_node, *this);
  }

  const StrategyInfo* find(Kind kind, const std::string& name) const;
  std::vector<std::string> names(Kind kind) const;
  std::vector<const StrategyInfo*> all() const;

 private:
  template <template <class> class Interface, class S>
  using Factory =
      std::function<std::unique_ptr<Interface<S>>(const nlohmann::json&, const Registry&)>;

  template <template <class> class Interface, template <class> class Impl, class S>
  static Factory<Interface, S> factory() {
    using Made = std::unique_ptr<Interface<S>>;
    if constexpr (std::is_default_constructible_v<Impl<S>>) {
      return [](const nlohmann::json&, const Registry&) { return Made(new Impl<S>()); };
    } else if constexpr (BuiltWithRegistry<Impl<S>>) {
      // A strategy with nested strategies builds its children through the registry.
      return [schema = Impl<S>::schema()](const nlohmann::json& p, const Registry& registry) {
        return Made(new Impl<S>(schema.bind(p), registry));
      };
    } else if constexpr (requires { typename Impl<S>::Params; }) {
      return [schema = Impl<S>::schema()](const nlohmann::json& p, const Registry&) {
        return Made(new Impl<S>(schema.bind(p)));
      };
    } else {
      // A strategy reading its resolved node itself (test doubles).
      return [](const nlohmann::json& p, const Registry&) { return Made(new Impl<S>(p)); };
    }
  }

  struct Entry {
    StrategyInfo info;
    std::any make_float;
    std::any make_double;
  };
  void insert(Entry entry);
  const Entry& entry(Kind kind, const std::string& name) const;

  std::map<std::pair<Kind, std::string>, Entry> entries_;
};

}  // namespace kaa
