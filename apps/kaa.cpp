// The kaa command line: parses arguments and calls the framework; nothing else.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "framework/api.hpp"
#include "framework/checkpoint/checkpoint_store.hpp"
#include "framework/config/config.hpp"
#include "framework/config/strategy_docs.hpp"
#include "framework/error.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/kokkos_session.hpp"
#include "framework/logging.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/distributed_config.hpp"
#include "framework/run.hpp"
#include "framework/sweep/plots.hpp"
#include "framework/sweep/report.hpp"
#include "framework/sweep/runner.hpp"
#include "framework/sweep/sweep_spec.hpp"
#include "kaa_version.hpp"
#include "strategies/register_all.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitDiverged = 3;
constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

const char* kUsage =
    "usage: kaa <command> [options]\n"
    "\n"
    "commands:\n"
    "  fit CONFIG        fit a model described by a JSON config and write a run folder\n"
    "  transform         weights of new points for the archetypes of a finished run\n"
    "  sweep EXPERIMENT  run every configuration of a sweep (resumable) and summarise it\n"
    "  report FOLDER     summary table, summary.csv and (--plots) figures of a sweep or run "
    "folder\n"
    "  validate CONFIG   check a config and print it with every default filled\n"
    "  list              every strategy and its parameters\n"
    "  version           print the version and git commit\n"
    "\n"
    "`kaa <command> --help` shows the options of a command.\n";

/// The parsed options, or nothing once --help has printed them (the command then exits 0).
std::optional<po::variables_map> parse(const std::vector<std::string>& args,
                                       const po::options_description& opts,
                                       const po::positional_options_description& positional) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << opts;
    return std::nullopt;
  }
  po::notify(vm);
  return vm;
}

kaa::Registry full_registry() {
  kaa::Registry registry;
  kaa::register_all(registry);
  return registry;
}

std::vector<std::string> overrides_of(const po::variables_map& vm) {
  return vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::ostringstream os;
  os << std::put_time(&tm, "%Y%m%d-%H%M%S");
  return os.str();
}

fs::path default_run_folder(const std::string& name) {
  fs::path base = fs::path("runs") / (name + "-" + timestamp());
  fs::path candidate = base;
  for (int i = 2; fs::exists(candidate); ++i) candidate = base.string() + "-" + std::to_string(i);
  return candidate;
}

int cmd_fit(const std::vector<std::string>& args) {
  po::options_description opts("kaa fit CONFIG [options]");
  opts.add_options()("help,h", "show this help")("config", po::value<std::string>(),
                                                 "JSON config file")(
      "data", po::value<std::string>(), "fit this CSV or .npy file instead of the config's data")(
      "out", po::value<std::string>(), "run folder to write (default runs/<name>-<time>)")(
      "overwrite", "replace an existing run folder")(
      "save-data", "also write the data, in original units, as data.npy (for plots)")(
      "resume", po::value<std::string>(),
      "continue the killed fit of this run folder from its last checkpoint")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a config value: <json pointer>=<json value>, e.g. /model/n_archetypes=4")(
      "threads", po::value<int>()->default_value(0),
      "host threads (0 = OMP_NUM_THREADS, else the cores idle at start)")(
      "progress-every", po::value<std::size_t>()->default_value(50),
      "updates between progress lines (0 = none)")("quiet,q", "only warnings and errors");
  po::positional_options_description pos;
  pos.add("config", 1);
  const auto parsed = parse(args, opts, pos);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  const bool resume = vm.count("resume") > 0;
  if (resume && (vm.count("config") || vm.count("data") || vm.count("set") || vm.count("out") ||
                 vm.count("overwrite"))) {
    throw po::error(
        "--resume takes the run folder only; the config and data come from its "
        "checkpoint");
  }
  if (!resume && !vm.count("config"))
    throw po::error("missing CONFIG (e.g. kaa fit configs/base.json)");
  if (vm["threads"].as<int>() < 0) throw po::error("--threads must be >= 0");
  const kaa::parallel::Communicator& comm = kaa::parallel::world();
  // Over several MPI ranks only rank 0 reports progress (the others' lines would repeat it).
  kaa::logging::init_console(comm.rank() > 0     ? kaa::logging::Level::error
                             : vm.count("quiet") ? kaa::logging::Level::warning
                                                 : kaa::logging::Level::info);
  const kaa::Registry registry = full_registry();
  nlohmann::json resolved;
  kaa::parallel::agree([&] {
    if (resume) {
      if (comm.size() > 1)
        throw kaa::Error("--resume is not available with more than one MPI rank");
      const fs::path run = vm["resume"].as<std::string>();
      resolved = kaa::resolve_config(kaa::checkpoint_config(run), registry,
                                     kaa::CheckpointStore::folder_for(run).string());
    } else {
      std::optional<std::string> data;
      if (vm.count("data")) data = vm["data"].as<std::string>();
      resolved = kaa::load_config(vm["config"].as<std::string>(), overrides_of(vm), data, registry);
    }
    // Before anything is written: a config that cannot run over these ranks is refused here.
    const auto issues = kaa::parallel::distributed_issues(resolved, registry, comm.size());
    if (!issues.empty()) throw kaa::ConfigError(issues);
  });

  kaa::KokkosSession kokkos(vm["threads"].as<int>(), true);
  kaa::FitOptions options;
  options.resume = resume;
  options.save_data = vm.count("save-data") > 0;
  options.out_dir = resume            ? fs::path(vm["resume"].as<std::string>())
                    : vm.count("out") ? fs::path(vm["out"].as<std::string>())
                                      : default_run_folder(resolved["name"].get<std::string>());
  options.overwrite = vm.count("overwrite") > 0;
  options.progress_every = vm["progress-every"].as<std::size_t>();
  const kaa::FitSummary s = kaa::run_fit(resolved, registry, options);
  if (comm.rank() > 0) return s.ok ? 0 : kExitDiverged;
  const auto& m = s.metrics;
  std::cout << "iterations:         " << m["iterations"] << "\n"
            << "stop reason:        " << m["stop_reason"].get<std::string>() << "\n";
  if (s.ok) {
    std::cout << std::setprecision(8) << "final loss:         " << m["final_loss"] << "\n";
    if (m.contains("rss")) std::cout << "RSS:                " << m["rss"] << "\n";
    if (m.contains("explained_variance"))
      std::cout << "explained variance: " << m["explained_variance"] << "\n";
  }
  std::cout << std::setprecision(3) << "time:               " << m["seconds"].get<double>()
            << " s fit, " << m["total_seconds"].get<double>() << " s total (" << m["threads"]
            << " threads"
            << (comm.size() > 1 ? " x " + std::to_string(comm.size()) + " MPI ranks" : "") << ")\n"
            << "run folder:         " << s.folder.string() << "\n";
  return s.ok ? 0 : kExitDiverged;
}

int cmd_transform(const std::vector<std::string>& args) {
  po::options_description opts("kaa transform --run RUN --data FILE [options]");
  opts.add_options()("help,h", "show this help")("run", po::value<std::string>(),
                                                 "finished run folder")(
      "data", po::value<std::string>(), "CSV or .npy file of points (same columns as the fit)")(
      "out", po::value<std::string>(),
      "write weights here (.csv or .npy) instead of CSV on standard output")(
      "method", po::value<std::string>(),
      "transform strategy to use instead of the run's (see kaa list --kind transform)")(
      "threads", po::value<int>()->default_value(0),
      "host threads (0 = OMP_NUM_THREADS, else the cores idle at start)");
  const auto parsed = parse(args, opts, {});
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  if (!vm.count("run") || !vm.count("data")) throw po::error("both --run and --data are required");
  kaa::logging::init_console(kaa::logging::Level::warning);
  const kaa::Registry registry = full_registry();
  std::optional<nlohmann::json> method;
  if (vm.count("method")) {
    std::vector<std::string> issues;
    method = kaa::resolve_strategy_node(vm["method"].as<std::string>(), kaa::Kind::transform,
                                        registry, "--method", issues);
    if (!issues.empty()) throw kaa::ConfigError(issues);
  }
  kaa::KokkosSession kokkos(vm["threads"].as<int>(), true);
  const kaa::HostMatrix W = kaa::transform_with_run(vm["run"].as<std::string>(),
                                                    vm["data"].as<std::string>(), registry, method);
  std::vector<std::string> header;
  for (std::size_t j = 0; j < W.cols; ++j) header.push_back("w" + std::to_string(j));
  if (vm.count("out")) {
    const fs::path out = vm["out"].as<std::string>();
    if (out.extension() == ".npy")
      kaa::write_npy(out, W, kaa::NpyType::float64);
    else
      kaa::write_csv(out, W, header);
    std::cerr << "kaa: wrote " << W.rows << " x " << W.cols << " weights to " << out.string()
              << "\n";
  } else {
    errno = 0;
    std::cout << std::setprecision(9);
    for (std::size_t j = 0; j < W.cols; ++j) std::cout << (j ? "," : "") << header[j];
    std::cout << "\n";
    for (std::size_t i = 0; i < W.rows; ++i) {
      for (std::size_t j = 0; j < W.cols; ++j) std::cout << (j ? "," : "") << W(i, j);
      std::cout << "\n";
    }
    // The weights are the result: a full disk or closed pipe must not pass for success. (errno
    // is the failed write's: a stream in error makes no further calls.)
    std::cout.flush();
    if (!std::cout) {
      throw kaa::Error(std::string("cannot write the weights to standard output: ") +
                       (errno ? std::strerror(errno) : "I/O error"));
    }
  }
  return 0;
}

/// NAME=PATH pairs of repeated options.
std::map<std::string, std::string> named_paths(const po::variables_map& vm, const char* key) {
  std::map<std::string, std::string> out;
  if (!vm.count(key)) return out;
  for (const auto& item : vm[key].as<std::vector<std::string>>()) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw po::error(std::string("--") + key + " " + item + ": expected NAME=PATH");
    if (out.count(item.substr(0, eq)))
      throw po::error(std::string("--") + key + " " + item + ": " + item.substr(0, eq) +
                      " given twice");
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

fs::path self_executable() { return fs::read_symlink("/proc/self/exe"); }

void plots_of(const fs::path& folder) {
  kaa::sweep::make_plots(folder, kaa::sweep::find_plot_script(self_executable(), KAA_SOURCE_DIR));
  std::cout << "report: " << fs::absolute(folder / "index.html").lexically_normal().string()
            << "\n";
}

int cmd_report(const std::vector<std::string>& args) {
  po::options_description opts("kaa report FOLDER [options]");
  opts.add_options()("help,h", "show this help")("folder", po::value<std::string>(),
                                                 "sweep folder or run folder")(
      "plots", "also write figures (PNG) and index.html (needs python3-matplotlib)")(
      "threads", po::value<int>()->default_value(0), "accepted for uniformity; runs no kernels");
  po::positional_options_description pos;
  pos.add("folder", 1);
  const auto parsed = parse(args, opts, pos);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  if (!vm.count("folder"))
    throw po::error("missing FOLDER (a sweep folder, e.g. results/choose_k, or a run folder)");
  const fs::path folder = vm["folder"].as<std::string>();
  if (kaa::sweep::is_run_folder(folder))
    kaa::sweep::print_run_report(folder, std::cout);
  else
    kaa::sweep::write_report(folder, std::cout);
  if (vm.count("plots")) plots_of(folder);
  return 0;
}

/// The command line to type again to resume an interrupted sweep.
std::string resume_command(const std::vector<std::string>& args, const fs::path& out,
                           bool has_out) {
  std::string cmd = "kaa sweep";
  for (const auto& a : args) {
    const bool plain = a.find_first_of(" \t\"'\\$`*?") == std::string::npos && !a.empty();
    cmd += " " + (plain ? a : "'" + a + "'");
  }
  if (!has_out) cmd += " --out " + out.string();
  return cmd;
}

int cmd_sweep(const std::vector<std::string>& args) {
  po::options_description opts("kaa sweep EXPERIMENT [options]");
  opts.add_options()("help,h", "show this help")(
      "experiment", po::value<std::string>(), "sweep file (JSON), e.g. experiments/choose_k.json")(
      "out", po::value<std::string>(), "sweep folder (default results/<name>)")(
      "runs", po::value<std::size_t>()->default_value(0),
      "runs at a time (0 = the sweep file's \"runs\", else one per core)")(
      "threads-per-run", po::value<std::size_t>()->default_value(0),
      "threads of each run (0 = the sweep file's \"threads_per_run\", else cores / runs)")(
      "threads", po::value<std::size_t>()->default_value(0),
      "cores the whole sweep may use (0 = all); runs x threads per run never exceed them")(
      "data", po::value<std::vector<std::string>>()->composing(),
      "NAME=PATH: the file of the sweep's data set NAME (CSV, .npy or IDX)")(
      "labels", po::value<std::vector<std::string>>()->composing(),
      "NAME=PATH: class labels of data set NAME (one integer per row), for the figures")(
      "retry-failed", "run again the runs recorded as failed or diverged")(
      "plots", "write figures and index.html at the end")("no-report", "skip the summary")(
      "dry-run", "validate and list the runs; run nothing")("quiet,q", "no progress output");
  po::positional_options_description pos;
  pos.add("experiment", 1);
  const auto parsed = parse(args, opts, pos);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  if (!vm.count("experiment"))
    throw po::error("missing EXPERIMENT (e.g. kaa sweep experiments/compare_strategies.json)");
  const kaa::Registry registry = full_registry();
  const kaa::parallel::Communicator& comm = kaa::parallel::world();
  kaa::sweep::Sweep sweep;
  kaa::parallel::agree([&] {
    sweep = kaa::sweep::load_sweep(vm["experiment"].as<std::string>(), named_paths(vm, "data"),
                                   named_paths(vm, "labels"), registry);
  });
  const fs::path out =
      vm.count("out") ? fs::path(vm["out"].as<std::string>()) : fs::path("results") / sweep.name;
  if (comm.rank() > 0) {  // an MPI sweep's other ranks run what rank 0 hands out
    if (vm.count("dry-run")) return 0;
    kaa::sweep::RunnerOptions worker;
    worker.out = out;
    worker.executable = self_executable();
    kaa::sweep::run_sweep_worker(sweep, worker);
    return 0;
  }
  if (vm.count("dry-run")) {
    for (const auto& r : sweep.runs)
      std::cout << r.id << "  " << r.group << "  seed " << r.seed << "\n";
    std::cout << sweep.runs.size() << " runs; folder " << out.string() << "\n";
    return 0;
  }
  kaa::sweep::RunnerOptions options;
  options.out = out;
  options.executable = self_executable();
  options.concurrent_runs = vm["runs"].as<std::size_t>();
  options.threads_per_run = vm["threads-per-run"].as<std::size_t>();
  options.max_threads = vm["threads"].as<std::size_t>();
  options.retry_failed = vm.count("retry-failed") > 0;
  options.quiet = vm.count("quiet") > 0;
  const auto outcome = kaa::sweep::run_sweep(sweep, options);
  if (outcome.interrupted) {
    std::cerr << "kaa sweep: interrupted; " << outcome.ok + outcome.failed
              << " run(s) finished and recorded in " << (out / "results.jsonl").string()
              << "; to resume, run the same command again:\n  "
              << resume_command(args, out, vm.count("out") > 0) << "\n";
    return kExitInterrupted;
  }
  if (!vm.count("no-report")) kaa::sweep::write_report(out, std::cout);
  if (vm.count("plots")) plots_of(out);
  if (outcome.failed > 0)
    std::cerr << "kaa sweep: " << outcome.failed << " run(s) failed; their errors are in "
              << (out / "results.jsonl").string() << " and " << (out / "logs").string() << "\n";
  return 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts("kaa validate CONFIG [options]");
  opts.add_options()("help,h", "show this help")("config", po::value<std::string>(), "config")(
      "set", po::value<std::vector<std::string>>()->composing(), "override, as for kaa fit")(
      "threads", po::value<int>()->default_value(0), "accepted for uniformity; runs no kernels");
  po::positional_options_description pos;
  pos.add("config", 1);
  const auto parsed = parse(args, opts, pos);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  if (!vm.count("config")) throw po::error("missing CONFIG");
  const kaa::Registry registry = full_registry();
  const auto overrides = overrides_of(vm);
  std::cout
      << kaa::load_config(vm["config"].as<std::string>(), overrides, std::nullopt, registry).dump(2)
      << "\n";
  return 0;
}

int cmd_list(const std::vector<std::string>& args) {
  po::options_description opts("kaa list [options]");
  opts.add_options()("help,h", "show this help")("markdown", "print the Markdown config reference")(
      "kind", po::value<std::string>(), "only this kind of strategy")(
      "threads", po::value<int>()->default_value(0), "accepted for uniformity; runs no kernels");
  const auto parsed = parse(args, opts, {});
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  const kaa::Registry registry = full_registry();
  std::optional<kaa::Kind> only;
  if (vm.count("kind")) {
    std::vector<std::string> names;
    for (kaa::Kind k : kaa::all_kinds()) {
      names.push_back(kaa::to_string(k));
      if (names.back() == vm["kind"].as<std::string>()) only = k;
    }
    if (!only) {
      std::string msg = "--kind: unknown kind \"" + vm["kind"].as<std::string>() + "\"";
      const auto guess = kaa::closest_match(vm["kind"].as<std::string>(), names);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      throw po::error(msg);
    }
  }
  std::cout << kaa::strategy_reference(registry, vm.count("markdown") > 0, only);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty() || all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
    std::cout << kUsage;
    return all.empty() ? kExitUsage : 0;
  }
  const std::string command = all[0];
  const std::vector<std::string> args(all.begin() + 1, all.end());
  // Commands that run kernels (a sweep for its children); the others need no re-execution.
  if (command == "fit" || command == "sweep" || command == "transform")
    kaa::wait_passively_by_default(argv);
  // MPI (when built with it) for the whole process; one rank without mpirun.
  kaa::parallel::Session mpi(argc, argv);
  const kaa::parallel::Communicator& comm = kaa::parallel::world();
  const auto fail = [&](const char* what, int code) {
    if (comm.size() > 1) {
      // Only this rank may have failed, where the others wait in a collective: end them all.
      std::cerr << "kaa: error (MPI rank " << comm.rank() << " of " << comm.size() << "): " << what
                << "\n";
      comm.abort(code);
    }
    std::cerr << "kaa: error: " << what << "\n";
    return code;
  };
  try {
    if (command == "fit") return cmd_fit(args);
    if (command == "sweep") return cmd_sweep(args);
    if (comm.size() > 1) {
      kaa::parallel::agree([&] {
        throw kaa::Error("only kaa fit and kaa sweep run over several MPI ranks (this is kaa " +
                         command + " on " + std::to_string(comm.size()) + " ranks)");
      });
    }
    if (command == "transform") return cmd_transform(args);
    if (command == "validate") return cmd_validate(args);
    if (command == "report") return cmd_report(args);
    if (command == "list") return cmd_list(args);
    if (command == "version" || command == "--version") {
      std::cout << "kaa " << KAA_VERSION << " (" << KAA_GIT_COMMIT << ")\n";
      return 0;
    }
    std::string msg = "unknown command \"" + command + "\"";
    const auto guess = kaa::closest_match(
        command, {"fit", "transform", "sweep", "report", "validate", "list", "version"});
    if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
    std::cerr << "kaa: error: " << msg << "\n" << kUsage;
    return kExitUsage;
  } catch (const po::error& e) {
    if (comm.rank() == 0) std::cerr << "kaa " << command << ": error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const kaa::parallel::AgreedError& e) {
    // Every rank has the same error; one line says it.
    if (comm.rank() == 0) std::cerr << "kaa: error: " << e.what() << "\n";
    return e.kind() == 0 ? kExitError : kExitUsage;
  } catch (const kaa::ConfigError& e) {
    return fail(e.what(), kExitUsage);
  } catch (const kaa::InputError& e) {
    return fail(e.what(), kExitUsage);
  } catch (const kaa::DivergedError& e) {
    return fail(e.what(), kExitDiverged);
  } catch (const std::exception& e) {
    return fail(e.what(), kExitError);
  }
}
