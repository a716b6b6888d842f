// nearest_rows against a brute-force sort of direct distances, over several chunks of rows and
// with exact ties; the bounded heap against std::partial_sort.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "framework/host_transfer.hpp"
#include "framework/kernels/nearest.hpp"

namespace {

TEST(NearestKernel, HeapKeepsTheSmallestInOrder) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> small(0, 20);  // many equal distances
  for (int m : {1, 2, 7, 64}) {
    std::vector<std::pair<double, long>> all;
    double dist[64];
    long idx[64];
    int count = 0;
    for (long i = 0; i < 500; ++i) {
      const double d = small(rng) * 0.5;
      all.emplace_back(d, i);
      kaa::kernels::heap_offer(dist, idx, count, m, d, i);
    }
    kaa::kernels::sort_candidates(dist, idx, count);
    std::partial_sort(all.begin(), all.begin() + m, all.end());  // pairs: by distance, then index
    ASSERT_EQ(count, m);
    for (int p = 0; p < m; ++p) {
      EXPECT_EQ(dist[p], all[p].first) << "m = " << m << ", rank " << p;
      EXPECT_EQ(idx[p], all[p].second) << "m = " << m << ", rank " << p;
    }
  }
}

/// Rows and archetypes on a coarse dyadic grid in d = 11 dimensions: every distance is exact in
/// both the expanded and the direct form, with many exact ties and duplicate rows.
TEST(NearestKernel, MatchesBruteForceAcrossChunksWithTies) {
  const std::size_t n = 5000, d = 11, k = 6;
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> grid(-3, 3);
  kaa::HostMatrix X(n, d), Z(k, d);
  for (auto& v : X.values) v = grid(rng) * 0.25;
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t f = 0; f < d; ++f) Z(j, f) = j < 3 ? X(17 * j + 1, f) : grid(rng) * 0.375;
  const auto Xd = kaa::to_device<double>(X, "X");
  const auto Zd = kaa::to_device<double>(Z, "Z");
  for (int m : {1, 10, 64}) {
    kaa::kernels::IndexMatrix out("out", k, m);
    kaa::kernels::nearest_rows(Xd, Zd, m, out);
    const auto got = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
    for (std::size_t j = 0; j < k; ++j) {
      std::vector<double> dist(n);
      for (std::size_t i = 0; i < n; ++i) {
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) s += (X(i, f) - Z(j, f)) * (X(i, f) - Z(j, f));
        dist[i] = s;
      }
      std::vector<long> order(n);
      std::iota(order.begin(), order.end(), 0L);
      std::stable_sort(order.begin(), order.end(),
                       [&](long a, long b) { return dist[a] < dist[b]; });
      for (int p = 0; p < m; ++p)
        EXPECT_EQ(got(j, p), order[p]) << "m = " << m << ", archetype " << j << ", rank " << p;
    }
  }
}

TEST(NearestKernel, RowChunksCoverTheRowsOnce) {
  for (std::size_t n : {1ul, 1023ul, 1024ul, 1025ul, 100000ul, 3000000ul})
    for (std::size_t partial : {1ul, 1000ul, 200000ul}) {
      const kaa::kernels::RowChunks c = kaa::kernels::row_chunks(n, partial);
      EXPECT_GE(c.rows, 1024u);
      EXPECT_EQ(c.end(c.count - 1, n), n) << n << " " << partial;
      EXPECT_LT(c.begin(c.count - 1), n) << n << " " << partial;
      EXPECT_LE(c.count, 1024u);
    }
}

}  // namespace
