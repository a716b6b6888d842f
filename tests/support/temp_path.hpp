#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>

namespace kaa::test {

/// A path in the temporary directory named after `stem` and this process: CTest runs each test as
/// its own process, so tests running at once (ctest -j) never share a file or folder.
inline std::filesystem::path unique_temp_path(const std::string& stem) {
  return std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(::getpid()));
}

}  // namespace kaa::test
