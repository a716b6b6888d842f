#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// archetypax's BiarchetypalAnalysis start of beta (mixing, k x n): the rows chosen by k-means++
/// (the `kmeans_pp` initializer, used as is) become one-hot rows, U(0, noise) is added to every
/// entry and each row is divided by its sum. The archetypes are then derived as beta X.
template <class S>
class KmeansPPMixing final : public Initializer<S> {
 public:
  static constexpr const char* name = "kmeans_pp_mixing";
  static constexpr const char* summary =
      "mixing B: k-means++ rows one-hot plus U(0, noise) on every entry, rows renormalised";
  static Schema schema();
  explicit KmeansPPMixing(const nlohmann::json& params);
  unsigned blocks() const override { return bit(Block::archetypes) | bit(Block::mixing); }
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

  /// Row indices chosen by the last initialize().
  const std::vector<std::size_t>& chosen() const { return chosen_; }

 private:
  double noise_;
  std::vector<std::size_t> chosen_;
};

}  // namespace kaa::strategies
