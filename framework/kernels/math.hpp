#pragma once
#include <Kokkos_Core.hpp>

// Kokkos 3.4-3.6 keep the device math functions in Kokkos::Experimental; 3.7 moved them to Kokkos
// and 4.x dropped the old names. These aliases keep kernels source-compatible with both.
namespace kaa::kernels {
#if KOKKOS_VERSION >= 30700
using Kokkos::exp;
using Kokkos::fabs;
using Kokkos::log;
using Kokkos::sqrt;
#else
using Kokkos::Experimental::exp;
using Kokkos::Experimental::fabs;
using Kokkos::Experimental::log;
using Kokkos::Experimental::sqrt;
#endif
}  // namespace kaa::kernels
