// No update after the first one allocates a Kokkos::View: scratch lives in workspaces sized
// before the loop (framework/kernels/workspace.hpp). Counted through Kokkos' profiling hooks over
// updates 2..N of every shipped config (configs/ and configs/archetypax/), so a strategy added
// later is covered without editing this test.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/model.hpp"
#include "framework/run.hpp"
#include "strategies/register_all.hpp"

namespace {

using nlohmann::json;

std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};
std::mutex labels_mutex;
std::set<std::string> labels;

void count_allocation(Kokkos::Profiling::SpaceHandle, const char* label, const void*,
                      std::uint64_t) {
  if (!counting.load()) return;
  ++allocations;
  std::lock_guard<std::mutex> lock(labels_mutex);
  labels.insert(label);
}

/// Installs the allocation callback for the lifetime of the object.
struct AllocationCounter {
  AllocationCounter() { Kokkos::Tools::Experimental::set_allocate_data_callback(count_allocation); }
  ~AllocationCounter() {
    counting = false;
    Kokkos::Tools::Experimental::set_allocate_data_callback(nullptr);
  }
};

std::vector<std::filesystem::path> configs_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// The config on a small synthetic set with exactly `updates` updates (hooks scheduled every few
/// updates get their turn) and no early stop.
json small_version(json raw, long long updates) {
  raw["data"] = {{"type", "synthetic"}, {"n", 300},      {"d", 5},
                 {"n_archetypes", 3},   {"noise", 0.05}, {"seed", 1}};
  raw["model"]["n_archetypes"] = 3;
  raw["stopping"] = json::array({{{"type", "max_iter"}, {"value", updates}}});
  return raw;
}

/// Allocations over updates 2..N and their labels.
template <class S>
std::pair<std::size_t, std::set<std::string>> allocations_after_first_update(
    const json& resolved, const kaa::Registry& registry, std::size_t& updates_seen) {
  auto dataset = registry.make<kaa::Dataset, S>(resolved.at("data"));
  kaa::LoadedData data = dataset->load(resolved["model"]["seed"].get<std::uint64_t>());
  kaa::Model<S> model(resolved, registry);
  const auto X = kaa::to_device<S>(data.X, "X");
  auto params = model.allocate(data.X.rows, data.X.cols);
  model.initialize(X, params, resolved["model"]["seed"].get<std::uint64_t>());

  allocations = 0;
  labels.clear();
  std::size_t at_last_update = 0;
  std::set<std::string> labels_at_last_update;
  AllocationCounter counter;
  const kaa::FitTrace trace = model.iterate(
      X, params,
      [&](std::size_t update, double) {
        if (update == 1) counting = true;  // the first update may size workspaces
        at_last_update = allocations.load();
        std::lock_guard<std::mutex> lock(labels_mutex);
        labels_at_last_update = labels;
        updates_seen = update;
      },
      1);
  EXPECT_FALSE(trace.diverged) << trace.stop_reason;
  return {at_last_update, labels_at_last_update};
}

TEST(UpdateAllocations, NoUpdateAfterTheFirstAllocatesAView) {
  kaa::Registry registry;
  kaa::register_all(registry);
  auto paths = configs_under(KAA_SOURCE_DIR "/configs");
  const auto archetypax = configs_under(KAA_SOURCE_DIR "/configs/archetypax");
  paths.insert(paths.end(), archetypax.begin(), archetypax.end());
  ASSERT_GE(paths.size(), 10u);
  for (const auto& path : paths) {
    SCOPED_TRACE(path.string());
    const json resolved =
        kaa::resolve_config(small_version(kaa::read_json_file(path), 25), registry, path.string());
    std::size_t updates_seen = 0;
    const auto [count, seen] =
        resolved["model"]["precision"] == "float64"
            ? allocations_after_first_update<double>(resolved, registry, updates_seen)
            : allocations_after_first_update<float>(resolved, registry, updates_seen);
    EXPECT_EQ(updates_seen, 25u) << "the fit must run every update for the count to mean much";
    std::string names;
    for (const auto& label : seen) names += " " + label;
    EXPECT_EQ(count, 0u) << "views allocated during updates 2.." << updates_seen << ":" << names;
  }
}

/// The counter itself sees an allocation (otherwise a zero above would prove nothing).
TEST(UpdateAllocations, CounterSeesAnAllocation) {
  allocations = 0;
  {
    AllocationCounter counter;
    counting = true;
    kaa::Matrix<double> probe("probe", 3, 3);
    counting = false;
  }
  EXPECT_EQ(allocations.load(), 1u);
}

}  // namespace
