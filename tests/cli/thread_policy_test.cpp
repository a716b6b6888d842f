// How kaa fit chooses the OpenMP wait policy and thread count (framework/kokkos_session.hpp):
// passive waiting unless the user set a policy, applied by re-executing the binary because libgomp
// reads OMP_WAIT_POLICY before main; the user's OMP_WAIT_POLICY, OMP_NUM_THREADS and --threads win.
// The runtime's own account (OMP_DISPLAY_ENV=verbose, printed when libgomp starts) shows what it
// applied.
#include "tests/cli/cli_fixture.hpp"

#include <gtest/gtest.h>

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;

/// The value of the last line of libgomp's OMP_DISPLAY_ENV block that names `key` ("" if none).
// OMP_DISPLAY_ENV's spellings: libgomp (gcc builds) "  KEY = 'value'", LLVM's libomp (the clang
// sanitizer builds) "  [host] KEY='value'".
std::vector<std::string> display_prefixes(const std::string& key) {
  return {key + " = '", key + "='"};
}

std::string last_displayed(const std::string& err, const std::string& key) {
  std::size_t last = std::string::npos, begin = 0;
  for (const std::string& prefix : display_prefixes(key)) {
    const std::size_t at = err.rfind(prefix);
    if (at != std::string::npos && (last == std::string::npos || at > last)) {
      last = at;
      begin = at + prefix.size();
    }
  }
  if (last == std::string::npos) return "";
  return err.substr(begin, err.find('\'', begin) - begin);
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++count;
  return count;
}

std::size_t displays_of(const std::string& err, const std::string& key) {
  std::size_t count = 0;
  for (const std::string& prefix : display_prefixes(key)) count += occurrences(err, prefix);
  return count;
}

class ThreadPolicy : public Cli {
 protected:
  /// A short fit under `env`; its metrics.json.
  nlohmann::json fit(const std::string& env, int threads, Result& r) {
    const fs::path out = dir_ / "run";
    fs::remove_all(out);
    r = run("fit " + config().string() + " --out " + out.string(), threads,
            env + " OMP_DISPLAY_ENV=verbose");
    if (r.exit_code != 0) return nlohmann::json();
    return nlohmann::json::parse(slurp(out / "metrics.json"));
  }

  /// A fit under `env` records `policy` set by `set_by`, and libgomp shows it applied.
  Result expect_wait_policy(const std::string& env, const std::string& policy,
                            const std::string& set_by, const std::string& displayed) {
    Result r;
    const auto m = fit(env, 1, r);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(m["omp_wait_policy"], policy);
    EXPECT_EQ(m["omp_wait_policy_set_by"], set_by);
    EXPECT_EQ(last_displayed(r.err, "OMP_WAIT_POLICY"), displayed) << r.err;
    return r;
  }
};

TEST_F(ThreadPolicy, PassiveWaitingIsAppliedWhenTheUserSetNone) {
  const Result r =
      expect_wait_policy("-u OMP_WAIT_POLICY -u GOMP_SPINCOUNT", "passive", "kaa", "PASSIVE");
  // libgomp shows PASSIVE for an unset policy too; its spin count tells them apart.
  const std::string spin = last_displayed(r.err, "GOMP_SPINCOUNT");
  if (!spin.empty()) {
    EXPECT_EQ(spin, "0") << r.err;
  }
}

TEST_F(ThreadPolicy, TheUsersWaitPolicyIsKept) {
  const Result r =
      expect_wait_policy("-u GOMP_SPINCOUNT OMP_WAIT_POLICY=active", "active", "user", "ACTIVE");
  EXPECT_EQ(displays_of(r.err, "OMP_WAIT_POLICY"), 1u) << "re-executed:\n" << r.err;
}

TEST_F(ThreadPolicy, TheUsersSpinCountIsKept) {
  Result r;
  const auto m = fit("-u OMP_WAIT_POLICY GOMP_SPINCOUNT=1000", 1, r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(m["omp_wait_policy"], "unset");
  const std::string spin = last_displayed(r.err, "GOMP_SPINCOUNT");
  if (!spin.empty()) {
    EXPECT_EQ(spin, "1000") << r.err;
  }
}

TEST_F(ThreadPolicy, ThreadsRequestedOrFromOmpNumThreadsWin) {
  Result r;
  auto m = fit("-u OMP_NUM_THREADS", 2, r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(m["threads"], 2);
  EXPECT_EQ(m["threads_set_by"], "requested");

  m = fit("OMP_NUM_THREADS=1", 0, r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(m["threads"], 1);
  EXPECT_EQ(m["threads_set_by"], "OMP_NUM_THREADS");
}

TEST_F(ThreadPolicy, WithoutAChoiceThreadsAreTheIdleCores) {
  Result r;
  const auto m = fit("-u OMP_NUM_THREADS", 0, r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(m["threads_set_by"], "idle cores");
  cpu_set_t mask;
  CPU_ZERO(&mask);
  ASSERT_EQ(sched_getaffinity(0, sizeof mask, &mask), 0);
  const int allowed = CPU_COUNT(&mask);
  const int threads = m["threads"].get<int>();
  EXPECT_GE(threads, 1);
  EXPECT_LE(threads, allowed);
  if (allowed != sysconf(_SC_NPROCESSORS_ONLN)) return;  // pinned: all allowed cores, no look
  ASSERT_TRUE(m.contains("busy_cores_at_start")) << m.dump();
  EXPECT_EQ(threads, std::max(1, allowed - m["busy_cores_at_start"].get<int>()));
}

}  // namespace
