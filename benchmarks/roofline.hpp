// The machine's limits, measured by the benchmark binary itself: peak multiply-add throughput per
// precision (for the ISA this binary was compiled for) and streaming read bandwidth. A kernel's
// roofline time is max(flops / peak, bytes / bandwidth); its roofline fraction is that time over
// the time it took (1 = at the limit).
#pragma once
#include <cstddef>

namespace kaa_bench {

struct Roofline {
  double float_flops_per_s = 0;  // 2 flops per fused multiply-add
  double double_flops_per_s = 0;
  double read_bytes_per_s = 0;
};

/// Best of `repetitions` streaming reads of a `bytes` buffer, in bytes per second.
double measure_read_bandwidth(std::size_t bytes, int repetitions);

/// The best of `repetitions` runs of a register-resident multiply-add loop on one thread, times
/// the thread count, in flops per second (S = float or double).
template <class S>
double measure_peak_flops(int repetitions);

/// Measured once per process (about a second): the best of many short runs, so that a loaded
/// machine's preemptions do not lower the peaks; bandwidth over 1 GiB.
const Roofline& roofline();

template <class S>
double peak_flops() {
  return sizeof(S) == sizeof(float) ? roofline().float_flops_per_s : roofline().double_flops_per_s;
}

}  // namespace kaa_bench
