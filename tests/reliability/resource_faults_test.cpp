// Resource faults: a full disk (a file-size limit), an output path that cannot be a folder, a full
// standard output, and data files cut short. Each: one clear error, non-zero exit, no run folder,
// no temporary left.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

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

/// Runs kaa with `args` (plus --threads=1) in a child allowed files of at most `max_file_bytes`
/// (none: no limit) with SIGXFSZ ignored, so that writes past the limit fail with EFBIG as on a
/// full disk. stdout goes to `stdout_path`; stderr comes back through a pipe, which the limit does
/// not apply to.
Result run_limited(const std::vector<std::string>& args, std::optional<rlim_t> max_file_bytes,
                   const std::string& stdout_path = "/dev/null") {
  std::vector<std::string> all{KAA_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  all.push_back("--threads=1");
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  int err[2];
  if (::pipe(err) != 0) return {-1, "", "pipe failed"};
  const pid_t pid = ::fork();
  if (pid == 0) {  // only async-signal-safe calls until exec: the test process has threads
    if (max_file_bytes) {
      ::signal(SIGXFSZ, SIG_IGN);  // an ignored signal stays ignored across exec
      const rlimit limit{*max_file_bytes, *max_file_bytes};
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ::dup2(::open(stdout_path.c_str(), O_WRONLY), 1);
    ::dup2(err[1], 2);
    ::close(err[0]);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(err[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = ::read(err[0], buffer, sizeof buffer)) > 0;) text.append(buffer, got);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", text};
}

/// One line on stderr, containing `expected`.
void expect_one_error(const Result& r, const std::string& expected) {
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not one line:\n" << r.err;
  EXPECT_NE(r.err.find("kaa: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(expected), std::string::npos) << "no \"" << expected << "\" in:\n" << r.err;
}

/// Nothing at all under `dir` whose name is not in `keep`: no run, staging, checkpoint or
/// temporary file.
void expect_only(const fs::path& dir, const std::vector<std::string>& keep) {
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(e.path(), dir).string();
    EXPECT_NE(std::find(keep.begin(), keep.end(), name), keep.end()) << "left behind: " << name;
  }
}

TEST_F(Cli, DiskFullDuringTheRunIsOneClearError) {
  // A fit whose weights.npy (8000 x 3 floats, ~96 kB) exceeds a 64 kB file-size limit.
  const auto cfg = config({{"data", {{"n", 8000}}}});
  const fs::path out = dir_ / "run";

  const Result r = run_limited({"fit", cfg.string(), "--out", out.string(), "-q"}, 64 * 1024);

  EXPECT_EQ(r.exit_code, 1);
  expect_one_error(r, "weights.npy: cannot write: File too large");
  expect_nothing_left(dir_, out);
  expect_only(dir_, {"config.json"});
}

TEST_F(Cli, DiskFullAtTheFirstFileIsOneClearError) {
  // Files stop at 1 KiB: the first one written, config.json (about 2 kB), cannot be completed.
  // The write fails inside the writer, whose errno must be reported (it once read "I/O error").
  // (A limit of 0 would also stop LLVM's OpenMP runtime in the clang builds, which sizes a 1 KiB
  // shared-memory file at start-up.)
  const fs::path out = dir_ / "run";

  const Result r = run_limited({"fit", config().string(), "--out", out.string(), "-q"}, 1024);

  EXPECT_EQ(r.exit_code, 1);
  expect_one_error(r, "config.json: cannot write: File too large");
  expect_only(dir_, {"config.json"});
}

TEST_F(Cli, DiskFullAtTheFirstCheckpointIsOneClearError) {
  // The checkpoint's float64 arrays (2000 x 3 x 8 bytes) exceed a 16 kB limit at update 2.
  const auto cfg =
      config({{"data", {{"n", 2000}}}, {"checkpoint", {{"every", 2}, {"seconds", 0}}}});

  const Result r =
      run_limited({"fit", cfg.string(), "--out", (dir_ / "run").string(), "-q"}, 16 * 1024);

  EXPECT_EQ(r.exit_code, 1);
  expect_one_error(r, ".npy: cannot write: File too large");
  // No checkpoint was completed, so nothing of it is left to resume from.
  expect_only(dir_, {"config.json"});
}

TEST_F(Cli, TransformToAFullStandardOutputIsOneClearError) {
  // The weights on stdout are the result: losing them to a full disk must not exit 0.
  const fs::path data = file("train.csv", "0,0\n1,0\n0,1\n0.2,0.2\n0.5,0.4\n0.1,0.7\n");
  const fs::path out = dir_ / "run";
  ASSERT_EQ(run("fit " + config().string() + " --data " + data.string() + " --out " + out.string())
                .exit_code,
            0);

  const Result r = run_limited({"transform", "--run", out.string(), "--data", data.string()},
                               std::nullopt, "/dev/full");

  EXPECT_EQ(r.exit_code, 1);
  expect_one_error(r, "cannot write the weights to standard output: No space left on device");
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

TEST_F(Cli, NpyCutInTheHeaderIsOneClearError) {
  const std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (100, 3), }";
  const fs::path data =
      file("x.npy", std::string("\x93NUMPY\x01\x00\x76\x00", 10) + header.substr(0, 30));
  expect_fit_error(config().string() + " --data " + data.string(), "x.npy: truncated header");
}

TEST_F(Cli, IdxCutInTheDataIsOneClearError) {
  // 4 x 3 unsigned bytes announced, 7 present.
  const std::string header("\0\0\x08\x02\0\0\0\x04\0\0\0\x03", 12);
  const fs::path data = file("x-ubyte", header + std::string(7, '\x05'));
  expect_fit_error(config().string() + " --data " + data.string(),
                   "x-ubyte: truncated: header announces 4 x 3 values (24 bytes), file has 19");
}

TEST_F(Cli, GzipIdxCutShortIsOneClearError) {
  // The first 20 of the 42 bytes of gzip.compress(4 x 3 IDX ubytes, mtime=0).
  const std::string gz(
      "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x63\x60\xe0\x60\x62\x60\x60\x60\x01\x62", 20);
  const fs::path data = file("x-ubyte.gz", gz);
  expect_fit_error(config().string() + " --data " + data.string(), "x-ubyte.gz: corrupt gzip data");
}

}  // namespace
