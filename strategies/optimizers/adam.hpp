#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/optimizer.hpp"
#include "strategies/common/adam_moments.hpp"

namespace kaa::strategies {

/// optax.adam on every block jointly, after archetypax's element-wise clip of the gradient:
///   g <- clip(g, -c, c); m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2; t <- t + 1;
///   p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t) + eps_root) + eps).
/// (optax scale_by_adam + scale_by_learning_rate; Kingma & Ba, ICLR 2015.)
template <class S>
class Adam final : public Optimizer<S> {
 public:
  static constexpr const char* name = "adam";
  // Steps along the summed gradient: sample weights act through the loss terms.
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "Adam with optax's semantics, after element-wise gradient clipping";
  struct Params {
    double learning_rate = 0.001;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double eps_root = 0.0;
    double clip = 1.0;
  };
  static BoundSchema<Params> schema();
  explicit Adam(const Params& config);

  void init(const Matrix<S>& X, const Parameters<S>& params) override;
  void step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) override;
  void save_state(SavedState& state, const std::string& prefix) const override;
  void load_state(const SavedState& state, const std::string& prefix) override;

 private:
  Params config_;
  double eps_, root_;
  common::AdamMoments<S> moments_;
};

}  // namespace kaa::strategies
