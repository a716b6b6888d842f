// Config validation: every mistake is reported with its JSON pointer, expected and actual value.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "framework/config/config.hpp"
#include "strategies/register_all.hpp"
#include "tests/support/full_registry.hpp"
#include "tests/support/temp_path.hpp"

namespace {

using kaa_test::full_registry;

using nlohmann::json;

json base_config() { return kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json"); }

/// The single issue a config raises (fails the test if there are none or several).
std::string single_issue(const json& raw) {
  const auto registry = full_registry();
  try {
    kaa::resolve_config(raw, registry, "test.json");
  } catch (const kaa::ConfigError& e) {
    EXPECT_EQ(e.issues().size(), 1u) << e.what();
    return e.issues().front();
  }
  ADD_FAILURE() << "config was accepted";
  return "";
}

TEST(Config, BaseConfigResolvesWithEveryDefaultFilled) {
  const auto registry = full_registry();

  const json resolved = kaa::resolve_config(base_config(), registry, "base.json");

  EXPECT_EQ(resolved["optimizer"]["eps_root"], 0.0);  // filled from the schema
  EXPECT_EQ(resolved["projectors"]["archetypes"]["k"], 10);
  EXPECT_EQ(resolved["transform"]["type"], "projected_gradient");
  // Resolving the resolved config changes nothing: it can be re-run as is.
  EXPECT_EQ(kaa::resolve_config(resolved, registry, "resolved.json"), resolved);
}

TEST(Config, UnknownTopLevelKeySuggestsTheClosest) {
  json raw = base_config();
  raw["optimiser"] = raw["optimizer"];

  const auto issue = single_issue(raw);

  EXPECT_NE(issue.find("test.json: /optimiser: unknown key"), std::string::npos) << issue;
  EXPECT_NE(issue.find("did you mean \"optimizer\""), std::string::npos) << issue;
}

TEST(Config, UnknownStrategyParameterNamesPathAndAllowedKeys) {
  json raw = base_config();
  raw["optimizer"]["learning_rat"] = 0.01;

  const auto issue = single_issue(raw);

  EXPECT_NE(issue.find("/optimizer/learning_rat: unknown key (did you mean \"learning_rate\"?)"),
            std::string::npos)
      << issue;
  EXPECT_NE(issue.find("allowed: learning_rate"), std::string::npos) << issue;
}

TEST(Config, UnknownStrategyNameSuggestsTheClosest) {
  json raw = base_config();
  raw["projectors"]["archetypes"]["type"] = "knnhull";

  const auto issue = single_issue(raw);

  EXPECT_NE(issue.find("/projectors/archetypes/type: unknown projector \"knnhull\" (did you mean "
                       "\"knn_hull\"?)"),
            std::string::npos)
      << issue;
}

TEST(Config, WrongTypeNamesExpectedAndActual) {
  json raw = base_config();
  raw["optimizer"]["learning_rate"] = "fast";

  const auto issue = single_issue(raw);

  EXPECT_NE(issue.find("/optimizer/learning_rate: expected a number > 0, got \"fast\""),
            std::string::npos)
      << issue;
}

// Found by fuzz_config: a non-string name escaped as a JSON type error.
TEST(Config, NonStringNameIsAConfigError) {
  json raw = base_config();
  raw["name"] = json::array({1, 2});

  const auto issue = single_issue(raw);

  EXPECT_NE(issue.find("/name: expected a string"), std::string::npos) << issue;
}

// Found by fuzz_config: an integral double far beyond long long must be refused, not converted.
TEST(Config, IntegerTooLargeToRepresentIsRefused) {
  json raw = base_config();
  raw["stopping"][2]["value"] = 4.2e51;

  const auto issue = single_issue(raw);

  EXPECT_NE(issue.find("/stopping/2/value: expected an integer of magnitude at most 2^53"),
            std::string::npos)
      << issue;
}

TEST(Config, OutOfRangeValueNamesExpectedAndActual) {
  json raw = base_config();
  raw["stopping"][2]["value"] = 0;

  const auto issue = single_issue(raw);

  EXPECT_NE(issue.find("/stopping/2/value: expected an integer >= 1, got 0"), std::string::npos)
      << issue;
}

TEST(Config, NonIntegralNumberIsNotAnInteger) {
  json raw = base_config();
  raw["model"]["n_archetypes"] = 2.5;

  EXPECT_NE(single_issue(raw).find("/model/n_archetypes: expected an integer >= 1, got 2.5"),
            std::string::npos);
}

TEST(Config, IntegralFloatIsAcceptedAsInteger) {
  json raw = base_config();
  raw["model"]["n_archetypes"] = 4.0;
  const auto registry = full_registry();

  const json resolved = kaa::resolve_config(raw, registry, "x");

  EXPECT_TRUE(resolved["model"]["n_archetypes"].is_number_integer());
  EXPECT_EQ(resolved["model"]["n_archetypes"], 4);
}

TEST(Config, ZeroArchetypesIsOutOfRange) {
  json raw = base_config();
  raw["model"]["n_archetypes"] = 0;

  EXPECT_NE(single_issue(raw).find("/model/n_archetypes: expected an integer >= 1, got 0"),
            std::string::npos);
}

TEST(Config, ChoiceListsAllowedValues) {
  json raw = base_config();
  raw["model"]["precision"] = "float16";

  EXPECT_NE(single_issue(raw).find("/model/precision: expected one of: float32, float64, got "
                                   "\"float16\""),
            std::string::npos);
}

TEST(Config, MissingRequiredSectionAndParameter) {
  json raw = base_config();
  raw.erase("optimizer");
  raw["model"].erase("n_archetypes");
  const auto registry = full_registry();

  try {
    kaa::resolve_config(raw, registry, "x.json");
    FAIL() << "accepted";
  } catch (const kaa::ConfigError& e) {
    ASSERT_EQ(e.issues().size(), 2u) << e.what();
    EXPECT_NE(std::string(e.what()).find("/model/n_archetypes: missing required integer"),
              std::string::npos);
    EXPECT_NE(std::string(e.what()).find("/optimizer: missing required section"),
              std::string::npos);
  }
}

TEST(Config, EveryProblemIsReportedAtOnce) {
  json raw = base_config();
  raw["optimizer"]["b1"] = 1.5;
  raw["loss"][1]["weigth"] = 1;
  raw["metrics"] = {"rsss"};
  const auto registry = full_registry();

  try {
    kaa::resolve_config(raw, registry, "x.json");
    FAIL() << "accepted";
  } catch (const kaa::ConfigError& e) {
    EXPECT_EQ(e.issues().size(), 3u) << e.what();
  }
}

TEST(Config, ProjectorOnWrongBlockIsRejected) {
  json raw = base_config();
  raw["projectors"]["weights"] = "knn_hull";

  EXPECT_NE(single_issue(raw).find("/projectors/weights/type: projector \"knn_hull\" cannot be "
                                   "applied to weights"),
            std::string::npos);
}

TEST(Config, StoppingWithoutMaxIterIsRejected) {
  json raw = base_config();
  raw["stopping"] = {{{"type", "loss_delta"}}};

  EXPECT_NE(single_issue(raw).find("/stopping: needs a \"max_iter\" rule"), std::string::npos);
}

TEST(Config, MalformedJsonNamesLineAndColumn) {
  const auto path = kaa::test::unique_temp_path("kaa_config_test_malformed.json");
  {
    std::ofstream out(path);
    out << "{\n  \"model\": {\"n_archetypes\": 3,,}\n}\n";
  }

  try {
    kaa::read_json_file(path);
    FAIL() << "accepted";
  } catch (const kaa::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ":2:31: malformed JSON"),
              std::string::npos)
        << e.what();
  }
  std::filesystem::remove(path);
}

std::vector<std::string> issues_of_text(const std::string& text) {
  try {
    kaa::parse_json_text(text, "cfg.json");
  } catch (const kaa::ConfigError& e) {
    return e.issues();
  }
  return {};
}

TEST(Config, DuplicateKeysAreErrorsNamingTheirPointers) {
  const auto issues = issues_of_text(R"({"name": "a",
    "loss": [{"type": "reconstruction"}, {"type": "entropy", "weight": 1, "weight": 2}],
    "model": {"seed": 1, "n_archetypes": 3, "seed": 2},
    "name": "b"})");

  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0],
            "cfg.json: /loss/1/weight: duplicate key (JSON keeps only the last value; "
            "remove one)");
  EXPECT_EQ(issues[1].rfind("cfg.json: /model/seed: duplicate key", 0), 0u) << issues[1];
  EXPECT_EQ(issues[2].rfind("cfg.json: /name: duplicate key", 0), 0u) << issues[2];
}

TEST(Config, EqualKeysInDifferentObjectsAreNotDuplicates) {
  const std::string text = R"({"a": [{"type": 1, "x": [1, {"type": 2}]}, {"type": 3}],
                               "b": {"type": 4, "c": {"type": 5}}, "type": 6})";

  EXPECT_TRUE(issues_of_text(text).empty());
  EXPECT_EQ(kaa::parse_json_text(text, "cfg.json"), json::parse(text));
}

TEST(Config, OverrideSetsValueByJsonPointer) {
  json raw = base_config();

  kaa::apply_override(raw, "/model/n_archetypes=7");
  kaa::apply_override(raw, "/name=plain text");

  EXPECT_EQ(raw["model"]["n_archetypes"], 7);
  EXPECT_EQ(raw["name"], "plain text");
  EXPECT_THROW(kaa::apply_override(raw, "model=3"), kaa::ConfigError);
}

TEST(Config, ShippedConfigsAllValidate) {
  const auto registry = full_registry();
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(KAA_SOURCE_DIR "/configs")) {
    if (entry.path().extension() != ".json") continue;
    EXPECT_NO_THROW(
        kaa::resolve_config(kaa::read_json_file(entry.path()), registry, entry.path().string()))
        << entry.path();
    ++count;
  }
  EXPECT_GE(count, 1);
}

TEST(Schema, ClosestMatchNeedsASmallDistance) {
  EXPECT_EQ(kaa::closest_match("kmeanspp", {"kmeans_pp", "from_file"}), "kmeans_pp");
  EXPECT_EQ(kaa::closest_match("zzzzzz", {"kmeans_pp", "from_file"}), "");
}

}  // namespace
