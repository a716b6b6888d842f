// Kokkos is initialised once for the whole test binary, from our own arguments.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "framework/kokkos_session.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  int threads = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--threads=", 10) == 0) threads = std::stoi(argv[i] + 10);
  }
  kaa::KokkosSession kokkos(threads);
  return RUN_ALL_TESTS();
}
