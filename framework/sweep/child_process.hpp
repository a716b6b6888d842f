#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace kaa::sweep {

/// Starts `executable args...` as a child process with standard input from /dev/null and
/// standard output and error written to the given files. The child is killed (SIGKILL) when the
/// process that started it dies, whatever the cause, so a killed sweep leaves no runs behind
/// that would race the re-run of the same id on resume. It runs in a process group of its own, so
/// a Ctrl-C at the terminal reaches only the sweep. Throws kaa::Error when it cannot start.
pid_t start_child(const std::filesystem::path& executable, const std::vector<std::string>& args,
                  const std::filesystem::path& stdout_file,
                  const std::filesystem::path& stderr_file);

}  // namespace kaa::sweep
