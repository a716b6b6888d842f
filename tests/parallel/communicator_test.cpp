// The single-rank side of framework/parallel: the communicator without mpirun, row blocks, the
// distributed scope, agree() and the start-up check of a config for several ranks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "framework/config/config.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/distributed_config.hpp"
#include "framework/parallel/row_block.hpp"
#include "strategies/register_all.hpp"
#include "tests/support/full_registry.hpp"

namespace {

using kaa_test::full_registry;

namespace par = kaa::parallel;
using nlohmann::json;

TEST(Communicator, WithoutMpirunIsOneRankAndCollectivesAreCopies) {
  const par::Communicator& comm = par::world();
  ASSERT_EQ(comm.size(), 1);
  EXPECT_EQ(comm.rank(), 0);
  std::vector<double> v{1.5, -2.0, 3.25};
  comm.allreduce_sum(v.data(), v.size());
  EXPECT_EQ(v, (std::vector<double>{1.5, -2.0, 3.25}));
  comm.allreduce_max(v.data(), v.size());
  EXPECT_EQ(v, (std::vector<double>{1.5, -2.0, 3.25}));
  comm.broadcast(v.data(), v.size(), 0);
  EXPECT_EQ(v, (std::vector<double>{1.5, -2.0, 3.25}));
  EXPECT_EQ(comm.allgather(v.data(), 2), (std::vector<double>{1.5, -2.0}));
  EXPECT_EQ(comm.gather(v, 0), v);
  std::string text = "unchanged";
  comm.broadcast(text, 0);
  EXPECT_EQ(text, "unchanged");
}

TEST(Communicator, AgreeOnOneRankKeepsTheErrorType) {
  EXPECT_NO_THROW(par::agree([] {}));
  EXPECT_THROW(par::agree([] { throw kaa::ConfigError({"/model: bad"}); }), kaa::ConfigError);
  EXPECT_THROW(par::agree([] { throw kaa::InputError("file: bad"); }), kaa::InputError);
}

TEST(RowBlock, BlocksAreContiguousBalancedAndCoverTheRows) {
  for (std::size_t n : {1u, 2u, 7u, 10u, 1000u, 1001u})
    for (int ranks : {1, 2, 3, 4, 7}) {
      std::size_t next = 0, smallest = n, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        const par::RowBlock b = par::block_of(n, r, ranks);
        EXPECT_EQ(b.begin, next) << n << " rows, rank " << r << " of " << ranks;
        EXPECT_EQ(b.total, n);
        // Independent formula: floor(n r / R).
        EXPECT_EQ(b.begin, n * static_cast<std::size_t>(r) / static_cast<std::size_t>(ranks));
        next = b.end;
        smallest = std::min(smallest, b.size());
        largest = std::max(largest, b.size());
      }
      EXPECT_EQ(next, n);
      EXPECT_LE(largest - smallest, 1u) << n << " rows over " << ranks;
    }
}

TEST(RowBlock, ScopeGivesGlobalRowsAndOffsetOnlyWhileItLives) {
  EXPECT_FALSE(par::distributed());
  EXPECT_EQ(par::global_rows(40), 40u);
  EXPECT_EQ(par::row_offset(), 0u);
  {
    par::DistributedScope scope(par::block_of(100, 1, 2));
    EXPECT_TRUE(par::distributed());
    EXPECT_EQ(par::global_rows(50), 100u);
    EXPECT_EQ(par::row_offset(), 50u);
    EXPECT_THROW(par::DistributedScope nested(par::block_of(100, 0, 2)), kaa::Error);
  }
  EXPECT_FALSE(par::distributed());
  EXPECT_EQ(par::global_rows(40), 40u);
}

TEST(DistributedConfig, BaseConfigRunsOnManyRanks) {
  const auto registry = full_registry();
  const json resolved = kaa::resolve_config(
      kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json"), registry, "base.json");
  EXPECT_TRUE(par::distributed_issues(resolved, registry, 4, 2000).empty());
}

TEST(DistributedConfig, NonDistributedStrategyIsOneIssueNamingPathAndName) {
  const auto registry = full_registry();
  json raw = kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json");
  raw["loss"][0] = {{"type", "huber"}};
  const json resolved = kaa::resolve_config(raw, registry, "base.json");

  EXPECT_TRUE(par::distributed_issues(resolved, registry, 1).empty());  // one rank: anything goes
  const auto issues = par::distributed_issues(resolved, registry, 2);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].find("/loss/0: loss \"huber\" cannot run distributed (2 MPI ranks)"),
            std::string::npos)
      << issues[0];
  EXPECT_NE(issues[0].find("reconstruction"), std::string::npos) << issues[0];
}

TEST(DistributedConfig, MoreRanksThanRowsIsAnIssue) {
  const auto registry = full_registry();
  const json resolved = kaa::resolve_config(
      kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json"), registry, "base.json");
  const auto issues = par::distributed_issues(resolved, registry, 4, 3);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].find("3 rows cannot be split over 4 MPI ranks"), std::string::npos)
      << issues[0];
}

TEST(DistributedConfig, RegistryReadsTheFlag) {
  const auto registry = full_registry();
  EXPECT_TRUE(registry.find(kaa::Kind::projector, "knn_hull")->distributed);
  EXPECT_TRUE(registry.find(kaa::Kind::initializer, "kmeans_pp")->distributed);
  EXPECT_FALSE(registry.find(kaa::Kind::optimizer, "pcha")->distributed);
  EXPECT_FALSE(registry.find(kaa::Kind::loss, "huber")->distributed);
}

}  // namespace
