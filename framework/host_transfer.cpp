#include "framework/host_transfer.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace kaa {

namespace {

/// Hands the whole memory pages of [*released, end) back to the system and moves *released past
/// them. Anonymous pages read as zeros afterwards and stay owned by their allocation, so this is
/// a cheaper "overwrite with zeros" that lowers the resident set at once.
void release_pages(std::uintptr_t& released, const void* end) {
#ifdef MADV_DONTNEED
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t last = reinterpret_cast<std::uintptr_t>(end) / page * page;
  if (last <= released) return;
  ::madvise(reinterpret_cast<void*>(released), last - released, MADV_DONTNEED);
  released = last;
#else
  (void)released;
  (void)end;
#endif
}

}  // namespace

template <class S>
Matrix<S> to_device_releasing(HostMatrix&& m, const std::string& label) {
  // Not zero-filled: the device matrix's pages are touched only as rows arrive.
  Matrix<S> out(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), m.rows, m.cols);
  auto host = Kokkos::create_mirror_view(Kokkos::HostSpace(), out, Kokkos::WithoutInitializing);
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  // Only pages wholly inside the values: the first partial page may hold the allocator's data.
  std::uintptr_t released =
      (reinterpret_cast<std::uintptr_t>(m.values.data()) + page - 1) / page * page;
  const std::size_t rows_per_block =
      std::max<std::size_t>(1, (std::size_t{1} << 20) / std::max<std::size_t>(m.cols, 1));
  for (std::size_t begin = 0; begin < m.rows; begin += rows_per_block) {
    const std::size_t end = std::min(m.rows, begin + rows_per_block);
    for (std::size_t i = begin; i < end; ++i)
      for (std::size_t j = 0; j < m.cols; ++j) host(i, j) = static_cast<S>(m(i, j));
    release_pages(released, m.values.data() + end * m.cols);
  }
  m = HostMatrix();
  Kokkos::deep_copy(out, host);
  return out;
}

template Matrix<float> to_device_releasing<float>(HostMatrix&&, const std::string&);
template Matrix<double> to_device_releasing<double>(HostMatrix&&, const std::string&);

}  // namespace kaa
