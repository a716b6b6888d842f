#include "framework/io/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "framework/error.hpp"

namespace kaa {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& writer) {
  const std::filesystem::path temp =
      path.parent_path() / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()));
  auto fail = [&](const std::string& why) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    throw Error(path.string() + ": cannot write: " + why);
  };
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) fail(std::strerror(errno));
    writer(out);
    out.flush();
    if (!out) fail(errno ? std::strerror(errno) : "write failed");
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) fail(ec.message());
}

}  // namespace kaa
