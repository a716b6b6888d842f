#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/projector.hpp"

namespace kaa::strategies {

/// leave the block as the optimizer left it.
template <class S>
class NoProjection final : public Projector<S> {
 public:
  static constexpr const char* name = "none";
  static constexpr const char* summary = "leave the block as the optimizer left it";
  static constexpr unsigned blocks = kAllBlocks;  // also the default of every optional block
  static Schema schema();
  explicit NoProjection(const nlohmann::json& params);

  void project(Matrix<S>& block, const Matrix<S>& X) override;
};

}  // namespace kaa::strategies
