#pragma once
#include <cstddef>

#include "framework/parallel/row_block.hpp"
#include "framework/types.hpp"

namespace kaa {

/// The part of a strategy's interface that receives the data's sample weights (RowWeights). The
/// model hands them to every initializer, loss term and optimizer before prepare(); only
/// strategies registered with `weighted = true` get non-empty ones (others are refused with the
/// config, framework/config/weighted_config.hpp), so a strategy that ignores them is never
/// handed any.
class RowWeighted {
 public:
  virtual ~RowWeighted() = default;
  /// Virtual so that a strategy holding nested ones passes them on.
  virtual void set_row_weights(const RowWeights& weights) { row_weights_ = weights; }

 protected:
  const RowWeights& row_weights() const { return row_weights_; }
  bool weighted_rows() const { return !row_weights_.empty(); }
  /// What a mean over rows divides by: the total weight, or the data's row count (all ranks').
  double row_count(std::size_t local_rows) const {
    return weighted_rows() ? row_weights_.total
                           : static_cast<double>(parallel::global_rows(local_rows));
  }

 private:
  RowWeights row_weights_;
};

}  // namespace kaa
