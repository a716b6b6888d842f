#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
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
  struct Params {
    std::size_t n = 1000;
    std::size_t d = 10;
    std::size_t n_archetypes = 5;
    double noise = 0.05;
    double concentration = 1.0;
    std::uint64_t seed = 0;
  };
  static BoundSchema<Params> schema();
  explicit Synthetic(const Params& config);
  LoadedData load(std::uint64_t model_seed) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
