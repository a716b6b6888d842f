#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// archetypax's BiarchetypalAnalysis start of theta (column_mixing, d x kc): the first feature is
/// drawn with probability proportional to its variance (uniformly if every feature is constant);
/// each next one is the feature maximising min over the chosen ones of 1 - |cos|, the uncentred
/// cosine between columns of X (first index on ties, chosen features excluded); column t is one-hot
/// on the t-th choice, plus U(0, noise) on every entry, divided by its sum.
template <class S>
class ColumnVarianceCosine final : public Initializer<S> {
 public:
  static constexpr const char* name = "column_variance_cosine";
  static constexpr const char* summary =
      "column mixing theta: features by variance, then greedy 1 - |cos|; one-hot plus noise";
  struct Params {
    double noise = 0.05;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit ColumnVarianceCosine(const Params& config);
  unsigned blocks() const override { return bit(Block::column_mixing); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

  /// Feature indices chosen by the last initialize(), one per column archetype.
  const std::vector<std::size_t>& chosen() const { return chosen_; }

 private:
  Params config_;
  std::vector<std::size_t> chosen_;
};

}  // namespace kaa::strategies
