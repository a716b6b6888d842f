// No strategy knows another strategy's type: a file under strategies/<kind>/ includes, of
// strategies/, only its own header and strategies/common/. A strategy that uses another declares
// it as a nested field and gets it from the registry.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

/// The strategies/ headers a source includes that it may not: any but strategies/common/ and
/// `own` (the file's own header, relative to the repository root).
std::vector<std::string> foreign_includes(const std::string& source, const std::string& own) {
  static const std::regex include(R"re(#\s*include\s*"(strategies/[^"]+)")re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(source.begin(), source.end(), include), end; it != end; ++it) {
    const std::string header = (*it)[1];
    if (header.rfind("strategies/common/", 0) == 0 || header == own) continue;
    out.push_back(header);
  }
  return out;
}

TEST(StrategyIncludes, RuleCatchesAForeignStrategyHeader) {
  const std::string own = "strategies/hooks/projections/blended_projection.hpp";
  EXPECT_TRUE(foreign_includes("#include \"" + own +
                                   "\"\n#include \"strategies/common/schedule.hpp\"\n"
                                   "#include \"framework/error.hpp\"\n",
                               own)
                  .empty());
  EXPECT_EQ(foreign_includes(
                "#include \"" + own + "\"\n#  include \"strategies/projectors/cbap.hpp\"\n", own),
            std::vector<std::string>{"strategies/projectors/cbap.hpp"});
}

TEST(StrategyIncludes, NoStrategyIncludesAnotherStrategysHeader) {
  const fs::path root(KAA_SOURCE_DIR);
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root / "strategies")) {
    if (!entry.is_regular_file()) continue;
    const fs::path relative = fs::relative(entry.path(), root);
    const std::string ext = relative.extension().string();
    if (ext != ".hpp" && ext != ".cpp") continue;
    // strategies/register_all.* list every strategy; strategies/common/ holds no strategy.
    const fs::path kind_folder = *std::next(relative.begin());
    if (relative.parent_path() == "strategies" || kind_folder == "common") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    fs::path own = relative;
    own.replace_extension(".hpp");
    for (const std::string& header : foreign_includes(text.str(), own.generic_string()))
      ADD_FAILURE() << relative.generic_string() << " includes " << header
                    << ": build the other strategy through the registry (a nested field)";
    ++files;
  }
  EXPECT_GT(files, 100u);  // the walk found the strategies
}

}  // namespace
