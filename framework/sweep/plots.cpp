#include "framework/sweep/plots.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <vector>

#include "framework/error.hpp"

extern char** environ;

namespace kaa::sweep {

namespace fs = std::filesystem;

fs::path find_plot_script(const fs::path& executable, const fs::path& source_dir) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("KAA_PLOTS_SCRIPT")) candidates.emplace_back(env);
  candidates.push_back(executable.parent_path().parent_path() / "scripts" / "kaa_plots.py");
  candidates.push_back(source_dir / "scripts" / "kaa_plots.py");
  std::string looked;
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c, ec)) return c;
    looked += (looked.empty() ? "" : ", ") + c.string();
  }
  throw Error("plot script kaa_plots.py not found (looked at " + looked +
              "); set KAA_PLOTS_SCRIPT");
}

void make_plots(const fs::path& folder, const fs::path& script) {
  std::cout.flush();
  std::string python = "python3";
  if (const char* env = std::getenv("KAA_PYTHON"))
    python = env;
  else if (fs::exists("/usr/bin/python3"))
    python = "/usr/bin/python3";
  std::vector<std::string> args{python, script.string(), folder.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, python.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0)
    throw Error(python + ": cannot run the plot script: " + std::strerror(rc) +
                " (figures need python3 and python3-matplotlib; scripts/install_deps.sh installs "
                "them)");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error(script.string() + " failed on " + folder.string() + " (see its messages above)");
}

}  // namespace kaa::sweep
