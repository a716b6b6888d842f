// docs/ARCHITECTURE.md's "How to add a strategy" kept honest: its code blocks are the files of
// the example strategy compiled here, and that strategy, registered with the walk-through's one
// line, is validated, documented and stops a real fit.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "framework/config/config.hpp"
#include "framework/config/strategy_docs.hpp"
#include "framework/host_transfer.hpp"
#include "framework/model.hpp"
#include "tests/support/full_registry.hpp"
#include "tests/support/host_matrices.hpp"
#include "tests/walkthrough/loss_below.hpp"

namespace {

using nlohmann::json;

void register_example(kaa::Registry& r) {
  using namespace kaa;
  using namespace kaa::strategies;
  // walkthrough:begin register
  r.add<StoppingRule, LossBelow>();
  // walkthrough:end register
}

std::string read_text(const std::string& relative) {
  std::ifstream in(std::filesystem::path(KAA_SOURCE_DIR) / relative);
  EXPECT_TRUE(in) << "cannot read " << relative;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b);
}

/// A whole file ("path"), or the lines between `// walkthrough:begin R` and `// walkthrough:end R`
/// of it ("path#R") with their common indentation removed.
std::string quoted_code(const std::string& reference) {
  const auto hash = reference.find('#');
  const std::string text = read_text(reference.substr(0, hash));
  if (hash == std::string::npos) return text;
  const std::string region = reference.substr(hash + 1);
  std::vector<std::string> lines;
  bool inside = false, found = false;
  for (const auto& line : lines_of(text)) {
    if (trimmed(line) == "// walkthrough:begin " + region) {
      inside = found = true;
    } else if (trimmed(line) == "// walkthrough:end " + region) {
      inside = false;
    } else if (inside) {
      lines.push_back(line);
    }
  }
  EXPECT_TRUE(found) << reference << ": no region " << region;
  std::size_t indent = std::string::npos;
  for (const auto& line : lines)
    if (!trimmed(line).empty()) indent = std::min(indent, line.size() - trimmed(line).size());
  std::string out;
  for (const auto& line : lines) out += (trimmed(line).empty() ? "" : line.substr(indent)) + "\n";
  return out;
}

/// Every `<!-- walkthrough: REFERENCE -->` of the document with the fenced code block after it.
std::map<std::string, std::string> quoted_blocks(const std::string& document) {
  const std::string open = "<!-- walkthrough: ", close = " -->";
  std::map<std::string, std::string> blocks;
  const auto lines = lines_of(document);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].starts_with(open) || !lines[i].ends_with(close)) continue;
    const std::string reference =
        lines[i].substr(open.size(), lines[i].size() - open.size() - close.size());
    EXPECT_TRUE(i + 1 < lines.size() && lines[i + 1].starts_with("```"))
        << reference << ": the marker must be followed by a fenced code block";
    std::string code;
    std::size_t j = i + 2;
    for (; j < lines.size() && lines[j] != "```"; ++j) code += lines[j] + "\n";
    EXPECT_LT(j, lines.size()) << reference << ": unterminated code block";
    blocks[reference] = code;
  }
  return blocks;
}

TEST(Walkthrough, CodeBlocksAreTheCompiledExample) {
  const auto blocks = quoted_blocks(read_text("docs/ARCHITECTURE.md"));
  const std::set<std::string> expected = {"tests/walkthrough/loss_below.hpp",
                                          "tests/walkthrough/loss_below.cpp#source",
                                          "tests/walkthrough/walkthrough_test.cpp#register"};
  std::set<std::string> found;
  for (const auto& [reference, code] : blocks) found.insert(reference);
  EXPECT_EQ(found, expected);
  for (const auto& [reference, code] : blocks) {
    EXPECT_EQ(code, quoted_code(reference))
        << "docs/ARCHITECTURE.md's block for " << reference << " differs from the file";
  }
}

TEST(Walkthrough, RegisteredExampleIsListedAndValidated) {
  kaa::Registry registry = kaa_test::full_registry();
  register_example(registry);
  const kaa::StrategyInfo* info = registry.find(kaa::Kind::stopping, "loss_below");
  ASSERT_NE(info, nullptr);
  EXPECT_NE(kaa::strategy_reference(registry, true).find("### stopping `loss_below`"),
            std::string::npos);

  json raw = kaa::read_json_file(std::filesystem::path(KAA_SOURCE_DIR) / "configs/pcha.json");
  for (const json& rule :
       {json{{"type", "loss_below"}}, json{{"type", "loss_below"}, {"threshold", -1.0}},
        json{{"type", "loss_below"}, {"threshold", 1.0}, {"tol", 1.0}}}) {
    const json stopping = {rule, {{"type", "max_iter"}, {"value", 10}}};
    raw["stopping"] = stopping;
    try {
      kaa::resolve_config(raw, registry, "pcha.json");
      ADD_FAILURE() << "accepted " << stopping.dump();
    } catch (const kaa::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("/stopping/0/"), std::string::npos) << e.what();
    }
  }
}

kaa::FitTrace fit_pcha(const json& stopping, const kaa::Registry& registry) {
  json raw = kaa::read_json_file(std::filesystem::path(KAA_SOURCE_DIR) / "configs/pcha.json");
  raw["model"]["n_archetypes"] = 3;
  raw["stopping"] = stopping;
  kaa::Model<double> model(kaa::resolve_config(raw, registry, "pcha.json"), registry);
  const kaa::HostMatrix Xh = kaa_test::random_matrix(120, 4, 7, 0.0, 1.0);
  const auto X = kaa::to_device<double>(Xh, "X");
  auto params = model.allocate(Xh.rows, Xh.cols);
  return model.fit(X, params, 5);
}

TEST(Walkthrough, ExampleStopsAFitBeforeTheFirstUpdateFromBelowItsThreshold) {
  kaa::Registry registry = kaa_test::full_registry();
  register_example(registry);
  const auto reference = fit_pcha(json{{{"type", "max_iter"}, {"value", 40}}}, registry);
  ASSERT_EQ(reference.losses.size(), 40u);
  // Between the losses before updates 9 and 10: the rule must stop before update 10, whatever
  // the losses' shape (the expected stop is read from the reference trace, not assumed).
  const double threshold = 0.5 * (reference.losses[9] + reference.losses[10]);
  ASSERT_LT(reference.losses[10], reference.losses[9]);
  const auto first_below = std::find_if(reference.losses.begin(), reference.losses.end(),
                                        [&](double l) { return l < threshold; }) -
                           reference.losses.begin();

  const auto trace = fit_pcha(json{{{"type", "loss_below"}, {"threshold", threshold}},
                                   {{"type", "max_iter"}, {"value", 40}}},
                              registry);
  EXPECT_EQ(trace.stop_reason, "loss_below");
  ASSERT_EQ(trace.losses.size(), static_cast<std::size_t>(first_below) + 1);
  for (std::size_t i = 0; i < trace.losses.size(); ++i)
    EXPECT_EQ(trace.losses[i], reference.losses[i]) << "update " << i;
}

}  // namespace
