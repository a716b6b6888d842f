// Strategies call kernel entry points in framework/kernels; they launch no kernels of their own,
// so that every kernel is written once, compiles for every backend and can be tuned in one place.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace {

TEST(StrategySources, NoStrategyLaunchesAKernel) {
  const std::regex launch(R"(\bparallel_(for|reduce|scan)\b|\bTeamPolicy\b|\bRangePolicy\b)");
  std::size_t files = 0;
  std::string offenders;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(KAA_SOURCE_DIR "/strategies")) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    for (int number = 1; std::getline(in, line); ++number)
      if (std::regex_search(line, launch))
        offenders += "\n  " + entry.path().string() + ":" + std::to_string(number) + ": " + line;
  }
  EXPECT_GT(files, 50u) << "the strategy sources were not found";
  EXPECT_TRUE(offenders.empty()) << "kernel launches outside framework/kernels:" << offenders;
}

}  // namespace
