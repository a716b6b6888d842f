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
#include "framework/kernels/reconstruction.hpp"
#include "framework/logging.hpp"
#include "framework/model.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/data_reductions.hpp"
#include "framework/parallel/distributed_config.hpp"
#include "framework/parallel/row_block.hpp"
#include "kaa_version.hpp"

namespace kaa {

namespace fs = std::filesystem;

Standardization standardization_of(const HostMatrix& X) {
  Standardization s{std::vector<double>(X.cols, 0.0), std::vector<double>(X.cols, 0.0)};
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) s.mean[f] += X(i, f);
  for (double& m : s.mean) m /= static_cast<double>(X.rows);
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) {
      const double c = X(i, f) - s.mean[f];
      s.std[f] += c * c;
    }
  for (double& v : s.std) {
    v = std::sqrt(v / static_cast<double>(X.rows));
    if (v < 1e-10) v = 1.0;
  }
  return s;
}

static Standardization standardization_over_ranks(const HostMatrix& X, std::size_t total_rows) {
  const parallel::Communicator& comm = parallel::world();
  Standardization s{std::vector<double>(X.cols, 0.0), std::vector<double>(X.cols, 0.0)};
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) s.mean[f] += X(i, f);
  comm.allreduce_sum(s.mean.data(), s.mean.size());
  for (double& m : s.mean) m /= static_cast<double>(total_rows);
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) {
      const double c = X(i, f) - s.mean[f];
      s.std[f] += c * c;
    }
  comm.allreduce_sum(s.std.data(), s.std.size());
  for (double& v : s.std) {
    v = std::sqrt(v / static_cast<double>(total_rows));
    if (v < 1e-10) v = 1.0;
  }
  return s;
}

void standardize(HostMatrix& X, const Standardization& s) {
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) X(i, f) = (X(i, f) - s.mean[f]) / s.std[f];
}

namespace {

void write_json(const fs::path& path, const nlohmann::json& j) {
  write_file_atomically(path, [&](std::ostream& os) { os << j.dump(2) << '\n'; });
}

bool all_finite(const HostMatrix& m) {
  for (double v : m.values)
    if (!std::isfinite(v)) return false;
  return true;
}

/// The hidden folder a run is assembled in before it is renamed into place.
fs::path staging_folder(const fs::path& out) {
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  return parent / ("." + out.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

/// Removes staging folders of this run left by processes that no longer exist (killed fits).
void remove_stale_staging(const fs::path& out) {
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const std::string prefix = "." + out.filename().string() + ".tmp-";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
  }
}

/// Squared errors of data beyond 1e15 in magnitude pass nan_guard's default bound (1e30) at once
/// and overflow float32 near 1e19; data below 1e-15 underflow float32 gradients. Both are a matter
/// of units, which standardisation fixes, so say so instead of "diverging" or not learning.
double largest_magnitude(const HostMatrix& X) {
  double largest = 0;
  for (double v : X.values) largest = std::max(largest, std::abs(v));
  return largest;
}

/// `largest`: the largest magnitude in the data (of every rank's rows in a distributed fit).
void check_magnitudes(const LoadedData& data, bool normalize, double largest) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", largest);
  // Near 1e154 squares overflow double itself (1e150 leaves room for sums over rows): the standard
  // deviation would be infinite (every standardised row the same point, so kmeans_pp would report
  // too few distinct rows) and the metrics in original units infinite or NaN.
  if (largest > 1e150) {
    throw InputError(data.description + ": values up to " + text +
                     ": their squares overflow double precision, so neither standardisation nor "
                     "the metrics can be computed; rescale the data");
  }
  if (normalize) return;
  if (largest > 1e15) {
    throw InputError(data.description + ": values up to " + text +
                     ": their squared errors exceed what a fit can represent (float32 overflows, "
                     "nan_guard stops at 1e30); set /model/normalize=true or rescale the data");
  }
  if (largest > 0 && largest < 1e-15) {
    logging::warning(data.description + ": values at most " + text +
                     ": gradients underflow in float32 and the fit barely moves; consider "
                     "/model/normalize=true");
  }
}

/// FNV-1a over the data's shape and values: a resumed fit must see the same data.
std::string fingerprint(const HostMatrix& X) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](const void* p, std::size_t bytes) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < bytes; ++i) h = (h ^ c[i]) * 1099511628211ULL;
  };
  mix(&X.rows, sizeof X.rows);
  mix(&X.cols, sizeof X.cols);
  mix(X.values.data(), X.values.size() * sizeof(double));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
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

/// Rows of every rank's weights, in global row order, on rank 0 (others: empty).
HostMatrix gather_rows(const HostMatrix& local, std::size_t total_rows) {
  const parallel::Communicator& comm = parallel::world();
  std::vector<double> all = comm.gather(local.values, 0);
  HostMatrix out;
  if (comm.rank() != 0) return out;
  out.rows = total_rows;
  out.cols = local.cols;
  out.values = std::move(all);
  return out;
}

/// RSS and explained variance in the standardised space the fit minimised in, as
/// `rss_fitted` and `explained_variance_fitted`. The `rss` and `explained_variance` metrics are in
/// original units, where large-scale features dominate, so two fits can rank differently there
/// than by the objective both minimised. Recorded only with model.normalize (else they would
/// repeat rss and explained_variance); recorded whatever /metrics lists, as the report ranks by
/// them.
template <class S>
void fitted_space_fit(const Matrix<S>& X, const Matrix<S>& weights, const Matrix<S>& archetypes,
                      nlohmann::json& metrics) {
  double rss = kernels::reconstruction_pass(X, weights, archetypes, 0.0, Matrix<S>(), Matrix<S>());
  if (parallel::distributed()) parallel::world().allreduce_sum(&rss, 1);
  const double tss = parallel::total_sum_of_squares(X, Vector<double>());
  metrics["rss_fitted"] = rss;
  metrics["explained_variance_fitted"] =
      tss > 0 ? nlohmann::json(1.0 - rss / tss) : nlohmann::json(nullptr);
}

/// In a distributed fit (more than one rank) every rank runs this on its rows; collectives inside
/// the model and the metrics combine them. Only rank 0 writes (staging is its folder).
template <class S>
FitSummary fit_typed(const nlohmann::json& resolved, const Registry& registry,
                     const FitOptions& options, LoadedData& data, const fs::path& staging,
                     std::size_t total_rows) {
  const parallel::Communicator& comm = parallel::world();
  const bool many = comm.size() > 1, writer = comm.rank() == 0;
  const auto& model_cfg = resolved.at("model");
  const bool normalize = model_cfg.at("normalize").get<bool>();
  const std::uint64_t seed = model_cfg.at("seed").get<std::uint64_t>();
  const std::size_t n = data.X.rows, d = data.X.cols;
  const std::size_t k = model_cfg.at("n_archetypes").get<std::size_t>();

  Standardization scaling;
  if (normalize)
    scaling = many ? standardization_over_ranks(data.X, total_rows) : standardization_of(data.X);
  const std::string data_id = fingerprint(data.X);
  // Built on every rank alike, so a config error is every rank's (agree keeps it one message).
  std::optional<Model<S>> model_holder;
  parallel::agree([&] { model_holder.emplace(resolved, registry); });
  Model<S>& model = *model_holder;
  // The host copy (double) is standardised in place, uploaded and released: from here on only
  // the device copy exists, so a large fit's peak memory is X in double plus X in S once, not
  // twice X in double for the whole fit.
  Matrix<S> X;
  {
    HostMatrix X_fit = std::move(data.X);
    data.X = HostMatrix();
    if (normalize) standardize(X_fit, scaling);
    X = to_device<S>(X_fit, "kaa::X");
  }
  Parameters<S> params = model.allocate(n, d);

  logging::info("fitting k=" + std::to_string(k) + " on " + data.description +
                " (n=" + std::to_string(total_rows) + ", d=" + std::to_string(d) + ", " +
                model_cfg.at("precision").get<std::string>() + ", " +
                std::to_string(ExecSpace().concurrency()) + " threads" +
                (many ? " x " + std::to_string(comm.size()) + " MPI ranks" : std::string()) + ")");
  const auto progress = [](std::size_t updates, double loss) {
    logging::info("update " + std::to_string(updates) + ": loss " + std::to_string(loss));
  };
  const CheckpointStore store(CheckpointStore::folder_for(options.out_dir));
  CheckpointPolicy policy;
  policy.every_updates = resolved.at("checkpoint").at("every").get<std::size_t>();
  policy.every_seconds = resolved.at("checkpoint").at("seconds").get<double>();
  // Checkpoints hold one process's state; a distributed fit has none (docs/SCALING.md).
  if (!many)
    policy.write = [&](SavedState state) {
      state.scalars["config"] = resolved;
      state.scalars["data_fingerprint"] = data_id;
      store.save(state);
      logging::info("checkpoint saved at update " + state.scalars["updates"].dump() + " in " +
                    store.folder().string());
    };
  FitTrace trace;
  std::uint64_t loop_bytes = 0;  // this rank's payload in collectives during the loop
  if (options.resume) {
    const SavedState state = store.load();
    if (state.scalars.value("data_fingerprint", std::string()) != data_id) {
      throw InputError(store.folder().string() +
                       ": the data differ from the data the checkpoint was taken on (" +
                       data.description + ")");
    }
    logging::info("resuming from update " + state.scalars.at("updates").dump() + " (" +
                  store.folder().string() + ")");
    trace = model.iterate(X, params, progress, options.progress_every, &policy, &state);
  } else {
    model.initialize(X, params, seed);
    loop_bytes = comm.payload_bytes();
    trace = model.iterate(X, params, progress, options.progress_every, &policy);
    loop_bytes = comm.payload_bytes() - loop_bytes;
  }

  nlohmann::json metrics;
  metrics["status"] = trace.diverged ? "diverged" : "ok";
  metrics["stop_reason"] = trace.stop_reason;
  metrics["iterations"] = trace.updates;
  if (many && trace.updates > 0) {
    // Measured, not modelled: it must not grow with n (docs/SCALING.md has the formula).
    metrics["mpi_payload_bytes_per_update"] =
        static_cast<double>(loop_bytes) / static_cast<double>(trace.updates);
  }
  metrics["seconds"] = trace.seconds;
  metrics["last_recorded_loss"] =
      trace.losses.empty() ? nlohmann::json(nullptr) : nlohmann::json(trace.losses.back());

  HostMatrix losses(trace.losses.size(), 2);
  for (std::size_t t = 0; t < trace.losses.size(); ++t) {
    losses(t, 0) = static_cast<double>(t);
    losses(t, 1) = trace.losses[t];
  }
  // A non-finite loss may sit in the history; CSV keeps it visible as nan/inf text.
  if (writer)
    write_file_atomically(staging / "loss_history.csv", [&](std::ostream& os) {
      os << "update,loss\n";
      os.precision(17);
      for (std::size_t t = 0; t < trace.losses.size(); ++t)
        os << t << ',' << trace.losses[t] << '\n';
    });

  HostMatrix Z = to_host(params.archetypes);
  HostMatrix W = to_host(params.weights);
  // Archetypes the data are reconstructed from, when a loss term defines others than Z
  // (biarchetypal: Z theta gamma); written beside archetypes.csv and used by `kaa transform`.
  const Matrix<S> E = model.effective_archetypes(params);
  const bool has_effective = E.data() != params.archetypes.data();
  std::optional<HostMatrix> E_host;
  if (has_effective) E_host = to_host(E);
  bool finite = all_finite(Z) && all_finite(W) && (!E_host || all_finite(*E_host));
  for (Block b : kBlocks)
    if (params.has(b)) finite = finite && all_finite(to_host(params.block(b)));
  if (many) {
    // Weights are this rank's rows: agree on finiteness, then collect them on rank 0.
    double bad = finite ? 0.0 : 1.0;
    comm.allreduce_max(&bad, 1);
    finite = bad == 0.0;
    W = gather_rows(W, total_rows);
  }
  FitSummary summary;
  if (trace.diverged || !finite) {
    metrics["status"] = "diverged";
    if (!trace.diverged) metrics["stop_reason"] = "diverged: non-finite parameters";
    std::string kept = "no archetypes or weights written";
    // The model reset the parameters to the best seen; keep them for diagnosis, under names that
    // cannot be mistaken for a result.
    if (trace.diverged && finite && std::isfinite(trace.best_loss)) {
      metrics["best_loss"] = trace.best_loss;
      metrics["best_update"] = trace.best_update;
      if (normalize) {
        for (std::size_t j = 0; j < k; ++j)
          for (std::size_t f = 0; f < d; ++f) Z(j, f) = Z(j, f) * scaling.std[f] + scaling.mean[f];
      }
      if (writer) {
        write_csv(staging / "best_before_divergence_archetypes.csv", Z, {});
        write_npy(staging / "best_before_divergence_weights.npy", W, NpyType::float64);
      }
      kept = "the best parameters seen (loss " + std::to_string(trace.best_loss) + " at update " +
             std::to_string(trace.best_update) + ") are in best_before_divergence_*";
    }
    if (writer)
      logging::error("fit diverged (" + metrics["stop_reason"].get<std::string>() + "); " + kept);
    summary.metrics = metrics;
    return summary;
  }

  metrics["final_loss"] = model.objective(X, params);
  MetricInputs<S> in{X, params, Vector<double>()};
  if (normalize) {
    in.squared_error_scale = Vector<double>("kaa::squared_error_scale", d);
    auto host = Kokkos::create_mirror_view(in.squared_error_scale);
    for (std::size_t f = 0; f < d; ++f) host(f) = scaling.std[f] * scaling.std[f];
    Kokkos::deep_copy(in.squared_error_scale, host);
  }
  if (normalize) {
    // Rows of weights sum to 1, so x = w A in z-scores is w (A std + mean) in original units.
    for (HostMatrix* A : {&Z, E_host ? &*E_host : nullptr}) {
      if (A == nullptr) continue;
      for (std::size_t j = 0; j < k; ++j)
        for (std::size_t f = 0; f < d; ++f)
          (*A)(j, f) = (*A)(j, f) * scaling.std[f] + scaling.mean[f];
    }
  }
  in.archetypes_original = Z;
  in.true_archetypes = data.true_archetypes;
  model.compute_metrics(in, metrics);
  if (normalize) fitted_space_fit(X, params.weights, model.effective_archetypes(params), metrics);

  summary.metrics = metrics;
  summary.ok = true;
  if (!writer) return summary;
  std::vector<std::string> header;
  for (std::size_t f = 0; f < d; ++f) header.push_back("f" + std::to_string(f));
  write_csv(staging / "archetypes.csv", Z, header);
  const NpyType npy_type = std::is_same_v<S, float> ? NpyType::float32 : NpyType::float64;
  write_npy(staging / "weights.npy", W, npy_type);
  if (E_host) write_csv(staging / "effective_archetypes.csv", *E_host, header);
  // The optional blocks as fitted (mixing B, column mixing theta, column weights gamma).
  for (Block b : {Block::mixing, Block::column_mixing, Block::column_weights})
    if (params.has(b))
      write_npy(staging / (std::string(to_string(b)) + ".npy"), to_host(params.block(b)), npy_type);
  if (params.has(Block::column_mixing)) {
    // Column archetypes X theta (n x kc) and biarchetypes Z theta (k x kc), in the space of the fit
    // (z-scores when normalize is on: a mixture of differently scaled features has no unit).
    const HostMatrix theta = to_host(params.column_mixing);
    const HostMatrix Z_fit = to_host(params.archetypes);
    const HostMatrix X_fit = to_host(X);  // the host copy was released after upload
    const std::size_t kc = theta.cols;
    HostMatrix columns(n, kc), bi(k, kc);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t f = 0; f < d; ++f)
        for (std::size_t t = 0; t < kc; ++t) columns(i, t) += X_fit(i, f) * theta(f, t);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f)
        for (std::size_t t = 0; t < kc; ++t) bi(j, t) += Z_fit(j, f) * theta(f, t);
    write_npy(staging / "column_archetypes.npy", columns, npy_type);
    std::vector<std::string> column_header;
    for (std::size_t t = 0; t < kc; ++t) column_header.push_back("c" + std::to_string(t));
    write_csv(staging / "biarchetypes.csv", bi, column_header);
  }
  if (data.true_archetypes)
    write_csv(staging / "true_archetypes.csv", *data.true_archetypes, header);
  nlohmann::json prep = {{"normalize", normalize}};
  if (normalize) {
    prep["mean"] = scaling.mean;
    prep["std"] = scaling.std;
  }
  write_json(staging / "preprocessing.json", prep);
  summary.metrics = metrics;
  summary.ok = true;
  return summary;
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
    {
      std::optional<logging::FileCopy> log_copy;
      if (writer) {
        log_copy.emplace(staging / "log.txt");
        write_json(staging / "config.json", resolved);
      }
      const std::uint64_t seed = resolved.at("model").at("seed").get<std::uint64_t>();
      const std::size_t k = resolved.at("model").at("n_archetypes").get<std::size_t>();
      LoadedData data;
      std::size_t total_rows = 0;
      parallel::agree([&] {
        auto source = registry.make<Dataset, double>(resolved.at("data"));
        if (many) {
          data = source->load_rows(seed, comm.rank(), comm.size(), total_rows);
        } else {
          data = source->load(seed);
          total_rows = data.X.rows;
        }
        const auto issues =
            parallel::distributed_issues(resolved, registry, comm.size(), total_rows);
        if (!issues.empty()) throw ConfigError(issues);
        if (k > total_rows) {
          throw ConfigError({"/model/n_archetypes: " + std::to_string(k) +
                             " archetypes but the data (" + data.description + ") have only " +
                             std::to_string(total_rows) + " rows"});
        }
      });
      double largest = largest_magnitude(data.X);
      comm.allreduce_max(&largest, 1);
      parallel::agree([&] {
        check_magnitudes(data, resolved.at("model").at("normalize").get<bool>(), largest);
      });
      if (options.save_data) write_npy(staging / "data.npy", data.X, NpyType::float64);
      const std::size_t cols = data.X.cols;  // fit_typed releases data.X
      std::optional<parallel::DistributedScope> scope;
      if (many) scope.emplace(parallel::block_of(total_rows, comm.rank(), comm.size()));
      summary = resolved.at("model").at("precision") == "float64"
                    ? fit_typed<double>(resolved, registry, options, data, staging, total_rows)
                    : fit_typed<float>(resolved, registry, options, data, staging, total_rows);
      const std::size_t rows = total_rows;
      auto& m = summary.metrics;
      m["n"] = rows;
      m["d"] = cols;
      m["n_archetypes"] = k;
      m["data"] = data.description;
      m["precision"] = resolved.at("model").at("precision");
      m["seed"] = seed;
      m["threads"] = ExecSpace().concurrency();
      if (many) m["mpi_ranks"] = comm.size();
      m["execution_space"] = ExecSpace::name();
      m["kaa_version"] = KAA_VERSION;
      m["git_commit"] = KAA_GIT_COMMIT;
      m["total_seconds"] =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      // metrics.json is written last: its presence marks a complete run folder.
      if (writer) write_json(staging / "metrics.json", m);
    }
    if (writer) {
      publish(staging, out);
      // The run is complete; its checkpoint would only mislead a later --resume.
      CheckpointStore(CheckpointStore::folder_for(out)).remove();
    }
  } catch (...) {
    if (!writer) throw;
    std::error_code ec;
    fs::remove_all(staging, ec);
    // Arrays of a first checkpoint whose save failed (e.g. a full disk) have no manifest and
    // cannot be resumed from; a completed checkpoint stays for --resume.
    const CheckpointStore store(CheckpointStore::folder_for(out));
    if (!store.exists()) store.remove();
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
  if (prep.at("normalize").get<bool>()) {
    const Standardization s{prep.at("mean").get<std::vector<double>>(),
                            prep.at("std").get<std::vector<double>>()};
    standardize(X, s);
    standardize(Z, s);
  }
  auto solve = [&](auto tag) {
    using S = decltype(tag);
    Model<S> model(resolved, registry);
    const Matrix<S> Xd = to_device<S>(X, "kaa::transform.X");
    const Matrix<S> Zd = to_device<S>(Z, "kaa::transform.Z");
    Matrix<S> W("kaa::transform.W", X.rows, Z.rows);
    model.transform(Xd, Zd, W);
    return to_host(W);
  };
  return resolved.at("model").at("precision") == "float64" ? solve(double{}) : solve(float{});
}

}  // namespace kaa
