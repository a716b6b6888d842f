#include "framework/sweep/results_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "framework/error.hpp"

namespace kaa::sweep {

namespace {

/// Complete rows and the byte length of the valid prefix.
std::pair<std::vector<nlohmann::json>, std::size_t> parse(const std::string& text) {
  std::vector<nlohmann::json> rows;
  std::size_t good = 0, start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) break;  // torn: no newline yet
    const std::string line = text.substr(start, end - start);
    if (!line.empty()) {
      try {
        rows.push_back(nlohmann::json::parse(line));
      } catch (const nlohmann::json::parse_error&) {
        break;  // only a torn write can produce this; nothing after it is trusted
      }
    }
    start = end + 1;
    good = start;
  }
  return {rows, good};
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::vector<nlohmann::json> ResultsLog::read() const {
  if (!std::filesystem::exists(file_)) return {};
  return parse(slurp(file_)).first;
}

std::vector<nlohmann::json> ResultsLog::read_and_repair() const {
  if (!std::filesystem::exists(file_)) return {};
  const std::string text = slurp(file_);
  auto [rows, good] = parse(text);
  if (good < text.size()) {
    std::error_code ec;
    std::filesystem::resize_file(file_, good, ec);
    if (ec) throw Error(file_.string() + ": cannot repair torn last row: " + ec.message());
  }
  return rows;
}

void ResultsLog::append(const nlohmann::json& row) const {
  const std::string line = row.dump() + "\n";
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(file_.string() + ": cannot open results file: " + std::strerror(errno));
  const ssize_t written = ::write(fd, line.data(), line.size());
  const int saved = errno;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size()) || !synced) {
    throw Error(file_.string() +
                ": cannot record a finished run: " + std::strerror(written < 0 ? saved : errno));
  }
}

}  // namespace kaa::sweep
