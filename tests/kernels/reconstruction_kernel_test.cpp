// The fused reconstruction pass against independent host computations: the loss from explicit
// residuals (also when the fit is nearly exact, where the expanded form would cancel), both
// gradients in closed form, feature weights, several chunks and sizes that are not multiples of
// the lane width.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "framework/host_transfer.hpp"
#include "framework/kernels/reconstruction.hpp"

namespace {

struct ReconstructionCase {
  kaa::HostMatrix X, A, Z;
  std::vector<double> weight;  // empty = unweighted
};

/// X = A Z + noise * N(0, 1), rows of A on the simplex, Z in [-1, 1] plus an offset (so that
/// ||x|| is much larger than the residual when noise is small).
ReconstructionCase make_case(std::size_t n, std::size_t d, std::size_t k, double noise,
                             double offset, std::uint64_t seed, bool weighted) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0), pos(0.05, 1.0), w(0.2, 3.0);
  std::normal_distribution<double> g(0.0, 1.0);
  ReconstructionCase c{kaa::HostMatrix(n, d), kaa::HostMatrix(n, k), kaa::HostMatrix(k, d), {}};
  for (auto& v : c.Z.values) v = offset + u(rng);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < k; ++j) s += c.A(i, j) = pos(rng);
    for (std::size_t j = 0; j < k; ++j) c.A(i, j) /= s;
    for (std::size_t f = 0; f < d; ++f) {
      double v = 0;
      for (std::size_t j = 0; j < k; ++j) v += c.A(i, j) * c.Z(j, f);
      c.X(i, f) = v + noise * g(rng);
    }
  }
  if (weighted)
    for (std::size_t f = 0; f < d; ++f) c.weight.push_back(w(rng));
  return c;
}

/// Host reference in long double from the values the device holds (rounded to S).
struct HostReconstruction {
  long double loss = 0;
  std::vector<long double> gA, gZ;  // d/dA, d/dZ of the weighted sum of squares
};

template <class S>
HostReconstruction host_reference(const ReconstructionCase& c) {
  const std::size_t n = c.X.rows, d = c.X.cols, k = c.Z.rows;
  auto val = [](double v) { return static_cast<long double>(static_cast<S>(v)); };
  HostReconstruction r;
  r.gA.assign(n * k, 0);
  r.gZ.assign(k * d, 0);
  std::vector<long double> res(d);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t f = 0; f < d; ++f) {
      long double v = val(c.X(i, f));
      for (std::size_t j = 0; j < k; ++j) v -= val(c.A(i, j)) * val(c.Z(j, f));
      const long double wf = c.weight.empty() ? 1.0L : c.weight[f];
      res[f] = v;
      r.loss += wf * v * v;
      for (std::size_t j = 0; j < k; ++j) {
        r.gA[i * k + j] += -2 * wf * v * val(c.Z(j, f));
        r.gZ[j * d + f] += -2 * wf * val(c.A(i, j)) * v;
      }
    }
  }
  return r;
}

kaa::Vector<double> device_weights(const std::vector<double>& w) {
  if (w.empty()) return {};
  kaa::Vector<double> out("w", w.size());
  auto host = Kokkos::create_mirror_view(out);
  for (std::size_t f = 0; f < w.size(); ++f) host(f) = w[f];
  Kokkos::deep_copy(out, host);
  return out;
}

/// Runs the pass with both gradients (scale s) on zero gradients and checks value and gradients
/// against the reference. `rel` bounds the loss error relative to the loss; gradients are checked
/// relative to their largest entry with `grad_rel`.
template <class S>
void check_reconstruction(const ReconstructionCase& c, double scale, double rel, double grad_rel) {
  const auto X = kaa::to_device<S>(c.X, "X");
  const auto A = kaa::to_device<S>(c.A, "A");
  const auto Z = kaa::to_device<S>(c.Z, "Z");
  kaa::Matrix<S> gA("gA", c.A.rows, c.A.cols), gZ("gZ", c.Z.rows, c.Z.cols);
  const auto w = device_weights(c.weight);
  const HostReconstruction ref = host_reference<S>(c);

  const double value = kaa::kernels::reconstruction_pass(X, A, Z, scale, gA, gZ, w);
  EXPECT_NEAR(value, static_cast<double>(ref.loss), rel * static_cast<double>(ref.loss));
  // value-only pass: the same row losses, the same order of additions -> identical bits.
  EXPECT_EQ(value,
            kaa::kernels::reconstruction_pass(X, A, Z, 0.0, kaa::Matrix<S>(), kaa::Matrix<S>(), w));

  auto compare = [&](const kaa::Matrix<S>& got, const std::vector<long double>& expected,
                     const char* what) {
    const kaa::HostMatrix h = kaa::to_host(got);
    long double largest = 0;
    for (long double v : expected) largest = std::max(largest, std::fabs(v));
    ASSERT_GT(largest, 0.0L);
    for (std::size_t e = 0; e < expected.size(); ++e)
      EXPECT_NEAR(h.values[e], static_cast<double>(scale * expected[e]),
                  grad_rel * static_cast<double>(std::fabs(scale) * largest))
          << what << " entry " << e;
  };
  compare(gA, ref.gA, "d/dA");
  compare(gZ, ref.gZ, "d/dZ");
}

TEST(ReconstructionKernel, DoubleMatchesExplicitResidualsAcrossChunks) {
  // n = 2600: three chunks and a partial last tile; d = 13, k = 7: not multiples of the lanes.
  // Expanded form in double, relative error ~1e-16 (d + k) ||x||^2 / loss: 1e-11 covers it here.
  const ReconstructionCase c = make_case(2600, 13, 7, 0.3, 0.0, 1, false);
  check_reconstruction<double>(c, 0.37, 1e-11, 1e-10);
}

TEST(ReconstructionKernel, WeightedFeaturesMatchExplicitResiduals) {
  const ReconstructionCase c = make_case(1500, 9, 4, 0.2, 0.5, 2, true);
  check_reconstruction<double>(c, 1.0, 1e-11, 1e-10);
}

TEST(ReconstructionKernel, NearlyExactFitHasNoCancellation) {
  // Residuals ~1e-7 of ||x|| (offset 5): the expanded row loss ||x||^2 - 2 a.Zx + a^T G a would
  // lose ~14 digits (its error ~1e-16 ||x||^2 is ~1e-2 of the loss), and so would the gradients
  // formed as differences (x - a G, a^T x - a^T a Z). Such rows are handled from their residual
  // in double, whose entries carry ~1e-16 ||x|| / 1e-7 = 1e-9 relative error: 1e-8 on the loss
  // and the gradients.
  const ReconstructionCase c = make_case(3000, 11, 5, 1e-7, 5.0, 3, false);
  check_reconstruction<double>(c, 1.0, 1e-8, 1e-8);
  const ReconstructionCase w = make_case(1200, 6, 3, 1e-7, 5.0, 4, true);
  check_reconstruction<double>(w, 1.0, 1e-8, 1e-8);
}

TEST(ReconstructionKernel, FloatDataAreSummedInDouble) {
  // The reference uses the same float-rounded inputs, so only the pass's own arithmetic (double)
  // differs: 1e-10 on the loss. Gradients are rounded to float once: 1e-6 of the largest entry.
  const ReconstructionCase c = make_case(2100, 21, 6, 0.1, 1.0, 5, false);
  check_reconstruction<float>(c, 1.0 / 2100, 1e-10, 1e-6);
  const ReconstructionCase tiny = make_case(2100, 10, 4, 1e-6, 3.0, 6, false);
  check_reconstruction<float>(tiny, 1.0, 1e-8, 1e-5);
}

TEST(ReconstructionKernel, AddsIntoExistingGradients) {
  const ReconstructionCase c = make_case(300, 5, 3, 0.2, 0.0, 7, false);
  const auto X = kaa::to_device<double>(c.X, "X");
  const auto A = kaa::to_device<double>(c.A, "A");
  const auto Z = kaa::to_device<double>(c.Z, "Z");
  kaa::Matrix<double> gA0("gA0", 300, 3), gZ0("gZ0", 3, 5);
  kaa::kernels::reconstruction_pass(X, A, Z, 1.0, gA0, gZ0);
  kaa::Matrix<double> gA("gA", 300, 3), gZ("gZ", 3, 5);
  Kokkos::deep_copy(gA, 2.5);
  Kokkos::deep_copy(gZ, -1.5);
  kaa::kernels::reconstruction_pass(X, A, Z, 1.0, gA, gZ);
  const auto a0 = kaa::to_host(gA0), a = kaa::to_host(gA), z0 = kaa::to_host(gZ0),
             z = kaa::to_host(gZ);
  // One addition of numbers of size ~1: rounding only.
  for (std::size_t e = 0; e < a.values.size(); ++e)
    EXPECT_NEAR(a.values[e], a0.values[e] + 2.5, 1e-14);
  for (std::size_t e = 0; e < z.values.size(); ++e)
    EXPECT_NEAR(z.values[e], z0.values[e] - 1.5, 1e-12 * (1 + std::abs(z0.values[e])));
}

}  // namespace
