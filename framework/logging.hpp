#pragma once
#include <filesystem>
#include <memory>
#include <string>

namespace kaa::logging {

enum class Level { debug, info, warning, error };

/// Sends messages at `level` and above to stderr. Call once per process.
void init_console(Level level);

void debug(const std::string& message);
void info(const std::string& message);
void warning(const std::string& message);
void error(const std::string& message);

/// Copies every message (debug and up) to a file for as long as the object lives.
class FileCopy {
 public:
  explicit FileCopy(const std::filesystem::path& path);
  ~FileCopy();
  FileCopy(const FileCopy&) = delete;
  FileCopy& operator=(const FileCopy&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaa::logging
