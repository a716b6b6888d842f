#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kaa::sweep {

/// results.jsonl: one JSON object per finished run. Each row is appended with one write() on an
/// O_APPEND descriptor and fsync'd, so a kill at any instant leaves complete rows plus at most a
/// torn last line (no newline yet), which reading ignores and repair() cuts off.
class ResultsLog {
 public:
  explicit ResultsLog(std::filesystem::path file) : file_(std::move(file)) {}
  const std::filesystem::path& file() const { return file_; }

  /// Every complete row. A torn last line is ignored; a complete line that is not a JSON object
  /// (only a hand edit makes one) is skipped and named in `skipped` when given.
  std::vector<nlohmann::json> read(std::vector<std::string>* skipped = nullptr) const;
  /// Cuts a torn last line off the file, so the next append starts on a line of its own.
  /// Returns the number of bytes removed.
  std::size_t repair() const;
  /// Rewrites the file atomically with exactly `rows` (e.g. without the failed runs to retry).
  void rewrite(const std::vector<nlohmann::json>& rows) const;
  /// Appends one row: one write() of the whole line, then fsync. Throws kaa::Error on failure.
  void append(const nlohmann::json& row) const;

 private:
  std::filesystem::path file_;
};

/// An exclusive advisory lock (flock) on a file, held while the object lives: two `kaa sweep`
/// processes on one folder would run the same runs twice.
class FolderLock {
 public:
  /// Throws kaa::Error naming the file when another process holds the lock.
  explicit FolderLock(const std::filesystem::path& lock_file);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace kaa::sweep
