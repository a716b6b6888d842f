#pragma once
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

namespace kaa::sweep {

/// results.jsonl: one JSON object per finished run. Each row is appended with one write() on an
/// O_APPEND descriptor and fsync'd, so a kill at any instant leaves complete rows plus at most one
/// torn last line, which read_and_repair() cuts off.
class ResultsLog {
 public:
  explicit ResultsLog(std::filesystem::path file) : file_(std::move(file)) {}
  const std::filesystem::path& file() const { return file_; }

  /// Every complete row; truncates a torn tail (a last line without newline or not valid JSON).
  std::vector<nlohmann::json> read_and_repair() const;
  /// Rows only, without repairing (for reports on a sweep that may still be running).
  std::vector<nlohmann::json> read() const;
  void append(const nlohmann::json& row) const;

 private:
  std::filesystem::path file_;
};

}  // namespace kaa::sweep
