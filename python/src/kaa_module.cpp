// kaa._core: the native half of the Python package. It owns Kokkos's lifetime in the process, runs
// fits through the embedding API (framework/api.hpp) with the GIL released, turns Ctrl-C into
// KeyboardInterrupt and hands results back as numpy arrays owned by Python. Inputs arrive as
// C-contiguous float32/float64 arrays (kaa/__init__.py converts anything else once).
#include <Python.h>
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <omp.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "framework/api.hpp"
#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/kokkos_session.hpp"
#include "framework/logging.hpp"
#include "framework/types.hpp"
#include "kaa_version.hpp"

namespace nb = nanobind;

namespace {

using Input = nb::ndarray<nb::ro, nb::c_contig, nb::device::cpu, nb::ndim<2>>;

/// Kokkos for the whole process: started on first use with the requested thread count, restarted
/// when the count changes, stopped at exit and before a fork (libgomp's thread pool does not
/// survive fork; both sides start afresh on their next fit).
struct Runtime {
  std::mutex fit_mutex;  // one fit at a time: the OpenMP backend has one dispatching thread
  std::optional<kaa::KokkosSession> session;
  int threads = 0;  // 0 = Kokkos's default (OMP_NUM_THREADS, else every core)
  bool shut_down = false;
};

Runtime& runtime() {
  static Runtime* r = new Runtime;  // never destroyed: finalised explicitly by _shutdown
  return *r;
}

void ensure_kokkos() {
  Runtime& r = runtime();
  if (r.session) return;
  if (r.shut_down) throw kaa::Error("kaa: the interpreter is shutting down");
  r.session.emplace(r.threads);
}

int concurrency() {
  ensure_kokkos();
  return kaa::ExecSpace().concurrency();
}

void set_num_threads(int threads) {
  if (threads < 0) throw nb::value_error("set_num_threads: threads must be >= 0 (0 = all cores)");
  Runtime& r = runtime();
  std::lock_guard<std::mutex> lock(r.fit_mutex);
  if (r.threads == threads) return;
  r.threads = threads;
  r.session.reset();  // restarted with the new count on the next fit
}

kaa::MatrixRef matrix_ref(const Input& X, const std::string& name) {
  kaa::MatrixRef ref;
  ref.data = X.data();
  ref.rows = X.shape(0);
  ref.cols = X.shape(1);
  ref.name = name;
  if (X.dtype() == nb::dtype<float>())
    ref.type = kaa::MatrixRef::Type::float32;
  else if (X.dtype() == nb::dtype<double>())
    ref.type = kaa::MatrixRef::Type::float64;
  else
    throw nb::type_error((name + ": expected float32 or float64 values").c_str());
  return ref;
}

nb::object to_numpy(kaa::HostMatrix&& m) {
  auto* values = new std::vector<double>(std::move(m.values));
  nb::capsule owner(values, [](void* p) noexcept { delete static_cast<std::vector<double>*>(p); });
  const std::size_t shape[2] = {m.rows, m.cols};
  return nb::cast(nb::ndarray<nb::numpy, double, nb::ndim<2>>(values->data(), 2, shape, owner));
}

nb::object to_numpy(std::vector<double>&& v) {
  kaa::HostMatrix m;
  m.rows = v.size();
  m.cols = 1;
  m.values = std::move(v);
  return to_numpy(std::move(m)).attr("reshape")(-1);
}

/// Raised inside the fit when Python has a pending KeyboardInterrupt (or whatever the SIGINT
/// handler raised); the error indicator stays set until the binding rethrows it.
struct Interrupted {};

/// Polls Python's signal handlers at most every 50 ms of the fit.
kaa::FitControl interruptible() {
  kaa::FitControl control;
  auto last =
      std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  control.check_interrupt = [last] {
    const auto now = std::chrono::steady_clock::now();
    if (now - *last < std::chrono::milliseconds(50)) return;
    *last = now;
    nb::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw Interrupted{};
  };
  return control;
}

template <class F>
auto without_gil(F&& f) {
  Runtime& r = runtime();
  try {
    nb::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(r.fit_mutex);
    ensure_kokkos();
    return f();
  } catch (const Interrupted&) {
    throw nb::python_error();
  }
}

nb::dict result_dict(kaa::Result&& r) {
  nb::dict out;
  out["ok"] = r.ok;
  out["best_before_divergence"] = r.best_before_divergence;
  out["config"] = r.config.dump();
  out["metrics"] = r.metrics.dump();
  out["loss_history"] = to_numpy(std::move(r.loss_history));
  out["archetypes"] = to_numpy(std::move(r.archetypes));
  out["weights"] = to_numpy(std::move(r.weights));
  if (r.effective_archetypes)
    out["effective_archetypes"] = to_numpy(std::move(*r.effective_archetypes));
  nb::dict blocks;
  for (auto& [name, m] : r.blocks) blocks[name.c_str()] = to_numpy(std::move(m));
  out["blocks"] = blocks;
  for (auto& a : r.artifacts) out[a.name.c_str()] = to_numpy(std::move(a.values));
  if (r.true_archetypes) out["true_archetypes"] = to_numpy(std::move(*r.true_archetypes));
  if (r.standardization) {
    out["mean"] = to_numpy(std::move(r.standardization->mean));
    out["std"] = to_numpy(std::move(r.standardization->std));
  }
  return out;
}

nb::dict fit(const std::string& config_json, std::optional<Input> X, const std::string& source) {
  const nlohmann::json config = kaa::parse_json_text(config_json, source);
  kaa::FitControl control = interruptible();
  control.config_source = source;
  std::optional<kaa::MatrixRef> ref;
  if (X) ref = matrix_ref(*X, "X");
  kaa::Result result = without_gil(
      [&] { return ref ? kaa::fit(config, *ref, control) : kaa::fit(config, control); });
  return result_dict(std::move(result));
}

std::string resolve(const std::string& config_json, const std::vector<std::string>& overrides,
                    const std::string& source) {
  nlohmann::json raw = kaa::parse_json_text(config_json, source);
  for (const auto& o : overrides) kaa::apply_override(raw, o);
  return kaa::resolve_config(raw, kaa::default_registry(), source).dump();
}

std::string load_config(const std::string& path, const std::vector<std::string>& overrides) {
  return kaa::load_config(path, overrides, std::nullopt, kaa::default_registry()).dump();
}

nb::object transform(const std::string& resolved_json, const Input& archetypes, const Input& X,
                     std::optional<std::vector<double>> mean,
                     std::optional<std::vector<double>> std) {
  const nlohmann::json resolved = kaa::parse_json_text(resolved_json, "config");
  const kaa::MatrixRef Z = matrix_ref(archetypes, "archetypes"), x = matrix_ref(X, "X");
  std::optional<kaa::Standardization> scaling;
  if (mean && std) scaling = kaa::Standardization{*mean, *std};
  kaa::HostMatrix W = without_gil([&] {
    return kaa::transform(resolved, kaa::host_matrix_of(Z), kaa::host_matrix_of(x), scaling,
                          kaa::default_registry());
  });
  return to_numpy(std::move(W));
}

/// Every registered strategy with its parameters, as JSON text.
std::string strategies() {
  nlohmann::json out = nlohmann::json::array();
  for (const kaa::StrategyInfo* info : kaa::default_registry().all()) {
    nlohmann::json params = nlohmann::json::array();
    for (const kaa::ParamSpec& p : info->schema.params()) {
      params.push_back({{"name", p.name},
                        {"type", p.type_text()},
                        {"default", p.default_value},
                        {"required", p.required},
                        {"range", p.range_text()},
                        {"choices", p.choices},
                        {"doc", p.doc}});
    }
    out.push_back({{"kind", kaa::to_string(info->kind)},
                   {"name", info->name},
                   {"summary", info->summary},
                   {"distributed", info->distributed},
                   {"parameters", params}});
  }
  return out.dump();
}

void shutdown() {
  Runtime& r = runtime();
  std::lock_guard<std::mutex> lock(r.fit_mutex);
  r.session.reset();
  r.shut_down = true;
}

/// Before fork, when no fit runs: stop Kokkos and release libgomp's thread pool, whose threads a
/// child would not have (its first parallel region would wait for them forever). Parent and child
/// restart both on their next fit.
void before_fork() {
  Runtime& r = runtime();
  if (!r.fit_mutex.try_lock()) return;
  r.session.reset();
  omp_pause_resource_all(omp_pause_hard);
  r.fit_mutex.unlock();
}

}  // namespace

NB_MODULE(_core, m) {
  m.doc() = "kaa's native core (use the kaa package)";
  kaa::logging::init_console(kaa::logging::Level::warning);
  // Translators are tried newest first: the base class is registered before its subclasses.
  nb::exception<kaa::Error>(m, "KaaError", PyExc_RuntimeError);
  nb::exception<kaa::InputError>(m, "DataError", PyExc_ValueError);
  nb::exception<kaa::ConfigError>(m, "ConfigError", PyExc_ValueError);
  m.def("fit", &fit, nb::arg("config_json"), nb::arg("X").none(), nb::arg("source"));
  m.def("resolve", &resolve);
  m.def("load_config", &load_config);
  m.def("transform", &transform, nb::arg("config_json"), nb::arg("archetypes"), nb::arg("X"),
        nb::arg("mean").none(), nb::arg("std").none());
  m.def("strategies", &strategies);
  m.def("set_num_threads", &set_num_threads);
  m.def("get_num_threads", [] {
    Runtime& r = runtime();
    std::lock_guard<std::mutex> lock(r.fit_mutex);
    return concurrency();
  });
  m.def("shutdown", &shutdown);
  m.def("before_fork", &before_fork);
  m.attr("__version__") = KAA_VERSION;
  m.attr("git_commit") = KAA_GIT_COMMIT;
}
