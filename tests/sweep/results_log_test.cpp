// results.jsonl: torn rows after a kill, hand-damaged rows, the folder lock, and the concurrency
// plan that must never oversubscribe the cores.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "framework/error.hpp"
#include "framework/sweep/results_log.hpp"
#include "framework/sweep/runner.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class ResultsLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kaa_results_log_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(ResultsLogTest, AppendedRowsReadBackInOrder) {
  const kaa::sweep::ResultsLog log(dir_ / "results.jsonl");
  EXPECT_TRUE(log.read().empty()) << "no file yet: no rows";
  log.append({{"id", "a"}, {"x", 1}});
  log.append({{"id", "b"}, {"x", 2}});
  const auto rows = log.read();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1]["x"], 2);
  EXPECT_EQ(slurp(dir_ / "results.jsonl"), "{\"id\":\"a\",\"x\":1}\n{\"id\":\"b\",\"x\":2}\n");
}

TEST_F(ResultsLogTest, TornLastRowIsIgnoredThenCutOff) {
  const kaa::sweep::ResultsLog log(dir_ / "results.jsonl");
  log.append({{"id", "a"}});
  // A kill in the middle of a write leaves a prefix of the row without its newline; even a
  // prefix that happens to be valid JSON is not a finished row.
  for (const std::string torn : {"{\"id\": \"b\", \"sta", "{\"id\": \"b\"}"}) {
    std::ofstream(dir_ / "results.jsonl", std::ios::app) << torn;
    ASSERT_EQ(log.read().size(), 1u);
    EXPECT_EQ(log.repair(), torn.size());
    EXPECT_EQ(slurp(dir_ / "results.jsonl"), "{\"id\":\"a\"}\n");
    EXPECT_EQ(log.repair(), 0u);
  }
  log.append({{"id", "c"}});
  EXPECT_EQ(log.read().size(), 2u);
}

TEST_F(ResultsLogTest, DamagedLinesInTheMiddleAreSkippedNotTheRowsAfterThem) {
  std::ofstream(dir_ / "results.jsonl") << "{\"id\":\"a\"}\nnot json\n[1,2]\n\n{\"id\":\"b\"}\n";
  std::vector<std::string> skipped;
  const auto rows = kaa::sweep::ResultsLog(dir_ / "results.jsonl").read(&skipped);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1]["id"], "b");
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_NE(skipped[0].find("results.jsonl:2: not a result row"), std::string::npos);
}

TEST_F(ResultsLogTest, RewriteKeepsExactlyTheGivenRows) {
  const kaa::sweep::ResultsLog log(dir_ / "results.jsonl");
  log.append({{"id", "a"}, {"status", "failed"}});
  log.append({{"id", "b"}, {"status", "ok"}});
  log.rewrite({log.read()[1]});
  EXPECT_EQ(slurp(dir_ / "results.jsonl"), "{\"id\":\"b\",\"status\":\"ok\"}\n");
}

TEST_F(ResultsLogTest, OneSweepPerFolder) {
  auto first = std::make_unique<kaa::sweep::FolderLock>(dir_ / ".lock");
  try {
    kaa::sweep::FolderLock second(dir_ / ".lock");
    FAIL() << "two locks on one folder";
  } catch (const kaa::Error& e) {
    EXPECT_NE(std::string(e.what()).find("another kaa sweep is running"), std::string::npos);
  }
  first.reset();
  EXPECT_NO_THROW(kaa::sweep::FolderLock again(dir_ / ".lock"));
}

TEST(Concurrency, RunsTimesThreadsNeverExceedTheCores) {
  using kaa::sweep::plan_concurrency;
  using Plan = std::pair<std::size_t, std::size_t>;
  EXPECT_EQ(plan_concurrency(16, 0, 0, 100), Plan(16, 1));
  EXPECT_EQ(plan_concurrency(16, 0, 0, 5), Plan(5, 3));
  EXPECT_EQ(plan_concurrency(2, 4, 0, 10), Plan(2, 1));
  EXPECT_EQ(plan_concurrency(8, 0, 3, 10), Plan(2, 3));
  EXPECT_EQ(plan_concurrency(2, 2, 2, 10), Plan(1, 2));
  EXPECT_EQ(plan_concurrency(2, 1, 8, 10), Plan(1, 2));
  for (std::size_t cores = 1; cores <= 9; ++cores)
    for (std::size_t runs = 0; runs <= 10; ++runs)
      for (std::size_t threads = 0; threads <= 10; ++threads)
        for (std::size_t total : {1, 3, 50}) {
          const auto [r, t] = plan_concurrency(cores, runs, threads, total);
          EXPECT_GE(r, 1u);
          EXPECT_GE(t, 1u);
          EXPECT_LE(r * t, cores) << cores << " " << runs << " " << threads << " " << total;
          EXPECT_LE(r, total);
        }
}

}  // namespace
