#pragma once
// The kaa binary as a subprocess, in a fresh temporary folder per test.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace kaa_test {

namespace fs = std::filesystem;

struct Result {
  int exit_code;
  std::string out, err;
};

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    // The pid keeps test runs of several checkouts on one machine out of each other's folders.
    dir_ =
        fs::temp_directory_path() /
        ("kaa_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
         "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path file(const std::string& name, const std::string& content) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << content;
    return p;
  }

  /// kaa with `args` and --threads=`threads` (0: kaa's choice), under `env` (arguments of env(1),
  /// e.g. "-u OMP_WAIT_POLICY") when given.
  Result run(const std::string& args, int threads = 1, const std::string& env = "") {
    const fs::path out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    const std::string command = (env.empty() ? "" : "env " + env + " ") + std::string(KAA_BINARY) +
                                " " + args + " --threads=" + std::to_string(threads) + " >" +
                                out.string() + " 2>" + err.string();
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }

  static std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  /// A small config: base model on a file or built-in data, few iterations.
  fs::path config(const nlohmann::json& patch = nlohmann::json::object()) {
    nlohmann::json c = nlohmann::json::parse(slurp(KAA_SOURCE_DIR "/configs/base.json"));
    c["data"] = {{"type", "synthetic"}, {"n", 60}, {"d", 3}, {"n_archetypes", 3}};
    c["model"]["n_archetypes"] = 3;
    c["stopping"][2]["value"] = 20;
    c.merge_patch(patch);
    const fs::path p = dir_ / "config.json";
    std::ofstream(p) << c.dump(2);
    return p;
  }

  /// Runs a fit that must fail with exit code 2 and one error line containing `expected`.
  void expect_fit_error(const std::string& args, const std::string& expected) {
    const fs::path out = dir_ / "run";
    const Result r = run("fit " + args + " --out " + out.string());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << "stderr was:\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not one line:\n" << r.err;
    EXPECT_FALSE(fs::exists(out)) << "a run folder was left behind";
    for (const auto& entry : fs::directory_iterator(dir_)) {
      EXPECT_EQ(entry.path().filename().string().find(".run.tmp"), std::string::npos)
          << "staging folder left behind: " << entry.path();
    }
  }

  fs::path dir_;
};

}  // namespace kaa_test
