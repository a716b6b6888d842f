#include "strategies/common/geometry/support.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/support.hpp"
#include "framework/kernels/workspace.hpp"

namespace kaa::strategies::common {

namespace {

using DMatrix = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;
using DVector = Kokkos::View<double*, MemSpace>;
using IMatrix = Kokkos::View<long**, Kokkos::LayoutRight, MemSpace>;

}  // namespace

template <class S>
void Support<S>::bind(const Matrix<S>& X) {
  if (X_.data() == X.data() && X_.extent(0) == X.extent(0) && X_.extent(1) == X.extent(1) &&
      !centroid_.empty())
    return;
  X_ = X;
  const std::size_t d = X.extent(1);
  DVector c("kaa::support.centroid", d);
  centroid_device_ = c;
  kernels::support_centroid(ExecSpace(), X, c);
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), c);
  centroid_.assign(host.data(), host.data() + d);
}

template <class S>
Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> Support<S>::upload(const HostMatrix& M,
                                                                         DMatrix& buffer,
                                                                         const char* label) const {
  kernels::fit_extents(buffer, label, M.rows, M.cols);
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
  const long m = static_cast<long>(U.rows);
  index.assign(m, 0);
  value.assign(m, 0.0);
  if (m == 0 || n == 0) return;
  const DMatrix Ud = upload(U, directions_, "kaa::support.directions");

  // Each (direction, chunk of rows) keeps its first maximum; merging the chunks in order keeps
  // the lowest index among equal maxima, whatever the chunking.
  const long by_threads = 4L * ExecSpace().concurrency();
  const long by_memory = std::max<long>(1, (1L << 22) / m);
  long chunks = std::max<long>(1, std::min({n / 16, by_threads, by_memory}));
  const long chunk_size = (n + chunks - 1) / chunks;
  chunks = (n + chunk_size - 1) / chunk_size;
  kernels::fit_extents(best_, "kaa::support.best", m, chunks);
  kernels::fit_extents(best_index_, "kaa::support.best_i", m, chunks);
  const DMatrix best = best_;
  const IMatrix best_i = best_index_;
  kernels::support_chunk_extremes(ExecSpace(), X_, centroid_device_, Ud, chunk_size, best, best_i);
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
  std::vector<double> out(m, 0.0);
  if (m == 0) return out;
  const DMatrix Pd = upload(P, points_, "kaa::support.points");
  const DMatrix Ud = upload(U, directions_, "kaa::support.directions");
  kernels::fit_extents(along_, "kaa::support.along", m);
  const DVector result = along_;
  kernels::support_along(ExecSpace(), Pd, centroid_device_, Ud, result);
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), result);
  for (long j = 0; j < m; ++j) out[j] = host(j);
  return out;
}

template <class S>
HostMatrix Support<S>::rows(const std::vector<long>& index) const {
  const std::size_t d = X_.extent(1), m = index.size();
  kernels::fit_extents(row_index_, "kaa::support.idx", m);
  const auto idx = row_index_;
  auto hidx = Kokkos::create_mirror_view(idx);
  for (std::size_t j = 0; j < m; ++j) hidx(j) = index[j];
  Kokkos::deep_copy(idx, hidx);
  kernels::fit_extents(rows_, "kaa::support.rows", m, d);
  const DMatrix out = rows_;
  kernels::support_gather_rows(ExecSpace(), X_, idx, out);
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

}  // namespace kaa::strategies::common
