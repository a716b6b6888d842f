#pragma once
// The embedding API: one fit in memory, no files written. `kaa fit` (framework/run.cpp) and the
// Python module go through fit_data(), so a config and data give the same numbers on every path.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/artifact.hpp"
#include "framework/host_matrix.hpp"
#include "framework/interfaces/dataset.hpp"
#include "framework/registry/registry.hpp"
#include "framework/restarts.hpp"

namespace kaa {

/// A row-major (C-contiguous) rows x cols matrix owned by the caller, float32 or float64. The fit
/// reads it once into its working copy (double, as every kaa data source yields).
struct MatrixRef {
  enum class Type { float32, float64 };
  const void* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  Type type = Type::float64;
  std::string name = "X";  // names the data in errors: "X: row 3, column 2: NaN or Inf value"
};

/// Per-feature mean and standard deviation as archetypax computes them (population std;
/// std < 1e-10 replaced by 1 so constant features pass through unchanged).
struct Standardization {
  std::vector<double> mean, std;
};
Standardization standardization_of(const HostMatrix& X);
void standardize(HostMatrix& X, const Standardization& s);

/// How a fit is run, beyond its config.
struct FitControl {
  /// Called every `progress_every` updates (0 = never) with the update count and loss.
  std::function<void(std::size_t updates, double loss)> progress;
  std::size_t progress_every = 0;
  /// Called before the loop and after every update; it abandons the fit by throwing (Ctrl-C).
  std::function<void()> check_interrupt;
  /// Where checkpoints go (empty: none); with `resume`, the fit continues from the one there.
  std::filesystem::path checkpoint_folder;
  bool resume = false;
  /// Names the config in errors ("<source>: /json/pointer: ...").
  std::string config_source = "config";
};

/// One finished (or diverged) fit. Arrays are in the data's original units.
struct Result {
  /// False when the fit diverged: archetypes and weights are then empty, or, when
  /// `best_before_divergence`, the best parameters seen (a diagnosis, never a result).
  bool ok = false;
  bool best_before_divergence = false;
  nlohmann::json config;   // the resolved config
  nlohmann::json metrics;  // what metrics.json records
  std::vector<double> loss_history;
  HostMatrix archetypes;  // k x d
  HostMatrix weights;     // n x k (on MPI rank 0: every rank's rows)
  /// The archetypes the data are reconstructed from when a loss term defines others than Z.
  std::optional<HostMatrix> effective_archetypes;
  /// Optional blocks as fitted ("mixing", "column_mixing", "column_weights").
  std::map<std::string, HostMatrix> blocks;
  /// What the strategies add (e.g. biarchetypal column archetypes), in the space of the fit.
  std::vector<Artifact> artifacts;
  std::optional<HostMatrix> true_archetypes;       // synthetic data's ground truth
  std::vector<std::string> feature_names;          // the data's column names, if it has them
  std::optional<Standardization> standardization;  // when model.normalize
  /// Every restart's record when model.n_init > 1 (empty for a single fit); the result is the
  /// restart metrics["restarts"]["chosen"] names.
  std::vector<RestartRecord> restarts;
};

/// The config `path` as `kaa fit` reads it: name defaulted to the file's stem, then each
/// "<json pointer>=<value>" override applied, then (if given) the data replaced by a file;
/// resolved.
nlohmann::json load_config(const std::filesystem::path& path,
                           const std::vector<std::string>& overrides,
                           const std::optional<std::string>& data_path, const Registry& registry);

/// Fits `config` (raw or resolved) on `X`; the config's data section is not used. Kokkos must be
/// initialised. Throws ConfigError / InputError naming the culprit, DivergedError when every
/// restart of model.n_init > 1 diverged, or what check_interrupt throws.
Result fit(const nlohmann::json& config, const MatrixRef& X, const Registry& registry,
           const FitControl& control = {});

/// Fits `config` on the data its `data` section names.
Result fit(const nlohmann::json& config, const Registry& registry, const FitControl& control = {});

/// The two above with every strategy kaa ships (these link kaa::strategies).
const Registry& default_registry();
Result fit(const nlohmann::json& config, const MatrixRef& X, const FitControl& control = {});
Result fit(const nlohmann::json& config, const FitControl& control = {});

/// Weights of the rows of X (n x d) for fixed archetypes (k x d), both in original units, by the
/// resolved config's transform strategy; both are standardised first with `standardization`.
HostMatrix transform(const nlohmann::json& resolved, HostMatrix archetypes, HostMatrix X,
                     const std::optional<Standardization>& standardization,
                     const Registry& registry);

/// The values of X as the fit reads them; InputError names an empty matrix or a non-finite cell.
HostMatrix host_matrix_of(const MatrixRef& X);

/// The common path: a resolved config and loaded data (in a distributed fit, this rank's rows of
/// `total_rows`) to a result. Checks k <= n and the data's magnitudes first.
Result fit_data(const nlohmann::json& resolved, const Registry& registry, LoadedData data,
                std::size_t total_rows, const FitControl& control);

}  // namespace kaa
