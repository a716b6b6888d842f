#include "framework/sweep/results_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"

namespace kaa::sweep {

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Length of the part of `text` made of complete lines (everything up to the last newline).
std::size_t complete_prefix(const std::string& text) {
  const auto last = text.rfind('\n');
  return last == std::string::npos ? 0 : last + 1;
}

}  // namespace

std::vector<nlohmann::json> ResultsLog::read(std::vector<std::string>* skipped) const {
  std::error_code ec;
  if (!std::filesystem::exists(file_, ec)) return {};
  const std::string text = slurp(file_);
  const std::size_t end = complete_prefix(text);
  std::vector<nlohmann::json> rows;
  std::size_t start = 0, line_number = 0;
  while (start < end) {
    const std::size_t stop = text.find('\n', start);
    const std::string line = text.substr(start, stop - start);
    start = stop + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      nlohmann::json row = nlohmann::json::parse(line);
      if (row.is_object() && row.contains("id") && row["id"].is_string()) {
        rows.push_back(std::move(row));
        continue;
      }
    } catch (const nlohmann::json::parse_error&) {
    }
    if (skipped)
      skipped->push_back(file_.string() + ":" + std::to_string(line_number) +
                         ": not a result row; ignored");
  }
  return rows;
}

std::size_t ResultsLog::repair() const {
  std::error_code ec;
  if (!std::filesystem::exists(file_, ec)) return 0;
  const std::string text = slurp(file_);
  const std::size_t good = complete_prefix(text);
  if (good == text.size()) return 0;
  std::filesystem::resize_file(file_, good, ec);
  if (ec) throw Error(file_.string() + ": cannot cut off the torn last row: " + ec.message());
  return text.size() - good;
}

void ResultsLog::rewrite(const std::vector<nlohmann::json>& rows) const {
  write_file_atomically(file_, [&](std::ostream& os) {
    for (const auto& row : rows) os << row.dump() << '\n';
  });
}

void ResultsLog::append(const nlohmann::json& row) const {
  const std::string line = row.dump() + "\n";
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(file_.string() + ": cannot open results file: " + std::strerror(errno));
  // One write() of the whole line: with O_APPEND it lands at the end in one piece, and a kill
  // can at worst leave a prefix of it without the newline, which read() ignores.
  const ssize_t written = ::write(fd, line.data(), line.size());
  const int write_errno = errno;
  const bool synced = ::fsync(fd) == 0;
  const int sync_errno = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size()))
    throw Error(file_.string() + ": cannot record a finished run: " +
                (written < 0 ? std::strerror(write_errno) : std::string("short write")));
  if (!synced)
    throw Error(file_.string() +
                ": cannot flush a finished run to disk: " + std::strerror(sync_errno));
}

FolderLock::FolderLock(const std::filesystem::path& lock_file) {
  fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error(lock_file.string() + ": cannot create lock file: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    ::close(fd_);
    fd_ = -1;
    if (e == EWOULDBLOCK)
      throw Error(lock_file.parent_path().string() +
                  ": another kaa sweep is running on this folder; wait for it or choose another "
                  "--out");
    throw Error(lock_file.string() + ": cannot lock: " + std::strerror(e));
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace kaa::sweep
