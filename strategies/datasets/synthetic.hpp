#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/dataset.hpp"

namespace kaa::strategies {

/// Points with known archetypes: `n_archetypes` true archetypes uniform in [0, 1]^d, each point a
/// Dirichlet(concentration)-weighted mix of them plus N(0, noise^2) per coordinate. Generated on
/// the host with Boost.Random from `seed`, so the same parameters give the same data everywhere.
template <class S>
class Synthetic final : public Dataset<S> {
 public:
  static constexpr const char* name = "synthetic";
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "Dirichlet mixtures of known random archetypes plus Gaussian noise";
  static Schema schema();
  explicit Synthetic(const nlohmann::json& params);
  LoadedData load(std::uint64_t model_seed) override;

 private:
  std::size_t n_, d_, k_;
  double noise_, concentration_;
  std::uint64_t seed_;
};

}  // namespace kaa::strategies
