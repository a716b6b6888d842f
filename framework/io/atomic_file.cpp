#include "framework/io/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "framework/error.hpp"

namespace kaa {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& writer) {
  if (path.filename().empty()) throw Error(path.string() + ": cannot write: not a file name");
  // Same directory as the target, so the final rename never crosses filesystems.
  const std::filesystem::path temp =
      path.parent_path() / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()));
  auto remove_temp = [&] {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
  };
  auto fail = [&](const std::string& why) {
    remove_temp();
    throw Error(path.string() + ": cannot write: " + why);
  };
  auto errno_text = [] { return std::string(errno ? std::strerror(errno) : "I/O error"); };

  std::ofstream out;
  errno = 0;
  out.open(temp, std::ios::binary | std::ios::trunc);
  if (!out) fail(errno_text());
  errno = 0;
  try {
    writer(out);
  } catch (...) {
    out.close();
    remove_temp();
    throw;
  }
  // A write that failed inside the writer left the stream in error and errno set (a stream in
  // error makes no further calls); keep that reason rather than a later one.
  if (out) {
    errno = 0;
    out.flush();
  }
  // close() writes what is still buffered; a full disk may only show up here.
  out.close();
  if (!out) fail(errno_text());
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) fail(ec.message());
}

}  // namespace kaa
