#pragma once
#include <cstddef>

namespace kaa::parallel {

/// Rows [begin, end) of a data set of `total` rows: what one rank holds of X and of the weights A.
struct RowBlock {
  std::size_t begin = 0, end = 0, total = 0;
  std::size_t size() const { return end - begin; }
};

/// Contiguous, balanced blocks: rank r of R holds rows [r n / R, (r + 1) n / R).
RowBlock block_of(std::size_t total, int rank, int ranks);

/// Set for the duration of a distributed fit (run_fit, when there is more than one rank): the
/// strategies that may run distributed read the global row count and this rank's offset from it.
/// Outside such a scope (one rank, tests, `kaa transform`) the fit's X is all the data.
class DistributedScope {
 public:
  explicit DistributedScope(const RowBlock& rows);
  ~DistributedScope();
  DistributedScope(const DistributedScope&) = delete;
  DistributedScope& operator=(const DistributedScope&) = delete;
};

/// True inside a DistributedScope: collectives are needed to see all the data.
bool distributed();
/// The data's total row count in a distributed fit, else `local_rows` (the X at hand is all).
std::size_t global_rows(std::size_t local_rows);
/// Global index of this rank's first row (0 outside a distributed fit).
std::size_t row_offset();

}  // namespace kaa::parallel
