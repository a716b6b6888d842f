#pragma once
#include <memory>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/initializer.hpp"
#include "framework/registry/registry.hpp"

namespace kaa::strategies {

/// archetypax's BiarchetypalAnalysis start of beta (mixing, k x n): a row-picking initializer
/// (by default kmeans_pp, used as is) sets the archetypes and one-hot mixing rows on the rows it
/// chose, then U(0, noise) is added to every entry and each row is divided by its sum. The
/// archetypes are then derived as beta X.
template <class S>
class KmeansPPMixing final : public Initializer<S> {
 public:
  static constexpr const char* name = "kmeans_pp_mixing";
  static constexpr const char* summary =
      "mixing B: k-means++ rows one-hot plus U(0, noise) on every entry, rows renormalised";
  struct Params {
    nlohmann::json rows = nlohmann::json::object({{"type", "kmeans_pp"}});
    double noise = 0.05;
  };
  static BoundSchema<Params> schema();
  KmeansPPMixing(const Params& config, const Registry& registry);
  unsigned blocks() const override { return bit(Block::archetypes) | bit(Block::mixing); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

 private:
  std::unique_ptr<Initializer<S>> rows_;
  double noise_;
};

}  // namespace kaa::strategies
