#pragma once
#include <cstdint>
#include <string>

#include <Kokkos_Core.hpp>

namespace kaa {

using ExecSpace = Kokkos::DefaultExecutionSpace;
using MemSpace = ExecSpace::memory_space;

/// Row-major on every backend: rows of X, A and Z are the unit of parallel work.
template <class S>
using Matrix = Kokkos::View<S**, Kokkos::LayoutRight, MemSpace>;
template <class S>
using Vector = Kokkos::View<S*, MemSpace>;

/// Per-row sample weights of X (issue 17): row i counts w(i) >= 0 times in every sum over rows,
/// so integer weights equal repeating rows. `total` is sum_i w(i) over all the data's rows (every
/// rank's in a distributed fit): mean losses divide by it instead of the row count. An empty view
/// means every row counts once, and every strategy then runs its unweighted code unchanged.
struct RowWeights {
  Vector<double> w;
  double total = 0.0;
  bool empty() const { return w.data() == nullptr; }
};

/// The parameter blocks a model can optimise. Every model has weights and archetypes; the others
/// exist only when a strategy declares that it needs them (StrategyInfo::blocks).
enum class Block : unsigned {
  weights = 1u,         // A, n x k, rows on the simplex
  archetypes = 2u,      // Z, k x d
  mixing = 4u,          // B, k x n, rows on the simplex; when present Z = B X is derived from it
  column_mixing = 8u,   // theta, d x kc, columns on the simplex (biarchetypal)
  column_weights = 16u  // gamma, kc x d, columns on the simplex (biarchetypal)
};
inline constexpr unsigned kBaseBlocks = 3u;
inline constexpr unsigned kAllBlocks = 31u;
inline constexpr Block kBlocks[] = {Block::weights, Block::archetypes, Block::mixing,
                                    Block::column_mixing, Block::column_weights};

inline constexpr unsigned bit(Block b) { return static_cast<unsigned>(b); }
const char* to_string(Block block);

/// Sizes of every block: n rows, d features, k archetypes, kc column archetypes.
struct BlockShape {
  std::size_t n = 0, d = 0, k = 0, kc = 0;
  unsigned blocks = kBaseBlocks;
};

/// The blocks of one model. Gradients and optimizer moments share the shape. Absent blocks are
/// empty views (extent 0).
template <class S>
struct Parameters {
  Matrix<S> weights;
  Matrix<S> archetypes;
  Matrix<S> mixing{};
  Matrix<S> column_mixing{};
  Matrix<S> column_weights{};

  Matrix<S>& block(Block b) {
    switch (b) {
      case Block::weights:
        return weights;
      case Block::archetypes:
        return archetypes;
      case Block::mixing:
        return mixing;
      case Block::column_mixing:
        return column_mixing;
      default:
        return column_weights;
    }
  }
  const Matrix<S>& block(Block b) const { return const_cast<Parameters*>(this)->block(b); }
  bool has(Block b) const { return block(b).span() > 0; }
};

template <class S>
Parameters<S> allocate_parameters(const std::string& label, const BlockShape& s) {
  Parameters<S> p;
  p.weights = Matrix<S>(label + ".weights", s.n, s.k);
  p.archetypes = Matrix<S>(label + ".archetypes", s.k, s.d);
  if (s.blocks & bit(Block::mixing)) p.mixing = Matrix<S>(label + ".mixing", s.k, s.n);
  if (s.blocks & bit(Block::column_mixing))
    p.column_mixing = Matrix<S>(label + ".column_mixing", s.d, s.kc);
  if (s.blocks & bit(Block::column_weights))
    p.column_weights = Matrix<S>(label + ".column_weights", s.kc, s.d);
  return p;
}

template <class S>
Parameters<S> allocate_parameters(const std::string& label, std::size_t n, std::size_t k,
                                  std::size_t d) {
  return allocate_parameters<S>(label, BlockShape{n, d, k, 0, kBaseBlocks});
}

/// Zero-filled blocks of the same shapes as `like` (gradients, optimizer moments, snapshots).
template <class S>
Parameters<S> allocate_like(const std::string& label, const Parameters<S>& like) {
  Parameters<S> p;
  for (Block b : kBlocks) {
    if (like.has(b))
      p.block(b) =
          Matrix<S>(label + "." + to_string(b), like.block(b).extent(0), like.block(b).extent(1));
  }
  return p;
}

/// Copies every present block of `from` into `to` (same shapes).
template <class S>
void copy_parameters(const Parameters<S>& from, Parameters<S>& to) {
  for (Block b : kBlocks)
    if (from.has(b)) Kokkos::deep_copy(to.block(b), from.block(b));
}

}  // namespace kaa
