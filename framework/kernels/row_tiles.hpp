#pragma once
#include <algorithm>
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/launch.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

// Building blocks of the streaming passes over X. Rows are split into fixed chunks; each chunk
// owns one row of a scratch view and one row of partial sums, and walks its rows in tiles of
// kTileRows, converted to double once and padded with zeros to a multiple of kLanes. Inner loops
// have compile-time bounds and independent accumulators, so compilers vectorise them without
// reassociating sums (no -ffast-math): the summation order is the one written here, whatever the
// vector width. Chunk boundaries depend only on the sizes, never on the thread count, and partials
// are added in chunk order, so a pass gives the same bits for any number of threads.
namespace kaa::kernels {

/// Doubles per accumulator group (one AVX-512 register, two AVX2 ones).
inline constexpr std::size_t kLanes = 8;
/// Rows that share each load and store of a k x d accumulator.
inline constexpr std::size_t kTileRows = 4;

using Work = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;

/// d rounded up to a multiple of kLanes: the row length of every padded double copy.
KOKKOS_INLINE_FUNCTION constexpr std::size_t padded(std::size_t d) {
  return (d + kLanes - 1) / kLanes * kLanes;
}

/// A fixed split of n rows into `count` chunks of `rows` rows (the last one may have fewer).
struct RowChunks {
  std::size_t count = 0;
  std::size_t rows = 0;
  KOKKOS_INLINE_FUNCTION std::size_t begin(std::size_t c) const { return c * rows; }
  KOKKOS_INLINE_FUNCTION std::size_t end(std::size_t c, std::size_t n) const {
    return (c + 1) * rows < n ? (c + 1) * rows : n;
  }
};

/// How a streaming pass splits rows on an execution space. Host spaces run a few threads, each
/// walking long chunks (few partials to add, each thread's rows contiguous); a GPU needs tens of
/// thousands of work items in flight, so its chunks are short and many, bounded by the memory the
/// partials take. Only sizes and these constants decide the split, never the thread count.
struct ChunkShape {
  std::size_t min_rows;        // rows per chunk at least
  std::size_t max_chunks;      // chunks at most
  std::size_t budget_doubles;  // partials of all chunks at most (doubles)
};

/// Host spaces: at least 1024 rows a chunk and at most 1024 chunks or ~8 MB of partials, so the
/// partials stay a few percent of the bytes of X while two to a few dozen threads still get
/// balanced shares.
inline constexpr ChunkShape kHostChunks{1024, 1024, std::size_t{1} << 20};
/// Device spaces: 64 rows a chunk and up to 16384 chunks within ~128 MB of partials.
inline constexpr ChunkShape kDeviceChunks{64, 16384, std::size_t{1} << 24};

template <class Space>
inline constexpr ChunkShape chunk_shape_of = runs_on_host<Space> ? kHostChunks : kDeviceChunks;

/// Chunks of n rows for a pass whose per-chunk partial holds `partial` doubles.
inline RowChunks row_chunks(std::size_t n, std::size_t partial, const ChunkShape& shape) {
  const std::size_t max_chunks = std::max<std::size_t>(
      1, std::min<std::size_t>(shape.max_chunks,
                               shape.budget_doubles / std::max<std::size_t>(1, partial)));
  RowChunks c;
  c.rows = std::max<std::size_t>(shape.min_rows, (n + max_chunks - 1) / max_chunks);
  c.count = (n + c.rows - 1) / c.rows;
  return c;
}

/// The split `Space` uses.
template <class Space = ExecSpace>
RowChunks row_chunks(std::size_t n, std::size_t partial) {
  return row_chunks(n, partial, chunk_shape_of<Space>);
}

/// Sums the rows of `partials` (chunks x m) in chunk order into out(0, :).
template <class Space>
void sum_partials(const Space& space, const Work& partials, const Work& out) {
  const std::size_t chunks = partials.extent(0);
  launch_for(
      space, "kaa::sum_partials", partials.extent(1), chunks * partials.extent(1),
      KOKKOS_LAMBDA(const std::size_t e) {
        double s = 0;
        for (std::size_t c = 0; c < chunks; ++c) s += partials(c, e);
        out(0, e) = s;
      });
}

/// Z (k x d) as double into `out` (k x padded(d), sized here), rows padded with zeros, feature f
/// multiplied by weight(f) when `weight` is non-empty.
template <class Space, class S>
void padded_rows(const Space& space, const Matrix<S>& Z, Work& out,
                 const Vector<double>& weight = Vector<double>()) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  fit_extents(out, "kaa::padded_rows", k, padded(d));
  const bool weighted = weight.data() != nullptr;
  const Vector<double> w = weight;
  const Work o = out;
  launch_for(
      space, "kaa::padded_rows", k, k * d, KOKKOS_LAMBDA(const std::size_t j) {
        for (std::size_t f = 0; f < d; ++f)
          o(j, f) = static_cast<double>(Z(j, f)) * (weighted ? w(f) : 1.0);
      });
}

/// A new padded double copy of Z (for one-off callers; passes in a loop keep theirs).
template <class Space, class S>
Work padded_rows(const Space& space, const Matrix<S>& Z,
                 const Vector<double>& weight = Vector<double>()) {
  Work out;
  padded_rows(space, Z, out, weight);
  return out;
}

template <class S>
Work padded_rows(const Matrix<S>& Z, const Vector<double>& weight = Vector<double>()) {
  return padded_rows(ExecSpace(), Z, weight);
}

/// Rows i0 .. i0 + count - 1 of X (count <= kTileRows) into xd (kTileRows rows of length dp) as
/// double. Entries beyond d are never written (they keep the zeros of the scratch view); rows
/// beyond count are zeroed, so tile loops can always run over kTileRows rows.
template <class S>
KOKKOS_INLINE_FUNCTION void load_tile(const Matrix<S>& X, std::size_t i0, std::size_t count,
                                      double* xd, std::size_t dp) {
  const std::size_t d = X.extent(1);
  for (std::size_t r = 0; r < kTileRows; ++r) {
    double* row = xd + r * dp;
    if (r < count) {
      const S* x = &X(i0 + r, 0);
      for (std::size_t f = 0; f < d; ++f) row[f] = static_cast<double>(x[f]);
    } else {
      for (std::size_t f = 0; f < d; ++f) row[f] = 0.0;
    }
  }
}

/// Fixed-order sum of one accumulator group.
KOKKOS_INLINE_FUNCTION double lane_sum(const double* s) {
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
static_assert(kLanes == 8, "lane_sum adds exactly eight lanes");

/// <x, z> over padded rows of length dp, in kLanes interleaved partial sums.
KOKKOS_INLINE_FUNCTION double dot_padded(const double* x, const double* z, std::size_t dp) {
  double s[kLanes] = {};
  for (std::size_t f = 0; f < dp; f += kLanes)
    for (std::size_t b = 0; b < kLanes; ++b) s[b] += x[f + b] * z[f + b];
  return lane_sum(s);
}

/// sum_f w_f x_f^2 over padded rows of length dp.
KOKKOS_INLINE_FUNCTION double weighted_norm_padded(const double* x, const double* w,
                                                   std::size_t dp) {
  double s[kLanes] = {};
  for (std::size_t f = 0; f < dp; f += kLanes)
    for (std::size_t b = 0; b < kLanes; ++b) s[b] += w[f + b] * (x[f + b] * x[f + b]);
  return lane_sum(s);
}

/// ||x - c||^2 by direct differences in double for an unpadded row x of length d and a padded
/// double row c, in kLanes interleaved partial sums.
template <class S>
KOKKOS_INLINE_FUNCTION double squared_distance(const S* x, const double* c, std::size_t d) {
  double s[kLanes] = {};
  std::size_t f = 0;
  for (; f + kLanes <= d; f += kLanes)
    for (std::size_t b = 0; b < kLanes; ++b) {
      const double diff = static_cast<double>(x[f + b]) - c[f + b];
      s[b] += diff * diff;
    }
  for (std::size_t b = 0; f + b < d; ++b) {
    const double diff = static_cast<double>(x[f + b]) - c[f + b];
    s[b] += diff * diff;
  }
  return lane_sum(s);
}

/// acc(j, :) += sum_r a[r * k + j] xd(r, :) for every archetype j: the tile's share of A^T X.
/// The tile's weights are read into locals first so that stores into acc cannot alias them.
KOKKOS_INLINE_FUNCTION void tile_accumulate_transposed(const double* a, const double* xd,
                                                       std::size_t k, std::size_t dp, double* acc) {
  static_assert(kTileRows == 4, "one weight per tile row");
  const double* x0 = xd;
  const double* x1 = xd + dp;
  const double* x2 = xd + 2 * dp;
  const double* x3 = xd + 3 * dp;
  for (std::size_t j = 0; j < k; ++j) {
    const double a0 = a[j], a1 = a[k + j], a2 = a[2 * k + j], a3 = a[3 * k + j];
    double* out = acc + j * dp;
    for (std::size_t f = 0; f < dp; ++f)
      out[f] = out[f] + a0 * x0[f] + a1 * x1[f] + a2 * x2[f] + a3 * x3[f];
  }
}

}  // namespace kaa::kernels
