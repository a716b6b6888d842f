#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "framework/host_matrix.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa {

/// The rows a coreset was drawn from (strategies/datasets/coreset.hpp): after the fit on the
/// coreset, the run computes their weights by the exact transform and the fit's RSS on them.
struct FullData {
  HostMatrix X;
  std::vector<double> weights;  // the source's row weights, or empty
  std::string description;
  double draw_seconds = 0;  // the coreset's sampling time (after the source's load)
};

/// What a data source yields, on the host and in the data's original units.
struct LoadedData {
  HostMatrix X;
  std::optional<HostMatrix> true_archetypes;  // known ground truth (synthetic data)
  std::string description;                    // one line for logs and metrics
  /// One name per column (a CSV header, a names file), or empty when the source has none.
  std::vector<std::string> feature_names;
  /// One non-negative weight per row of X (the weighted RSS counts row i w_i times), or empty
  /// when every row counts once.
  std::vector<double> weights;
  /// Set by a coreset: the full data X stands for (one copy, moved from the source).
  std::optional<FullData> full;
};

/// A source of data points. Contract: load() returns a finite n x d matrix with n, d >= 1 or
/// throws kaa::InputError naming the culprit. S is unused (data are loaded in double); the
/// parameter only gives every strategy kind the same registry shape.
template <class S>
class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual LoadedData load(std::uint64_t seed) = 0;

  /// A distributed fit's share: only rows block_of(n, rank, ranks) of the data in X, the data's
  /// row count n in `total_rows`. This default loads everything and keeps the block (right for
  /// any source, fine for generated data); sources that can read a block alone override it.
  /// With more ranks than rows some blocks are empty (the caller refuses that).
  virtual LoadedData load_rows(std::uint64_t seed, int rank, int ranks, std::size_t& total_rows) {
    LoadedData all = load(seed);
    total_rows = all.X.rows;
    const parallel::RowBlock block = parallel::block_of(total_rows, rank, ranks);
    LoadedData out{HostMatrix(block.size(), all.X.cols),
                   std::move(all.true_archetypes),
                   std::move(all.description),
                   std::move(all.feature_names),
                   {},
                   {}};
    if (!all.weights.empty())
      out.weights.assign(all.weights.begin() + static_cast<std::ptrdiff_t>(block.begin),
                         all.weights.begin() + static_cast<std::ptrdiff_t>(block.end));
    for (std::size_t i = 0; i < block.size(); ++i)
      for (std::size_t f = 0; f < all.X.cols; ++f) out.X(i, f) = all.X(block.begin + i, f);
    return out;
  }
};

}  // namespace kaa
