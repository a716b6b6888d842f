#include "framework/api.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "framework/checkpoint/checkpoint_store.hpp"
#include "framework/config/config.hpp"
#include "framework/config/weighted_config.hpp"
#include "framework/error.hpp"
#include "framework/full_data.hpp"
#include "framework/host_transfer.hpp"
#include "framework/kernels/launch.hpp"
#include "framework/kernels/reconstruction.hpp"
#include "framework/kokkos_session.hpp"
#include "framework/logging.hpp"
#include "framework/model.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/data_reductions.hpp"
#include "framework/restarts.hpp"
#include "kaa_version.hpp"

namespace kaa {

namespace fs = std::filesystem;

namespace {

/// Mean and population standard deviation per feature over `total_rows` rows: this process's rows
/// of X, summed over the ranks of `ranks` when given (a distributed fit). With sample weights
/// (`weights` non-empty, summing to `total_weight` over all ranks) both are weighted, so integer
/// weights standardise as the repeated rows would.
Standardization standardization_over(const HostMatrix& X, std::size_t total_rows,
                                     const parallel::Communicator* ranks,
                                     const std::vector<double>& weights = {},
                                     double total_weight = 0.0) {
  const bool weighted = !weights.empty();
  const double count = weighted ? total_weight : static_cast<double>(total_rows);
  Standardization s{std::vector<double>(X.cols, 0.0), std::vector<double>(X.cols, 0.0)};
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) s.mean[f] += weighted ? weights[i] * X(i, f) : X(i, f);
  if (ranks) ranks->allreduce_sum(s.mean.data(), s.mean.size());
  for (double& m : s.mean) m /= count;
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) {
      const double c = X(i, f) - s.mean[f];
      s.std[f] += weighted ? weights[i] * (c * c) : c * c;
    }
  if (ranks) ranks->allreduce_sum(s.std.data(), s.std.size());
  for (double& v : s.std) {
    v = std::sqrt(v / count);
    if (v < 1e-10) v = 1.0;
  }
  return s;
}

/// Rows of weights sum to 1, so x = w A in z-scores is w (A std + mean) in original units.
void destandardize(HostMatrix& A, const Standardization& s) {
  for (std::size_t j = 0; j < A.rows; ++j)
    for (std::size_t f = 0; f < A.cols; ++f) A(j, f) = A(j, f) * s.std[f] + s.mean[f];
}

}  // namespace

Standardization standardization_of(const HostMatrix& X) {
  return standardization_over(X, X.rows, nullptr);
}

void standardize(HostMatrix& X, const Standardization& s) {
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) X(i, f) = (X(i, f) - s.mean[f]) / s.std[f];
}

nlohmann::json load_config(const fs::path& path, const std::vector<std::string>& overrides,
                           const std::optional<std::string>& data_path, const Registry& registry) {
  nlohmann::json raw = read_json_file(path);
  if (raw.is_object() && !raw.contains("name")) raw["name"] = path.stem().string();
  // --data first, so that --set /data/... refines the file it names instead of being dropped.
  if (data_path) raw["data"] = nlohmann::json::object({{"type", "file"}, {"path", *data_path}});
  for (const auto& o : overrides) apply_override(raw, o);
  return resolve_config(raw, registry, path.string());
}

namespace {

bool all_finite(const HostMatrix& m) {
  for (double v : m.values)
    if (!std::isfinite(v)) return false;
  return true;
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

/// FNV-1a over the data's shape and values (and sample weights, when given): a resumed fit must
/// see the same data.
std::string fingerprint(const HostMatrix& X, const std::vector<double>& weights) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](const void* p, std::size_t bytes) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < bytes; ++i) h = (h ^ c[i]) * 1099511628211ULL;
  };
  mix(&X.rows, sizeof X.rows);
  mix(&X.cols, sizeof X.cols);
  mix(X.values.data(), X.values.size() * sizeof(double));
  if (!weights.empty()) mix(weights.data(), weights.size() * sizeof(double));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
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
                      const RowWeights& row_weights, nlohmann::json& metrics) {
  double rss = kernels::reconstruction_pass(ExecSpace(), X, weights, archetypes, 0.0, Matrix<S>(),
                                            Matrix<S>(), Vector<double>(), row_weights.w);
  if (parallel::distributed()) parallel::world().allreduce_sum(&rss, 1);
  const double tss = parallel::total_sum_of_squares(X, Vector<double>(), row_weights);
  metrics["rss_fitted"] = rss;
  metrics["explained_variance_fitted"] =
      tss > 0 ? nlohmann::json(1.0 - rss / tss) : nlohmann::json(nullptr);
}

/// The data as the fit sees them: on the device, standardised when model.normalize.
template <class S>
struct FitData {
  Matrix<S> X;
  std::optional<Standardization> scaling;
  std::string fingerprint;  // of the data in original units, for checkpoints
  std::size_t total_rows = 0;
  RowWeights row_weights;  // the rows' sample weights (empty: every row once)
};

/// Standardises (over every rank's rows in a distributed fit) and uploads the data. The host copy
/// (double) is standardised in place, uploaded and released block by block as it goes
/// (to_device_releasing): from here on only the device copy exists, and the upload's peak is X in
/// double, not X in double plus X in S.
template <class S>
FitData<S> prepare_data(LoadedData& data, bool normalize, std::size_t total_rows,
                        double total_weight) {
  const parallel::Communicator& comm = parallel::world();
  FitData<S> fit;
  fit.total_rows = total_rows;
  if (normalize)
    fit.scaling = standardization_over(data.X, total_rows, comm.size() > 1 ? &comm : nullptr,
                                       data.weights, total_weight);
  fit.fingerprint = fingerprint(data.X, data.weights);
  if (!data.weights.empty()) {
    fit.row_weights.w = Vector<double>("kaa::row_weights", data.weights.size());
    const Kokkos::View<const double*, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> host(
        data.weights.data(), data.weights.size());
    Kokkos::deep_copy(fit.row_weights.w, host);
    fit.row_weights.total = total_weight;
  }
  HostMatrix X = std::move(data.X);
  data.X = HostMatrix();
  if (fit.scaling) standardize(X, *fit.scaling);
  fit.X = to_device_releasing<S>(std::move(X), "kaa::X");
  return fit;
}

void log_fit_start(const ModelSettings& model, const std::string& description,
                   std::size_t total_rows, std::size_t d) {
  const parallel::Communicator& comm = parallel::world();
  logging::info(
      "fitting k=" + std::to_string(model.n_archetypes) + " on " + description +
      " (n=" + std::to_string(total_rows) + ", d=" + std::to_string(d) + ", " +
      to_string(model.precision) + ", " + std::to_string(ExecSpace().concurrency()) + " threads" +
      (comm.size() > 1 ? " x " + std::to_string(comm.size()) + " MPI ranks" : std::string()) + ")");
}

/// The caller's progress callback, with an interrupt check after every update when the caller
/// has one (the progress keeps its own period).
std::pair<ProgressCallback, std::size_t> loop_progress(const FitControl& control) {
  if (!control.check_interrupt) return {control.progress, control.progress_every};
  auto progress = [&control](std::size_t updates, double loss) {
    control.check_interrupt();
    if (control.progress && control.progress_every > 0 && updates % control.progress_every == 0)
      control.progress(updates, loss);
  };
  return {progress, 1};
}

/// How the loop ended, and this rank's payload in collectives during it.
struct LoopOutcome {
  FitTrace trace;
  std::uint64_t payload_bytes = 0;
};

/// A trace as a checkpoint stores the kept restart's, and back.
nlohmann::json trace_json(const FitTrace& t) {
  return {{"losses", t.losses},    {"updates", t.updates},     {"stop_reason", t.stop_reason},
          {"seconds", t.seconds},  {"best_loss", t.best_loss}, {"best_update", t.best_update},
          {"diverged", t.diverged}};
}

FitTrace trace_of(const nlohmann::json& j) {
  FitTrace t;
  t.losses = j.at("losses").get<std::vector<double>>();
  t.updates = j.at("updates").get<std::size_t>();
  t.stop_reason = j.at("stop_reason").get<std::string>();
  t.seconds = j.at("seconds").get<double>();
  t.best_loss = j.at("best_loss").get<double>();
  t.best_update = j.at("best_update").get<std::size_t>();
  t.diverged = j.at("diverged").get<bool>();
  return t;
}

/// The restarts of one fit (model.n_init > 1): which one runs, the finished ones' records and the
/// best finished restart's parameters and trace. A checkpoint carries all of it, so a resumed fit
/// continues the restart it was taken in and keeps what the earlier ones found.
template <class S>
struct Restarts {
  std::size_t current = 0;
  std::vector<RestartRecord> records;
  std::optional<std::size_t> kept;
  Parameters<S> kept_params;
  LoopOutcome kept_outcome;

  void save(SavedState& state) const {
    state.scalars["restart"] = current;
    nlohmann::json done = nlohmann::json::array();
    for (const RestartRecord& r : records) done.push_back(to_json(r));
    state.scalars["restart_records"] = done;
    if (!kept) return;
    state.scalars["restart_kept"] = *kept;
    state.scalars["restart_kept_trace"] = trace_json(kept_outcome.trace);
    state.put_parameters("restart_kept", kept_params);
  }
  void load(const SavedState& state) {
    current = state.scalars.value("restart", std::size_t{0});
    records.clear();
    if (state.scalars.contains("restart_records"))
      for (const auto& r : state.scalars.at("restart_records"))
        records.push_back(restart_record_of(r));
    if (!state.scalars.contains("restart_kept")) return;
    kept = state.scalars.at("restart_kept").get<std::size_t>();
    kept_outcome.trace = trace_of(state.scalars.at("restart_kept_trace"));
    state.get_parameters("restart_kept", kept_params);
  }
};

/// When and where the loop checkpoints; a checkpoint records the config, the data's fingerprint
/// and, with restarts, their state. A distributed fit has none: checkpoints hold one process's
/// state (docs/SCALING.md).
template <class S>
CheckpointPolicy checkpoint_policy(const nlohmann::json& resolved,
                                   std::optional<CheckpointStore>& store,
                                   const std::string& data_id, const Restarts<S>* restarts) {
  CheckpointPolicy policy;
  policy.every_updates = resolved.at("checkpoint").at("every").get<std::size_t>();
  policy.every_seconds = resolved.at("checkpoint").at("seconds").get<double>();
  if (parallel::world().size() > 1 || !store) return policy;
  policy.write = [&resolved, &store, &data_id, restarts](SavedState state) {
    state.scalars["config"] = resolved;
    state.scalars["data_fingerprint"] = data_id;
    if (restarts) restarts->save(state);
    store->save(state);
    logging::info("checkpoint saved at update " + state.scalars["updates"].dump() + " in " +
                  store->folder().string());
  };
  return policy;
}

/// The checkpoint a resumed fit continues from, checked against the data.
SavedState resume_state(const std::optional<CheckpointStore>& store, const std::string& fingerprint,
                        const std::string& description) {
  if (!store) throw Error("resuming a fit needs its checkpoint folder");
  SavedState state = store->load();
  if (state.scalars.value("data_fingerprint", std::string()) != fingerprint) {
    throw InputError(store->folder().string() +
                     ": the data differ from the data the checkpoint was taken on (" + description +
                     ")");
  }
  logging::info("resuming from update " + state.scalars.at("updates").dump() + " (" +
                store->folder().string() + ")");
  return state;
}

/// One restart's record: its final loss is the objective at the parameters it ends on; a restart
/// that diverged, or ends on a non-finite loss, is recorded as diverged and never chosen.
template <class S>
RestartRecord restart_record(Model<S>& model, const FitData<S>& data, const Parameters<S>& params,
                             const FitTrace& trace, std::size_t index, std::uint64_t seed) {
  RestartRecord r;
  r.index = index;
  r.seed = seed;
  r.updates = trace.updates;
  r.seconds = trace.seconds;
  r.stop_reason = trace.stop_reason;
  r.diverged = trace.diverged;
  r.final_loss = r.diverged ? std::nan("") : model.objective(data.X, params);
  if (!r.diverged && !std::isfinite(r.final_loss)) {
    r.diverged = true;
    r.stop_reason = "diverged: non-finite final loss";
  }
  return r;
}

/// Initialises the parameters and runs the loop (or continues it from the checkpoint), once per
/// restart (model.n_init); `params` ends on the kept restart's parameters and `records` holds
/// every restart's record (left empty for a single fit, whose path is the one before restarts).
template <class S>
LoopOutcome run_loop(Model<S>& model, const FitData<S>& data, Parameters<S>& params,
                     const nlohmann::json& resolved, const FitControl& control,
                     const std::string& description, std::vector<RestartRecord>& records) {
  const auto [progress, progress_every] = loop_progress(control);
  if (control.check_interrupt) control.check_interrupt();
  const ModelSettings settings = model_settings(resolved);
  const std::size_t n_init = settings.n_init;
  std::optional<CheckpointStore> store;
  if (!control.checkpoint_folder.empty()) store.emplace(control.checkpoint_folder);
  Restarts<S> restarts;
  if (n_init > 1) restarts.kept_params = allocate_like<S>("kaa::restart_kept", params);
  const CheckpointPolicy policy =
      checkpoint_policy<S>(resolved, store, data.fingerprint, n_init > 1 ? &restarts : nullptr);
  std::optional<SavedState> resumed;
  if (control.resume) {
    resumed = resume_state(store, data.fingerprint, description);
    if (n_init > 1) restarts.load(*resumed);
  }
  const parallel::Communicator& comm = parallel::world();
  for (std::size_t r = restarts.current; r < n_init; ++r) {
    restarts.current = r;
    const std::uint64_t seed = restart_seed(settings.seed, r);
    LoopOutcome outcome;
    if (resumed) {
      outcome.trace = model.iterate(data.X, params, progress, progress_every, &policy, &*resumed);
      resumed.reset();
    } else {
      if (n_init > 1)
        logging::info("restart " + std::to_string(r) + " of " + std::to_string(n_init) + " (seed " +
                      std::to_string(seed) + ")");
      model.initialize(data.X, params, seed);
      if (control.check_interrupt) control.check_interrupt();
      const std::uint64_t before = comm.payload_bytes();
      outcome.trace = model.iterate(data.X, params, progress, progress_every, &policy);
      outcome.payload_bytes = comm.payload_bytes() - before;
    }
    if (n_init == 1) return outcome;
    const RestartRecord record = restart_record(model, data, params, outcome.trace, r, seed);
    restarts.records.push_back(record);
    logging::info(
        "restart " + std::to_string(r) + ": " +
        (record.diverged ? record.stop_reason : "final loss " + std::to_string(record.final_loss)));
    const std::optional<std::size_t> best = chosen_restart(restarts.records);
    if (best && *best == r) {
      copy_parameters(params, restarts.kept_params);
      restarts.kept = r;
      restarts.kept_outcome = outcome;
    }
  }
  records = restarts.records;
  if (!restarts.kept) throw DivergedError(all_restarts_diverged_message(records));
  copy_parameters(restarts.kept_params, params);
  return restarts.kept_outcome;
}

/// A result's record of the loop itself, whatever its outcome.
Result loop_record(const nlohmann::json& resolved, const LoopOutcome& loop) {
  const FitTrace& trace = loop.trace;
  Result result;
  result.config = resolved;
  nlohmann::json& metrics = result.metrics;
  metrics["status"] = trace.diverged ? "diverged" : "ok";
  metrics["stop_reason"] = trace.stop_reason;
  metrics["iterations"] = trace.updates;
  if (parallel::world().size() > 1 && trace.updates > 0) {
    // Measured, not modelled: it must not grow with n (docs/SCALING.md has the formula).
    metrics["mpi_payload_bytes_per_update"] =
        static_cast<double>(loop.payload_bytes) / static_cast<double>(trace.updates);
  }
  metrics["seconds"] = trace.seconds;
  metrics["last_recorded_loss"] =
      trace.losses.empty() ? nlohmann::json(nullptr) : nlohmann::json(trace.losses.back());
  result.loss_history = trace.losses;
  return result;
}

/// The fitted arrays on the host: archetypes Z, weights W (in a distributed fit every rank's
/// rows, on rank 0) and the effective archetypes E when a loss term defines others than Z.
struct HostArrays {
  HostMatrix Z, W;
  std::optional<HostMatrix> E;
  bool finite = true;  // every block finite (on every rank)
};

template <class S>
HostArrays host_arrays(const Parameters<S>& params, const Matrix<S>& E, std::size_t total_rows) {
  HostArrays host;
  host.Z = to_host(params.archetypes);
  host.W = to_host(params.weights);
  if (E.data() != params.archetypes.data()) host.E = to_host(E);
  host.finite = all_finite(host.Z) && all_finite(host.W) && (!host.E || all_finite(*host.E));
  for (Block b : kBlocks)
    if (params.has(b)) host.finite = host.finite && all_finite(to_host(params.block(b)));
  const parallel::Communicator& comm = parallel::world();
  if (comm.size() > 1) {
    // Weights are this rank's rows: agree on finiteness, then collect them on rank 0.
    double bad = host.finite ? 0.0 : 1.0;
    comm.allreduce_max(&bad, 1);
    host.finite = bad == 0.0;
    host.W = gather_rows(host.W, total_rows);
  }
  return host;
}

/// A diverged fit: the model reset the parameters to the best seen; they are kept for diagnosis
/// under names that cannot be mistaken for a result.
void record_divergence(const FitTrace& trace, HostArrays& host, Result& result) {
  nlohmann::json& metrics = result.metrics;
  metrics["status"] = "diverged";
  if (!trace.diverged) metrics["stop_reason"] = "diverged: non-finite parameters";
  std::string kept = "no archetypes or weights written";
  if (trace.diverged && host.finite && std::isfinite(trace.best_loss)) {
    metrics["best_loss"] = trace.best_loss;
    metrics["best_update"] = trace.best_update;
    result.archetypes = std::move(host.Z);
    result.weights = std::move(host.W);
    result.best_before_divergence = true;
    kept = "the best parameters seen (loss " + std::to_string(trace.best_loss) + " at update " +
           std::to_string(trace.best_update) + ") are in best_before_divergence_*";
  }
  if (parallel::world().rank() == 0)
    logging::error("fit diverged (" + metrics["stop_reason"].get<std::string>() + "); " + kept);
}

/// Metric scale of squared errors in the fit space: std^2 per feature, so that sums of squares
/// are in original units.
Vector<double> squared_error_scale(const Standardization& s) {
  Vector<double> scale("kaa::squared_error_scale", s.std.size());
  auto host = Kokkos::create_mirror_view(scale);
  for (std::size_t f = 0; f < s.std.size(); ++f) host(f) = s.std[f] * s.std[f];
  Kokkos::deep_copy(scale, host);
  return scale;
}

/// The metrics of a finished fit: the final objective, the configured metrics (in original
/// units) and, with model.normalize, the fit in the standardised space.
template <class S>
void record_metrics(Model<S>& model, const FitData<S>& data, const Parameters<S>& params,
                    const Matrix<S>& E, const HostArrays& host,
                    const std::optional<HostMatrix>& true_archetypes, nlohmann::json& metrics) {
  metrics["final_loss"] = model.objective(data.X, params);
  MetricInputs<S> in{data.X, params, Vector<double>(), data.row_weights};
  if (data.scaling) in.squared_error_scale = squared_error_scale(*data.scaling);
  in.archetypes_original = host.Z;
  in.true_archetypes = true_archetypes;
  model.compute_metrics(in, metrics);
  if (data.scaling) fitted_space_fit(data.X, params.weights, E, data.row_weights, metrics);
}

/// The arrays of a finished fit: archetypes, weights, the optional blocks as fitted (mixing B,
/// column mixing theta, column weights gamma) and what the strategies add (on rank 0).
template <class S>
void record_arrays(Model<S>& model, const FitData<S>& data, const Parameters<S>& params,
                   HostArrays& host, Result& result) {
  for (Block b : {Block::mixing, Block::column_mixing, Block::column_weights})
    if (params.has(b)) result.blocks[to_string(b)] = to_host(params.block(b));
  if (parallel::world().rank() == 0) result.artifacts = model.artifacts(data.X, params);
  result.archetypes = std::move(host.Z);
  result.weights = std::move(host.W);
  result.effective_archetypes = std::move(host.E);
}

/// The result of a fit from its parameters: metrics and arrays in original units, or what a
/// diverged fit leaves for diagnosis.
template <class S>
Result collect_result(Model<S>& model, const FitData<S>& data, const Parameters<S>& params,
                      const nlohmann::json& resolved, const LoopOutcome& loop,
                      const std::optional<HostMatrix>& true_archetypes) {
  Result result = loop_record(resolved, loop);
  result.standardization = data.scaling;
  result.true_archetypes = true_archetypes;
  // Archetypes the data are reconstructed from, when a loss term defines others than Z.
  const Matrix<S> E = model.effective_archetypes(params);
  HostArrays host = host_arrays(params, E, data.total_rows);
  if (host.finite && data.scaling) {
    destandardize(host.Z, *data.scaling);
    if (host.E) destandardize(*host.E, *data.scaling);
  }
  if (loop.trace.diverged || !host.finite) {
    record_divergence(loop.trace, host, result);
    return result;
  }
  record_metrics(model, data, params, E, host, true_archetypes, result.metrics);
  record_arrays(model, data, params, host, result);
  result.ok = true;
  return result;
}

/// The restarts' record: the kept one's index, seed and every loss in metrics.json, and
/// "seconds" the time of all restarts together (each one's is in restarts.csv).
void record_restarts(std::vector<RestartRecord> restarts, Result& result) {
  const std::size_t chosen = *chosen_restart(restarts);
  double seconds = 0;
  for (const RestartRecord& r : restarts) seconds += r.seconds;
  result.metrics["restarts"] = restarts_summary(restarts, chosen);
  result.metrics["seconds"] = seconds;
  result.restarts = std::move(restarts);
}

/// In a distributed fit (more than one rank) every rank runs this on its rows; collectives inside
/// the model and the metrics combine them.
template <class S>
Result fit_typed(const nlohmann::json& resolved, const Registry& registry,
                 const FitControl& control, LoadedData& data, std::size_t total_rows,
                 double total_weight) {
  const ModelSettings settings = model_settings(resolved);
  const std::size_t d = data.X.cols, n = data.X.rows;
  FitData<S> fit = prepare_data<S>(data, settings.normalize, total_rows, total_weight);
  // Built on every rank alike, so a config error is every rank's (agree keeps it one message).
  std::optional<Model<S>> model;
  parallel::agree([&] { model.emplace(resolved, registry); });
  model->set_row_weights(fit.row_weights);
  Parameters<S> params = model->allocate(n, d);
  log_fit_start(settings, data.description, total_rows, d);
  std::vector<RestartRecord> restarts;
  const LoopOutcome loop =
      run_loop(*model, fit, params, resolved, control, data.description, restarts);
  Result result = collect_result(*model, fit, params, resolved, loop, data.true_archetypes);
  if (!restarts.empty()) record_restarts(std::move(restarts), result);
  return result;
}

}  // namespace

HostMatrix host_matrix_of(const MatrixRef& X) {
  if (X.rows == 0 || X.cols == 0) {
    throw InputError(X.name + ": empty data (" + std::to_string(X.rows) + " rows, " +
                     std::to_string(X.cols) + " columns); need at least one of each");
  }
  if (X.data == nullptr) throw InputError(X.name + ": no data");
  HostMatrix out(X.rows, X.cols);
  const std::size_t count = X.rows * X.cols;
  for (std::size_t e = 0; e < count; ++e) {
    const double v = X.type == MatrixRef::Type::float32 ? static_cast<const float*>(X.data)[e]
                                                        : static_cast<const double*>(X.data)[e];
    if (!std::isfinite(v)) {
      throw InputError(X.name + ": row " + std::to_string(e / X.cols + 1) + ", column " +
                       std::to_string(e % X.cols + 1) + ": NaN or Inf value");
    }
    out.values[e] = v;
  }
  return out;
}

namespace {

/// Refuses sample weights that are malformed (every source's, e.g. a dataset strategy's) or a
/// config with a strategy that cannot honour them; returns their total over every rank (0 when
/// the data have none, on every rank alike).
double check_row_weights(const nlohmann::json& resolved, const Registry& registry,
                         const LoadedData& data) {
  const parallel::Communicator& comm = parallel::world();
  double has = data.weights.empty() ? 0.0 : 1.0;
  comm.allreduce_max(&has, 1);
  if (has == 0.0) return 0.0;
  const std::string source = data.description;
  parallel::agree([&] {
    auto issues = row_weight_issues(data.weights, data.X.rows, source, comm.size() == 1);
    const auto config = weighted_issues(resolved, registry, source);
    issues.insert(issues.end(), config.begin(), config.end());
    if (!issues.empty()) throw ConfigError(issues);
  });
  double total = 0;
  for (double w : data.weights) total += w;
  comm.allreduce_sum(&total, 1);
  parallel::agree([&] {
    if (!(total > 0))
      throw InputError(source + ": every weight is zero; at least one row must count");
  });
  return total;
}

LoadedData data_of(const MatrixRef& X) {
  LoadedData data;
  data.X = host_matrix_of(X);
  data.description = X.name + " (" + std::to_string(X.rows) + " x " + std::to_string(X.cols) +
                     (X.type == MatrixRef::Type::float32 ? ", float32)" : ", float64)");
  return data;
}

}  // namespace

Result fit_data(const nlohmann::json& resolved, const Registry& registry, LoadedData data,
                std::size_t total_rows, const FitControl& control) {
  const auto start = std::chrono::steady_clock::now();
  const parallel::Communicator& comm = parallel::world();
  const bool many = comm.size() > 1;
  const ModelSettings settings = model_settings(resolved);
  const std::size_t k = settings.n_archetypes;
  parallel::agree([&] {
    if (k > total_rows) {
      throw ConfigError({"/model/n_archetypes: " + std::to_string(k) +
                         " archetypes but the data (" + data.description + ") have only " +
                         std::to_string(total_rows) + " rows"});
    }
  });
  double largest = largest_magnitude(data.X);
  comm.allreduce_max(&largest, 1);
  parallel::agree([&] { check_magnitudes(data, settings.normalize, largest); });
  const double total_weight = check_row_weights(resolved, registry, data);
  const std::size_t cols = data.X.cols;  // fit_typed releases data.X
  std::vector<std::string> feature_names = std::move(data.feature_names);
  Result result =
      settings.precision == Precision::float64
          ? fit_typed<double>(resolved, registry, control, data, total_rows, total_weight)
          : fit_typed<float>(resolved, registry, control, data, total_rows, total_weight);
  auto& m = result.metrics;
  m["n"] = total_rows;
  m["d"] = cols;
  m["n_archetypes"] = k;
  m["data"] = data.description;
  if (total_weight > 0) m["sum_of_weights"] = total_weight;
  if (!feature_names.empty()) m["feature_names"] = feature_names;
  result.feature_names = std::move(feature_names);
  m["precision"] = to_string(settings.precision);
  m["seed"] = settings.seed;
  m["threads"] = ExecSpace().concurrency();
  const ThreadPolicy& policy = thread_policy();
  m["threads_set_by"] = policy.threads_set_by;
  if (policy.busy_cores >= 0) m["busy_cores_at_start"] = policy.busy_cores;
  m["omp_wait_policy"] = policy.wait_policy;
  m["omp_wait_policy_set_by"] = policy.wait_policy_set_by;
  if (many) m["mpi_ranks"] = comm.size();
  m["execution_space"] = ExecSpace::name();
  // Passes of less work run on the calling thread (framework/kernels/launch.hpp).
  m["inline_pass_work_below"] = kernels::runs_on_host<ExecSpace> ? kernels::kInlineWork : 0;
  m["kaa_version"] = KAA_VERSION;
  m["git_commit"] = KAA_GIT_COMMIT;
  m["target_isa"] = KAA_TARGET_ISA;
  // A coreset fit: the weights of every row of the data it was drawn from.
  if (data.full && result.ok) record_full_data(resolved, registry, *data.full, result);
  m["total_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

Result fit(const nlohmann::json& config, const MatrixRef& X, const Registry& registry,
           const FitControl& control) {
  const nlohmann::json resolved = resolve_config(config, registry, control.config_source);
  LoadedData data = data_of(X);
  const std::size_t rows = data.X.rows;
  return fit_data(resolved, registry, std::move(data), rows, control);
}

Result fit(const nlohmann::json& config, const Registry& registry, const FitControl& control) {
  const nlohmann::json resolved = resolve_config(config, registry, control.config_source);
  LoadedData data =
      registry.make<Dataset, double>(resolved.at("data"))->load(model_settings(resolved).seed);
  const std::size_t rows = data.X.rows;
  return fit_data(resolved, registry, std::move(data), rows, control);
}

HostMatrix transform(const nlohmann::json& resolved, HostMatrix archetypes, HostMatrix X,
                     const std::optional<Standardization>& standardization,
                     const Registry& registry) {
  if (standardization) {
    standardize(X, *standardization);
    standardize(archetypes, *standardization);
  }
  auto solve = [&](auto tag) {
    using S = decltype(tag);
    Model<S> model(resolved, registry);
    const Matrix<S> Xd = to_device<S>(X, "kaa::transform.X");
    const Matrix<S> Zd = to_device<S>(archetypes, "kaa::transform.Z");
    Matrix<S> W("kaa::transform.W", X.rows, archetypes.rows);
    model.transform(Xd, Zd, W);
    return to_host(W);
  };
  return model_settings(resolved).precision == Precision::float64 ? solve(double{})
                                                                  : solve(float{});
}

}  // namespace kaa
