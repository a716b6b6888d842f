#include "framework/run.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>

#include "framework/checkpoint/checkpoint_store.hpp"
#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/logging.hpp"
#include "framework/model.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/distributed_config.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa {

namespace fs = std::filesystem;

namespace {

void write_json(const fs::path& path, const nlohmann::json& j) {
  write_file_atomically(path, [&](std::ostream& os) { os << j.dump(2) << '\n'; });
}

/// The hidden folder a run is assembled in before it is renamed into place.
fs::path staging_folder(const fs::path& out) {
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  return parent / ("." + out.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

/// Removes staging folders of this run left by processes that no longer exist (killed fits),
/// and the replaced run folders (<staging>.old) a killed publish() left.
void remove_stale_staging(const fs::path& out) {
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const std::string prefix = "." + out.filename().string() + ".tmp-", old = ".old";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    std::string pid_text = name.substr(prefix.size());
    if (pid_text.size() > old.size() && pid_text.ends_with(old))
      pid_text.resize(pid_text.size() - old.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
  }
}

void prepare_output(const fs::path& out, bool overwrite, const fs::path& staging) {
  if (out.filename().empty()) throw Error(out.string() + ": not a folder name");
  std::error_code ec;
  if (fs::exists(out, ec) && !overwrite) {
    throw Error(out.string() + ": already exists; choose another --out or pass --overwrite");
  }
  const fs::path parent = staging.parent_path();
  fs::create_directories(parent, ec);
  if (ec) throw Error(parent.string() + ": cannot create output folder: " + ec.message());
  fs::remove_all(staging, ec);
  if (!fs::create_directory(staging, ec) || ec) {
    throw Error(out.string() + ": output folder not writable: " +
                (ec ? ec.message() : std::string(std::strerror(errno))));
  }
  // Creating a folder can succeed where files cannot be written (e.g. read-only bind mounts).
  const fs::path probe = staging / ".probe";
  std::ofstream test(probe);
  if (!test) {
    fs::remove_all(staging, ec);
    throw Error(out.string() + ": output folder not writable: " + std::strerror(errno));
  }
  test.close();
  fs::remove(probe, ec);
}

void publish(const fs::path& staging, const fs::path& out) {
  std::error_code ec;
  if (fs::exists(out)) {
    const fs::path old = staging.string() + ".old";
    fs::rename(out, old);
    fs::rename(staging, out);
    fs::remove_all(old, ec);
  } else {
    fs::rename(staging, out);
  }
}

/// Column names f0, f1, ... (or another prefix) of a CSV file's header.
std::vector<std::string> column_names(const std::string& prefix, std::size_t count) {
  std::vector<std::string> names;
  for (std::size_t c = 0; c < count; ++c) names.push_back(prefix + std::to_string(c));
  return names;
}

void write_artifact(const fs::path& staging, const Artifact& a, NpyType npy_type) {
  if (a.format == Artifact::Format::csv)
    write_csv(staging / (a.name + ".csv"), a.values, column_names(a.column_prefix, a.values.cols));
  else
    write_npy(staging / (a.name + ".npy"), a.values, npy_type);
}

void write_preprocessing(const fs::path& staging, const std::optional<Standardization>& scaling) {
  nlohmann::json prep = {{"normalize", scaling.has_value()}};
  if (scaling) {
    prep["mean"] = scaling->mean;
    prep["std"] = scaling->std;
  }
  write_json(staging / "preprocessing.json", prep);
}

/// The run folder's files from a result, into `staging` (rank 0 only).
void write_result(const Result& r, const fs::path& staging) {
  // A non-finite loss may sit in the history; CSV keeps it visible as nan/inf text.
  write_file_atomically(staging / "loss_history.csv", [&](std::ostream& os) {
    os << "update,loss\n";
    os.precision(17);
    for (std::size_t t = 0; t < r.loss_history.size(); ++t)
      os << t << ',' << r.loss_history[t] << '\n';
  });
  const NpyType npy_type = model_settings(r.config).precision == Precision::float64
                               ? NpyType::float64
                               : NpyType::float32;
  if (!r.ok) {
    if (r.best_before_divergence) {
      write_csv(staging / "best_before_divergence_archetypes.csv", r.archetypes, {});
      write_npy(staging / "best_before_divergence_weights.npy", r.weights, NpyType::float64);
    }
    return;
  }
  const std::vector<std::string> header =
      r.feature_names.empty() ? column_names("f", r.archetypes.cols) : r.feature_names;
  write_csv(staging / "archetypes.csv", r.archetypes, header);
  write_npy(staging / "weights.npy", r.weights, npy_type);
  if (r.effective_archetypes)
    write_csv(staging / "effective_archetypes.csv", *r.effective_archetypes, header);
  for (const auto& [name, block] : r.blocks) write_npy(staging / (name + ".npy"), block, npy_type);
  for (const Artifact& a : r.artifacts) write_artifact(staging, a, npy_type);
  if (r.true_archetypes) write_csv(staging / "true_archetypes.csv", *r.true_archetypes, header);
  write_preprocessing(staging, r.standardization);
  if (!r.restarts.empty())
    write_restarts_csv(staging / "restarts.csv", r.restarts,
                       r.metrics.at("restarts").at("chosen").get<std::size_t>());
}

/// This process's data (in a distributed fit, its block of rows) and the total row count;
/// every rank stops with the same error when one cannot load or the config does not fit them.
LoadedData load_data(const nlohmann::json& resolved, const Registry& registry,
                     std::size_t& total_rows) {
  const parallel::Communicator& comm = parallel::world();
  const std::uint64_t seed = model_settings(resolved).seed;
  LoadedData data;
  parallel::agree([&] {
    auto source = registry.make<Dataset, double>(resolved.at("data"));
    if (comm.size() > 1) {
      data = source->load_rows(seed, comm.rank(), comm.size(), total_rows);
    } else {
      data = source->load(seed);
      total_rows = data.X.rows;
    }
    const auto issues = parallel::distributed_issues(resolved, registry, comm.size(), total_rows);
    if (!issues.empty()) throw ConfigError(issues);
  });
  return data;
}

FitControl fit_control(const FitOptions& options) {
  FitControl control;
  control.progress = [](std::size_t updates, double loss) {
    logging::info("update " + std::to_string(updates) + ": loss " + std::to_string(loss));
  };
  control.progress_every = options.progress_every;
  control.checkpoint_folder = CheckpointStore::folder_for(options.out_dir);
  control.resume = options.resume;
  return control;
}

/// Loads the data, fits and writes the run's files into `staging` (rank 0); the metrics.
FitSummary fit_into(const nlohmann::json& resolved, const Registry& registry,
                    const FitOptions& options, const fs::path& staging,
                    std::chrono::steady_clock::time_point start) {
  const parallel::Communicator& comm = parallel::world();
  const bool writer = comm.rank() == 0;
  std::optional<logging::FileCopy> log_copy;
  if (writer) {
    log_copy.emplace(staging / "log.txt");
    write_json(staging / "config.json", resolved);
  }
  std::size_t total_rows = 0;
  LoadedData data = load_data(resolved, registry, total_rows);
  if (options.save_data) write_npy(staging / "data.npy", data.X, NpyType::float64);
  std::optional<parallel::DistributedScope> scope;
  if (comm.size() > 1) scope.emplace(parallel::block_of(total_rows, comm.rank(), comm.size()));
  const Result result =
      fit_data(resolved, registry, std::move(data), total_rows, fit_control(options));
  if (writer) write_result(result, staging);
  FitSummary summary;
  summary.ok = result.ok;
  summary.metrics = result.metrics;
  summary.metrics["total_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // metrics.json is written last: its presence marks a complete run folder.
  if (writer) write_json(staging / "metrics.json", summary.metrics);
  return summary;
}

/// After a failed fit: its staging folder goes; arrays of a first checkpoint whose save failed
/// (e.g. a full disk) have no manifest and cannot be resumed from; a completed checkpoint stays
/// for --resume.
void discard_failed(const fs::path& out, const fs::path& staging) {
  std::error_code ec;
  fs::remove_all(staging, ec);
  const CheckpointStore store(CheckpointStore::folder_for(out));
  if (!store.exists()) store.remove();
}

}  // namespace

FitSummary run_fit(const nlohmann::json& resolved, const Registry& registry,
                   const FitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  // More than one MPI rank: a distributed fit (docs/SCALING.md). Every rank holds a block of rows;
  // rank 0 alone writes the run folder. Steps that can fail on one rank only run inside
  // parallel::agree, so that every rank stops with the same error instead of waiting.
  const parallel::Communicator& comm = parallel::world();
  const bool many = comm.size() > 1, writer = comm.rank() == 0;
  const fs::path out = options.out_dir;
  const fs::path staging = staging_folder(out);
  parallel::agree([&] {
    if (many && (options.resume || options.save_data)) {
      throw Error(std::string(options.resume ? "--resume" : "--save-data") +
                  " is not available with more than one MPI rank");
    }
    if (!writer) return;
    remove_stale_staging(out);
    prepare_output(out, options.overwrite, staging);
  });
  FitSummary summary;
  try {
    summary = fit_into(resolved, registry, options, staging, start);
    if (writer) {
      publish(staging, out);
      // The run is complete; its checkpoint would only mislead a later --resume.
      CheckpointStore(CheckpointStore::folder_for(out)).remove();
    }
  } catch (const DivergedError&) {
    // Every restart diverged: nothing to resume either.
    if (writer) {
      discard_failed(out, staging);
      CheckpointStore(CheckpointStore::folder_for(out)).remove();
    }
    throw;
  } catch (...) {
    if (writer) discard_failed(out, staging);
    throw;
  }
  summary.folder = out;
  return summary;
}

nlohmann::json checkpoint_config(const fs::path& out) {
  const CheckpointStore store(CheckpointStore::folder_for(out));
  if (fs::exists(out / "metrics.json")) {
    throw InputError(out.string() + ": this run already finished; nothing to resume");
  }
  if (!store.exists()) {
    throw InputError(out.string() + ": no checkpoint to resume from (looked for " +
                     (store.folder() / "state.json").string() + ")");
  }
  const SavedState state = store.load();
  if (!state.scalars.contains("config"))
    throw InputError(store.folder().string() + ": checkpoint has no config");
  return state.scalars["config"];
}

HostMatrix transform_with_run(const fs::path& run_dir, const fs::path& data_path,
                              const Registry& registry,
                              const std::optional<nlohmann::json>& transform_override) {
  for (const char* name : {"config.json", "archetypes.csv", "preprocessing.json", "metrics.json"}) {
    if (!fs::exists(run_dir / name)) {
      throw InputError(run_dir.string() + ": not a finished kaa run folder (missing " + name + ")");
    }
  }
  nlohmann::json resolved = resolve_config(read_json_file(run_dir / "config.json"), registry,
                                           (run_dir / "config.json").string());
  if (transform_override) resolved["transform"] = *transform_override;
  const nlohmann::json prep = read_json_file(run_dir / "preprocessing.json");
  // A model that reconstructs from other archetypes than Z (biarchetypal) records them apart.
  const bool effective = fs::exists(run_dir / "effective_archetypes.csv");
  HostMatrix Z = read_matrix(run_dir / (effective ? "effective_archetypes.csv" : "archetypes.csv"));
  HostMatrix X = read_matrix(data_path);
  if (X.cols != Z.cols) {
    throw InputError(data_path.string() + ": " + std::to_string(X.cols) +
                     " columns, but the run's archetypes have " + std::to_string(Z.cols));
  }
  std::optional<Standardization> scaling;
  if (prep.at("normalize").get<bool>()) {
    scaling = Standardization{prep.at("mean").get<std::vector<double>>(),
                              prep.at("std").get<std::vector<double>>()};
  }
  return transform(resolved, std::move(Z), std::move(X), scaling, registry);
}

}  // namespace kaa
