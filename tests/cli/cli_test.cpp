// The kaa binary end to end: every bad input gives one clear error line naming the culprit, a
// non-zero exit code, and leaves no run folder behind; good input gives a complete run folder.
#include "tests/cli/cli_fixture.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace {

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;

TEST_F(Cli, FitWritesACompleteRunFolder) {
  const fs::path out = dir_ / "run";

  const Result r = run("fit " + config().string() + " --out " + out.string());

  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name :
       {"config.json", "archetypes.csv", "weights.npy", "loss_history.csv", "metrics.json",
        "log.txt", "preprocessing.json", "true_archetypes.csv"}) {
    EXPECT_TRUE(fs::exists(out / name)) << name;
  }
  const auto metrics = nlohmann::json::parse(slurp(out / "metrics.json"));
  EXPECT_EQ(metrics["status"], "ok");
  EXPECT_EQ(metrics["iterations"], 20);
  EXPECT_EQ(metrics["threads"], 1);
  for (const char* key : {"final_loss", "rss", "explained_variance", "seconds", "stop_reason",
                          "kaa_version", "git_commit"}) {
    EXPECT_TRUE(metrics.contains(key)) << key;
  }
  EXPECT_NE(r.out.find("run folder:"), std::string::npos);
  EXPECT_NE(r.out.find("explained variance:"), std::string::npos);
}

TEST_F(Cli, SameSeedGivesIdenticalArchetypes) {
  const fs::path cfg = config();
  ASSERT_EQ(run("fit " + cfg.string() + " --out " + (dir_ / "a").string()).exit_code, 0);
  ASSERT_EQ(run("fit " + cfg.string() + " --out " + (dir_ / "b").string()).exit_code, 0);

  EXPECT_EQ(slurp(dir_ / "a" / "archetypes.csv"), slurp(dir_ / "b" / "archetypes.csv"));
}

TEST_F(Cli, ExistingRunFolderIsNotOverwrittenUnlessAsked) {
  const fs::path out = dir_ / "run";
  ASSERT_EQ(run("fit " + config().string() + " --out " + out.string()).exit_code, 0);

  const Result again = run("fit " + config().string() + " --out " + out.string());
  const Result forced = run("fit " + config().string() + " --out " + out.string() + " --overwrite");

  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
}

TEST_F(Cli, TransformGivesSimplexWeightsOfNewPoints) {
  const fs::path out = dir_ / "run";
  const fs::path data = file("train.csv", "x,y\n0,0\n1,0\n0,1\n0.2,0.2\n0.5,0.4\n0.1,0.7\n");
  ASSERT_EQ(run("fit " + config().string() + " --data " + data.string() + " --out " + out.string())
                .exit_code,
            0);
  const fs::path points = file("new.csv", "0.3,0.3\n0.9,0.05\n");

  const Result r = run("transform --run " + out.string() + " --data " + points.string());

  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "w0,w1,w2");
  int rows = 0;
  while (std::getline(lines, line)) {
    double sum = 0, v;
    char comma;
    std::istringstream cells(line);
    for (int j = 0; j < 3; ++j) {
      cells >> v;
      EXPECT_GE(v, 0.0);
      sum += v;
      if (j < 2) cells >> comma;
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
    ++rows;
  }
  EXPECT_EQ(rows, 2);
}

TEST_F(Cli, Float64FitWritesDoubleWeights) {
  const fs::path out = dir_ / "run";

  const Result r = run("fit " + config({{"model", {{"precision", "float64"}}}}).string() +
                       " --out " + out.string());

  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(out / "weights.npy").find("'descr': '<f8'"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(slurp(out / "metrics.json"))["precision"], "float64");
}

TEST_F(Cli, NormalizedFitReportsArchetypesInOriginalUnits) {
  // Two features on very different scales; archetypes stay inside the data's bounding box only if
  // they are mapped back from z-scores.
  std::string csv = "a,b\n";
  for (int i = 0; i < 40; ++i)
    csv += std::to_string(1000 + (i % 7) * 10) + "," + std::to_string(0.001 * (i % 5)) + "\n";
  const auto data = file("scaled.csv", csv);
  const fs::path out = dir_ / "run";

  const Result r = run("fit " + config({{"model", {{"normalize", true}}}}).string() + " --data " +
                       data.string() + " --out " + out.string());

  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(slurp(out / "archetypes.csv"));
  std::string line;
  std::getline(lines, line);  // header
  int rows = 0;
  while (std::getline(lines, line)) {
    const double a = std::stod(line.substr(0, line.find(',')));
    const double b = std::stod(line.substr(line.find(',') + 1));
    EXPECT_GE(a, 1000 - 1e-6);
    EXPECT_LE(a, 1060 + 1e-6);
    EXPECT_GE(b, -1e-9);
    EXPECT_LE(b, 0.004 + 1e-9);
    ++rows;
  }
  EXPECT_EQ(rows, 3);
}

TEST_F(Cli, TheDataHeaderNamesTheColumnsOfTheOutputsAndTheReport) {
  std::string csv = "height,\"weight\"\n";
  for (int i = 0; i < 30; ++i)
    csv += std::to_string(150 + (i * 7) % 40) + "," + std::to_string(50 + (i * 11) % 30) + "\n";
  const auto data = file("people.csv", csv);
  const fs::path out = dir_ / "run";

  const Result fit =
      run("fit " + config().string() + " --data " + data.string() + " --out " + out.string());
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  const Result report = run("report " + out.string());

  std::istringstream lines(slurp(out / "archetypes.csv"));
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header, "height,weight");
  EXPECT_EQ(nlohmann::json::parse(slurp(out / "metrics.json"))["feature_names"],
            nlohmann::json({"height", "weight"}));
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("height      weight"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("  A0 "), std::string::npos) << report.out;
}

TEST_F(Cli, SetRefinesTheFileThatDataNames) {
  std::string csv = "height,weight\n";
  for (int i = 0; i < 30; ++i)
    csv += std::to_string(150 + (i * 7) % 40) + "," + std::to_string(1 + i % 3) + "\n";
  const auto data = file("people.csv", csv);
  const fs::path out = dir_ / "run";
  const Result fit = run("fit " + config().string() + " --data " + data.string() +
                         " --set /data/weights_column=\\\"weight\\\" --out " + out.string());
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  const auto metrics = nlohmann::json::parse(slurp(out / "metrics.json"));
  EXPECT_EQ(metrics["d"], 1);  // the weights column is not a feature
  EXPECT_EQ(metrics["sum_of_weights"], 60.0);
}

TEST_F(Cli, KilledFitLeavesNoRunFolder) {
  // A fit far too long to finish, killed after a second.
  const auto cfg = config({{"data", {{"n", 200000}, {"d", 20}}},
                           {"stopping", {{{"type", "max_iter"}, {"value", 100000000}}}}});
  const fs::path out = dir_ / "run";
  const std::string command = "timeout -s KILL 1 " + std::string(KAA_BINARY) + " fit " +
                              cfg.string() + " --out " + out.string() +
                              " --threads=1 >/dev/null 2>&1";

  const int status = std::system(command.c_str());

  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 137) << "the fit was not killed mid-way";
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out / "metrics.json"));
}

TEST_F(Cli, ListPrintsEveryKindWithParameters) {
  const Result r = run("list");

  ASSERT_EQ(r.exit_code, 0);
  for (const char* text :
       {"initializer kmeans_pp", "projector knn_hull", "learning_rate (number, default 0.001, > 0)",
        "stopping loss_delta", "transform projected_gradient"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  }
}

TEST_F(Cli, MissingDataFile) {
  expect_fit_error(config().string() + " --data " + (dir_ / "nope.csv").string(),
                   "nope.csv: cannot open: No such file or directory");
}

TEST_F(Cli, DataPathIsADirectory) {
  fs::create_directories(dir_ / "d.csv");
  expect_fit_error(config().string() + " --data " + (dir_ / "d.csv").string(),
                   "d.csv: cannot open: is a directory");
}

TEST_F(Cli, RaggedCsvRow) {
  const auto data = file("ragged.csv", "a,b,c\n1,2,3\n4,5,6\n7,8\n");
  expect_fit_error(config().string() + " --data " + data.string(),
                   "ragged.csv:4: 2 columns, expected 3");
}

TEST_F(Cli, NonNumericCell) {
  const auto data = file("text.csv", "1,2,3\n4,abc,6\n");
  expect_fit_error(config().string() + " --data " + data.string(),
                   "text.csv:2: column 2: not a number: \"abc\"");
}

TEST_F(Cli, NanInData) {
  const auto data = file("nan.csv", "1,2,3\n4,5,6\n7,8,nan\n");
  expect_fit_error(config().string() + " --data " + data.string(),
                   "nan.csv:3: column 3: NaN or Inf value");
}

TEST_F(Cli, InfInData) {
  const auto data = file("inf.csv", "1 2 3\ninf 5 6\n");
  expect_fit_error(config().string() + " --data " + data.string(),
                   "inf.csv:2: column 1: NaN or Inf value");
}

TEST_F(Cli, EmptyData) {
  const auto data = file("empty.csv", "a,b,c\n");
  expect_fit_error(config().string() + " --data " + data.string(), "empty.csv: no data rows");
}

TEST_F(Cli, ZeroColumnsInNpy) {
  // A hand-made .npy of shape (4, 0): the data have no features.
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 0), }";
  header.append(128 - 10 - header.size() - 1, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) +
                      std::string(1, '\0') + header;
  const auto data = file("zero.npy", bytes);
  expect_fit_error(config().string() + " --data " + data.string(),
                   "zero.npy: empty array (shape (4, 0))");
}

TEST_F(Cli, MoreArchetypesThanRows) {
  const auto data = file("small.csv", "1,2\n3,4\n");
  expect_fit_error(config().string() + " --data " + data.string(),
                   "/model/n_archetypes: 3 archetypes but the data");
}

TEST_F(Cli, ZeroArchetypes) {
  expect_fit_error(config({{"model", {{"n_archetypes", 0}}}}).string(),
                   "/model/n_archetypes: expected an integer >= 1, got 0");
}

TEST_F(Cli, UnknownConfigKey) {
  expect_fit_error(config({{"optimizer", {{"learning_rat", 0.1}}}}).string(),
                   "/optimizer/learning_rat: unknown key (did you mean \"learning_rate\"?)");
}

TEST_F(Cli, UnknownStrategyName) {
  expect_fit_error(config({{"optimizer", {{"type", "adma"}}}}).string(),
                   "/optimizer/type: unknown optimizer \"adma\" (did you mean \"adam\"?)");
}

TEST_F(Cli, WrongType) {
  expect_fit_error(config({{"model", {{"seed", "forty-two"}}}}).string(),
                   "/model/seed: expected an integer >= 0, got \"forty-two\"");
}

TEST_F(Cli, ValueOutOfRange) {
  expect_fit_error(config({{"optimizer", {{"b2", 1.0}}}}).string(),
                   "/optimizer/b2: expected a number [0, 1), got 1.0");
}

TEST_F(Cli, MalformedJson) {
  const auto cfg = file("bad.json", "{\n  \"model\": {\n    \"n_archetypes\": 3\n  \n");
  expect_fit_error(cfg.string(), "bad.json:5:1: malformed JSON");
}

// Found by fuzz_config: nlohmann reports a number beyond double's range as out_of_range, not as a
// parse error; it must still be one clear config error (exit 2), not an internal one.
TEST_F(Cli, NumberTooLargeForJson) {
  const auto cfg =
      file("big.json", "{\"model\": {\"n_archetypes\": 1" + std::string(400, '0') + "}}");
  expect_fit_error(cfg.string(), "big.json: malformed JSON: number overflow");
}

TEST_F(Cli, OutputFolderNotWritable) {
  // A regular file where a parent folder should be: not writable even for root.
  const auto blocker = file("blocker", "x");
  const Result r = run("fit " + config().string() + " --out " + (blocker / "run").string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("blocker: cannot create output folder"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(Cli, UnknownCommandSuggestsTheClosest) {
  const Result r = run("fitt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command \"fitt\" (did you mean \"fit\"?)"), std::string::npos);
}

}  // namespace
