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
  static constexpr bool distributed = true;
  static constexpr const char* summary = "leave the block as the optimizer left it";
  // Every block: the resolver defaults each block in use (mixing too) to "none".
  static constexpr unsigned blocks = kAllBlocks;
  static Schema schema();

  void project(Matrix<S>& block, const Matrix<S>& X) override;
};

}  // namespace kaa::strategies
