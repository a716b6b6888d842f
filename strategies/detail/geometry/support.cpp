#include "strategies/detail/geometry/support.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "framework/kernels/counter_rng.hpp"

namespace kaa::strategies::detail {

namespace {

using DMatrix = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;
using DVector = Kokkos::View<double*, MemSpace>;
using IMatrix = Kokkos::View<long**, Kokkos::LayoutRight, MemSpace>;

/// (row i of M - c) . (row j of U), in double and in one fixed order: the projections of data
/// rows and of other points onto a direction come out bit-identical when the points are equal,
/// so "is this archetype the extreme row?" has an exact answer.
template <class M>
KOKKOS_INLINE_FUNCTION double centred_dot(const M& rows, long i, const DVector& c, const DMatrix& U,
                                          long j, std::size_t d) {
  double p = 0;
  for (std::size_t f = 0; f < d; ++f) p += (static_cast<double>(rows(i, f)) - c(f)) * U(j, f);
  return p;
}

template <class View>
void ensure_shape(View& v, std::size_t rows, std::size_t cols, const char* label) {
  if (v.extent(0) != rows || v.extent(1) != cols) v = View(std::string(label), rows, cols);
}

}  // namespace

template <class S>
void Support<S>::bind(const Matrix<S>& X) {
  if (X_.data() == X.data() && X_.extent(0) == X.extent(0) && X_.extent(1) == X.extent(1) &&
      !centroid_.empty())
    return;
  X_ = X;
  const std::size_t n = X.extent(0), d = X.extent(1);
  DVector c("kaa::support.centroid", d);
  centroid_device_ = c;
  // One sequential sum per feature: the same bits for any number of threads.
  Kokkos::parallel_for(
      "kaa::support.centroid", Kokkos::RangePolicy<ExecSpace>(0, d),
      KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(X(i, f));
        c(f) = s / static_cast<double>(n);
      });
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), c);
  centroid_.assign(host.data(), host.data() + d);
}

template <class S>
Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> Support<S>::upload(const HostMatrix& M,
                                                                         DMatrix& buffer,
                                                                         const char* label) const {
  ensure_shape(buffer, M.rows, M.cols, label);
  auto host = Kokkos::create_mirror_view(buffer);
  for (std::size_t i = 0; i < M.rows; ++i)
    for (std::size_t f = 0; f < M.cols; ++f) host(i, f) = M(i, f);
  Kokkos::deep_copy(buffer, host);
  return buffer;
}

template <class S>
void Support<S>::extremes(const HostMatrix& U, std::vector<long>& index,
                          std::vector<double>& value) const {
  const long n = static_cast<long>(X_.extent(0));
  const std::size_t d = X_.extent(1);
  const long m = static_cast<long>(U.rows);
  index.assign(m, 0);
  value.assign(m, 0.0);
  if (m == 0 || n == 0) return;
  const DMatrix Ud = upload(U, directions_, "kaa::support.directions");
  const DVector c = centroid_device_;
  const Matrix<S> X = X_;

  // Each (direction, chunk of rows) keeps its first maximum; merging the chunks in order keeps
  // the lowest index among equal maxima, whatever the chunking.
  const long by_threads = 4L * ExecSpace().concurrency();
  const long by_memory = std::max<long>(1, (1L << 22) / m);
  long chunks = std::max<long>(1, std::min({n / 16, by_threads, by_memory}));
  const long chunk_size = (n + chunks - 1) / chunks;
  chunks = (n + chunk_size - 1) / chunk_size;
  ensure_shape(best_, m, chunks, "kaa::support.best");
  ensure_shape(best_index_, m, chunks, "kaa::support.best_i");
  const DMatrix best = best_;
  const IMatrix best_i = best_index_;
  Kokkos::parallel_for(
      "kaa::support.extremes", Kokkos::RangePolicy<ExecSpace>(0, m * chunks),
      KOKKOS_LAMBDA(const long e) {
        const long j = e / chunks, ch = e % chunks;
        const long begin = ch * chunk_size;
        const long end = begin + chunk_size < n ? begin + chunk_size : n;
        double top = 0;
        long top_i = begin;
        for (long i = begin; i < end; ++i) {
          const double p = centred_dot(X, i, c, Ud, j, d);
          if (i == begin || p > top) {
            top = p;
            top_i = i;
          }
        }
        best(j, ch) = top;
        best_i(j, ch) = top_i;
      });
  auto hb = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), best);
  auto hi = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), best_i);
  for (long j = 0; j < m; ++j) {
    double top = hb(j, 0);
    long top_i = hi(j, 0);
    for (long ch = 1; ch < chunks; ++ch) {
      if (hb(j, ch) > top) {
        top = hb(j, ch);
        top_i = hi(j, ch);
      }
    }
    index[j] = top_i;
    value[j] = top;
  }
}

template <class S>
std::vector<double> Support<S>::along(const HostMatrix& P, const HostMatrix& U) const {
  const long m = static_cast<long>(U.rows);
  const std::size_t d = X_.extent(1);
  std::vector<double> out(m, 0.0);
  if (m == 0) return out;
  const DMatrix Pd = upload(P, points_, "kaa::support.points");
  const DMatrix Ud = upload(U, directions_, "kaa::support.directions");
  const DVector c = centroid_device_;
  Kokkos::View<double*, MemSpace> result("kaa::support.along", m);
  Kokkos::parallel_for(
      "kaa::support.along", Kokkos::RangePolicy<ExecSpace>(0, m),
      KOKKOS_LAMBDA(const long j) { result(j) = centred_dot(Pd, j, c, Ud, j, d); });
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), result);
  for (long j = 0; j < m; ++j) out[j] = host(j);
  return out;
}

template <class S>
HostMatrix Support<S>::rows(const std::vector<long>& index) const {
  const std::size_t d = X_.extent(1), m = index.size();
  if (row_index_.extent(0) != m) row_index_ = Kokkos::View<long*, MemSpace>("kaa::support.idx", m);
  const auto idx = row_index_;
  auto hidx = Kokkos::create_mirror_view(idx);
  for (std::size_t j = 0; j < m; ++j) hidx(j) = index[j];
  Kokkos::deep_copy(idx, hidx);
  ensure_shape(rows_, m, d, "kaa::support.rows");
  const DMatrix out = rows_;
  const Matrix<S> X = X_;
  Kokkos::parallel_for(
      "kaa::support.rows", Kokkos::RangePolicy<ExecSpace>(0, m * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        out(e / d, e % d) = static_cast<double>(X(idx(e / d), e % d));
      });
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  HostMatrix result(m, d);
  for (std::size_t j = 0; j < m; ++j)
    for (std::size_t f = 0; f < d; ++f) result(j, f) = host(j, f);
  return result;
}

template <class S>
void Support<S>::scale_into_support(HostMatrix& Z, double margin, double eps) const {
  const HostMatrix U = directions_from(Z, centroid_, eps);
  std::vector<long> index;
  std::vector<double> top;
  extremes(U, index, top);
  const std::vector<double> p = along(Z, U);
  for (std::size_t j = 0; j < Z.rows; ++j) {
    if (!(p[j] > top[j])) continue;
    const double scale = margin * top[j] / (p[j] + eps);
    for (std::size_t f = 0; f < Z.cols; ++f)
      Z(j, f) = centroid_[f] + scale * (Z(j, f) - centroid_[f]);
  }
}

HostMatrix directions_from(const HostMatrix& Z, const std::vector<double>& c, double eps,
                           const std::vector<double>& fallback) {
  HostMatrix U(Z.rows, Z.cols);
  for (std::size_t j = 0; j < Z.rows; ++j) {
    double norm = 0;
    for (std::size_t f = 0; f < Z.cols; ++f) norm += (Z(j, f) - c[f]) * (Z(j, f) - c[f]);
    norm = std::sqrt(norm);
    for (std::size_t f = 0; f < Z.cols; ++f) {
      if (norm > eps)
        U(j, f) = (Z(j, f) - c[f]) / norm;
      else
        U(j, f) = fallback.empty() ? 0.0 : fallback[f];
    }
  }
  return U;
}

std::vector<double> normal_draws(std::uint64_t seed, std::uint64_t stream, std::size_t count) {
  std::vector<double> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    // Box-Muller; 1 - u lies in (0, 1], so the logarithm is finite.
    const double u1 = 1.0 - kernels::uniform01(seed, stream, 2 * i);
    const double u2 = kernels::uniform01(seed, stream, 2 * i + 1);
    out[i] = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  return out;
}

template class Support<float>;
template class Support<double>;

}  // namespace kaa::strategies::detail
