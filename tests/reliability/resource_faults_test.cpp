// Resource faults: a full disk (a file-size limit), an output path that cannot be a folder, and
// data files cut short. Each: one clear error, non-zero exit, no run folder, no temporary left.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/cli/cli_fixture.hpp"

namespace {

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;

void expect_nothing_left(const fs::path& dir, const fs::path& out) {
  EXPECT_FALSE(fs::exists(out)) << "a run folder was left behind";
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << "temporary left: " << name;
  }
}

TEST_F(Cli, DiskFullDuringTheRunIsOneClearError) {
  // A fit whose weights.npy (8000 x 3 floats, ~96 kB) exceeds a 64 kB file-size limit.
  const auto cfg = config({{"data", {{"n", 8000}}}});
  const fs::path out = dir_ / "run", err = dir_ / "err.txt";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);  // writes past the limit then fail with EFBIG, like a full disk
    rlimit limit{64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::execl(KAA_BINARY, KAA_BINARY, "fit", cfg.c_str(), "--out", out.c_str(), "--threads=1",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
  const std::string message = slurp(err);
  EXPECT_NE(message.find("weights.npy"), std::string::npos) << message;
  EXPECT_NE(message.find("kaa: error: "), std::string::npos) << message;
  EXPECT_EQ(message.find("kaa: error: "), message.rfind("kaa: error: ")) << "more than one error";
  expect_nothing_left(dir_, out);
}

TEST_F(Cli, OutputBelowARegularFileIsOneClearError) {
  // Root ignores permission bits, so "unwritable" is made structural: the parent is a file.
  const fs::path blocker = file("blocker", "x");
  const Result r = run("fit " + config().string() + " --out " + (blocker / "run").string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot create output folder"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(Cli, TruncatedNpyIsOneClearError) {
  // A valid 100 x 3 float64 header, the data cut after 1000 of its 2400 bytes.
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (100, 3), }";
  header.append(118 - 10 - header.size(), ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + char(header.size() & 0xff) +
                      char(header.size() >> 8) + header + std::string(1000, '\0');
  const fs::path data = file("x.npy", bytes);
  expect_fit_error(config().string() + " --data " + data.string(),
                   "truncated: expected 2400 bytes of data, found 1000");
}

TEST_F(Cli, TruncatedCsvLastRowIsOneClearError) {
  const fs::path data = file("x.csv", "1,2,3\n4,5,6\n7,8,9\n1,2");
  expect_fit_error(config().string() + " --data " + data.string(),
                   "x.csv:4: 2 columns, expected 3");
}

}  // namespace
