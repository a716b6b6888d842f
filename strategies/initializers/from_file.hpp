#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/initializer.hpp"

namespace kaa::strategies {

/// Starts from weights and/or archetypes read from CSV or .npy files (in the space the model is
/// fitted in), e.g. to replay a reference implementation's exact starting point.
template <class S>
class FromFile final : public Initializer<S> {
 public:
  static constexpr const char* name = "from_file";
  // A start given in files: sample weights do not change it.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "read starting weights (n x k) and/or archetypes (k x d) from files";
  struct Params {
    std::string weights = "";
    std::string archetypes = "";
  };
  static BoundSchema<Params> schema();
  explicit FromFile(const Params& config);
  unsigned blocks() const override;
  void initialize(const Matrix<S>& X, Parameters<S>& params, std::uint64_t seed) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
