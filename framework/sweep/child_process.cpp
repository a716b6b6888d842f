#include "framework/sweep/child_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "framework/error.hpp"

namespace kaa::sweep {

pid_t start_child(const std::filesystem::path& executable, const std::vector<std::string>& args,
                  const std::filesystem::path& stdout_file,
                  const std::filesystem::path& stderr_file) {
  // Everything the child needs is prepared before fork(): after it, only async-signal-safe
  // calls until exec.
  const std::string exe = executable.string(), out = stdout_file.string(),
                    err = stderr_file.string();
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe.c_str()));
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  int report[2];  // exec failure is reported through a close-on-exec pipe
  if (::pipe2(report, O_CLOEXEC) != 0)
    throw Error(std::string("sweep: cannot create a pipe: ") + std::strerror(errno));

  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(report[0]);
    ::close(report[1]);
    throw Error(exe + ": cannot start a run: " + std::strerror(e));
  }
  if (pid == 0) {
    // Linux: die with the parent. If it already died, getppid() tells.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(127);
    // Its own process group: a Ctrl-C at the terminal reaches the sweep only, which decides
    // whether the runs in flight finish.
    ::setpgid(0, 0);
    const int in = ::open("/dev/null", O_RDONLY);
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || o < 0 || e < 0 || ::dup2(in, 0) < 0 || ::dup2(o, 1) < 0 || ::dup2(e, 2) < 0) {
      const int code = errno;
      [[maybe_unused]] auto w = ::write(report[1], &code, sizeof code);
      ::_exit(127);
    }
    ::execv(exe.c_str(), argv.data());
    const int code = errno;
    [[maybe_unused]] auto w = ::write(report[1], &code, sizeof code);
    ::_exit(127);
  }
  ::close(report[1]);
  int code = 0;
  ssize_t got;
  do {
    got = ::read(report[0], &code, sizeof code);
  } while (got < 0 && errno == EINTR);
  ::close(report[0]);
  if (got == static_cast<ssize_t>(sizeof code)) {
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    throw Error(exe + ": cannot start a run: " + std::strerror(code));
  }
  return pid;
}

}  // namespace kaa::sweep
