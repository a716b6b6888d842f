#include "framework/api.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "framework/checkpoint/checkpoint_store.hpp"
#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/kernels/reconstruction.hpp"
#include "framework/logging.hpp"
#include "framework/model.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/data_reductions.hpp"
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

void standardize(HostMatrix& X, const Standardization& s) {
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) X(i, f) = (X(i, f) - s.mean[f]) / s.std[f];
}

nlohmann::json load_config(const fs::path& path, const std::vector<std::string>& overrides,
                           const std::optional<std::string>& data_path, const Registry& registry) {
  nlohmann::json raw = read_json_file(path);
  if (raw.is_object() && !raw.contains("name")) raw["name"] = path.stem().string();
  for (const auto& o : overrides) apply_override(raw, o);
  if (data_path) raw["data"] = {{"type", "file"}, {"path", *data_path}};
  return resolve_config(raw, registry, path.string());
}

namespace {

Standardization standardization_over_ranks(const HostMatrix& X, std::size_t total_rows) {
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

void destandardize(HostMatrix& A, const Standardization& s) {
  for (std::size_t j = 0; j < A.rows; ++j)
    for (std::size_t f = 0; f < A.cols; ++f) A(j, f) = A(j, f) * s.std[f] + s.mean[f];
}

/// In a distributed fit (more than one rank) every rank runs this on its rows; collectives inside
/// the model and the metrics combine them.
/// RSS and explained variance in the standardised space the fit minimised in, as
/// `rss_fitted` and `explained_variance_fitted`. The `rss` and `explained_variance` metrics are in
/// original units, where large-scale features dominate, so two fits can rank differently there
/// than by the objective both minimised. Recorded only with model.normalize (else they would
/// repeat rss and explained_variance); recorded whatever /metrics lists, as the report ranks by
/// them.
template <class S>
void fitted_space_fit(const Matrix<S>& X, const Matrix<S>& weights, const Matrix<S>& archetypes,
                      nlohmann::json& metrics) {
  double rss = kernels::reconstruction_pass(ExecSpace(), X, weights, archetypes, 0.0, Matrix<S>(),
                                            Matrix<S>());
  if (parallel::distributed()) parallel::world().allreduce_sum(&rss, 1);
  const double tss = parallel::total_sum_of_squares(X, Vector<double>());
  metrics["rss_fitted"] = rss;
  metrics["explained_variance_fitted"] =
      tss > 0 ? nlohmann::json(1.0 - rss / tss) : nlohmann::json(nullptr);
}

template <class S>
Result fit_typed(const nlohmann::json& resolved, const Registry& registry,
                 const FitControl& control, LoadedData& data, std::size_t total_rows) {
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
  // An interrupt check runs after every update; the caller's progress keeps its own period.
  ProgressCallback progress = control.progress;
  std::size_t progress_every = control.progress_every;
  if (control.check_interrupt) {
    progress = [&control](std::size_t updates, double loss) {
      control.check_interrupt();
      if (control.progress && control.progress_every > 0 && updates % control.progress_every == 0)
        control.progress(updates, loss);
    };
    progress_every = 1;
    control.check_interrupt();
  }
  std::optional<CheckpointStore> store;
  if (!control.checkpoint_folder.empty()) store.emplace(control.checkpoint_folder);
  CheckpointPolicy policy;
  policy.every_updates = resolved.at("checkpoint").at("every").get<std::size_t>();
  policy.every_seconds = resolved.at("checkpoint").at("seconds").get<double>();
  // Checkpoints hold one process's state; a distributed fit has none (docs/SCALING.md).
  if (!many && store)
    policy.write = [&](SavedState state) {
      state.scalars["config"] = resolved;
      state.scalars["data_fingerprint"] = data_id;
      store->save(state);
      logging::info("checkpoint saved at update " + state.scalars["updates"].dump() + " in " +
                    store->folder().string());
    };
  FitTrace trace;
  std::uint64_t loop_bytes = 0;  // this rank's payload in collectives during the loop
  if (control.resume) {
    if (!store) throw Error("resuming a fit needs its checkpoint folder");
    const SavedState state = store->load();
    if (state.scalars.value("data_fingerprint", std::string()) != data_id) {
      throw InputError(store->folder().string() +
                       ": the data differ from the data the checkpoint was taken on (" +
                       data.description + ")");
    }
    logging::info("resuming from update " + state.scalars.at("updates").dump() + " (" +
                  store->folder().string() + ")");
    trace = model.iterate(X, params, progress, progress_every, &policy, &state);
  } else {
    model.initialize(X, params, seed);
    if (control.check_interrupt) control.check_interrupt();
    loop_bytes = comm.payload_bytes();
    trace = model.iterate(X, params, progress, progress_every, &policy);
    loop_bytes = comm.payload_bytes() - loop_bytes;
  }

  Result result;
  result.config = resolved;
  if (normalize) result.standardization = scaling;
  result.true_archetypes = data.true_archetypes;
  nlohmann::json& metrics = result.metrics;
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
  result.loss_history = trace.losses;

  HostMatrix Z = to_host(params.archetypes);
  HostMatrix W = to_host(params.weights);
  // Archetypes the data are reconstructed from, when a loss term defines others than Z
  // (biarchetypal: Z theta gamma).
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
  if (trace.diverged || !finite) {
    metrics["status"] = "diverged";
    if (!trace.diverged) metrics["stop_reason"] = "diverged: non-finite parameters";
    std::string kept = "no archetypes or weights written";
    // The model reset the parameters to the best seen; keep them for diagnosis, under names that
    // cannot be mistaken for a result.
    if (trace.diverged && finite && std::isfinite(trace.best_loss)) {
      metrics["best_loss"] = trace.best_loss;
      metrics["best_update"] = trace.best_update;
      if (normalize) destandardize(Z, scaling);
      result.archetypes = std::move(Z);
      result.weights = std::move(W);
      result.best_before_divergence = true;
      kept = "the best parameters seen (loss " + std::to_string(trace.best_loss) + " at update " +
             std::to_string(trace.best_update) + ") are in best_before_divergence_*";
    }
    if (writer)
      logging::error("fit diverged (" + metrics["stop_reason"].get<std::string>() + "); " + kept);
    return result;
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
    destandardize(Z, scaling);
    if (E_host) destandardize(*E_host, scaling);
  }
  in.archetypes_original = Z;
  in.true_archetypes = data.true_archetypes;
  model.compute_metrics(in, metrics);
  if (normalize) fitted_space_fit(X, params.weights, model.effective_archetypes(params), metrics);

  result.ok = true;
  // The optional blocks as fitted (mixing B, column mixing theta, column weights gamma).
  for (Block b : {Block::mixing, Block::column_mixing, Block::column_weights})
    if (params.has(b)) result.blocks[to_string(b)] = to_host(params.block(b));
  if (params.has(Block::column_mixing) && writer) {
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
    result.column_archetypes = std::move(columns);
    result.biarchetypes = std::move(bi);
  }
  result.archetypes = std::move(Z);
  result.weights = std::move(W);
  result.effective_archetypes = std::move(E_host);
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
  const std::size_t k = resolved.at("model").at("n_archetypes").get<std::size_t>();
  parallel::agree([&] {
    if (k > total_rows) {
      throw ConfigError({"/model/n_archetypes: " + std::to_string(k) +
                         " archetypes but the data (" + data.description + ") have only " +
                         std::to_string(total_rows) + " rows"});
    }
  });
  double largest = largest_magnitude(data.X);
  comm.allreduce_max(&largest, 1);
  parallel::agree(
      [&] { check_magnitudes(data, resolved.at("model").at("normalize").get<bool>(), largest); });
  const std::size_t cols = data.X.cols;  // fit_typed releases data.X
  Result result = resolved.at("model").at("precision") == "float64"
                      ? fit_typed<double>(resolved, registry, control, data, total_rows)
                      : fit_typed<float>(resolved, registry, control, data, total_rows);
  auto& m = result.metrics;
  m["n"] = total_rows;
  m["d"] = cols;
  m["n_archetypes"] = k;
  m["data"] = data.description;
  m["precision"] = resolved.at("model").at("precision");
  m["seed"] = resolved.at("model").at("seed").get<std::uint64_t>();
  m["threads"] = ExecSpace().concurrency();
  if (many) m["mpi_ranks"] = comm.size();
  m["execution_space"] = ExecSpace::name();
  m["kaa_version"] = KAA_VERSION;
  m["git_commit"] = KAA_GIT_COMMIT;
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
  LoadedData data = registry.make<Dataset, double>(resolved.at("data"))
                        ->load(resolved.at("model").at("seed").get<std::uint64_t>());
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
  return resolved.at("model").at("precision") == "float64" ? solve(double{}) : solve(float{});
}

}  // namespace kaa
