#include "strategies/hooks/projections/biarchetype_projection.hpp"

#include "framework/error.hpp"
#include "framework/kernels/mixing.hpp"

namespace kaa::strategies {

namespace {

std::size_t top_count(long long top_k, long long divisor, long long offset, std::size_t m) {
  long long kp = static_cast<long long>(m) / divisor + offset;
  if (kp > top_k) kp = top_k;
  if (kp > static_cast<long long>(m)) kp = static_cast<long long>(m);
  return static_cast<std::size_t>(kp < 1 ? 1 : kp);
}

/// beta rows: directions from the mean row to each z_j = beta_j X, rows of X projected centred.
template <class S>
void pull_rows(const Matrix<S>& X, Parameters<S>& params, std::size_t kp, double mix, double eps,
               kernels::BiarchetypeWorkspace& ws) {
  const ExecSpace space;
  ws.fit_rows(X.extent(0), X.extent(1), params.mixing.extent(0), kp);
  kernels::centre_of_rows(space, X, ws.centre);
  kernels::directions_from_centre(space, params.archetypes, ws.centre, ws.row_dirs);
  kernels::normalize_directions(space, ws.row_dirs, eps, ws.row_norms);
  kernels::centred_projections(space, X, ws.centre, ws.row_dirs, ws.row_proj);
  kernels::softmax_top_pull(space, ws.row_proj, params.mixing, false, kp, mix, eps, ws.row_top);
  kernels::mixing_times_data(space, params.mixing, X, params.archetypes, ws.mixing);
}

/// theta columns: directions X theta_t - r in sample space, features projected uncentred.
template <class S>
void pull_columns(const Matrix<S>& X, Parameters<S>& params, std::size_t kp, double mix, double eps,
                  kernels::BiarchetypeWorkspace& ws) {
  const ExecSpace space;
  ws.fit_columns(X.extent(0), X.extent(1), params.column_mixing.extent(1), kp);
  kernels::column_directions(space, X, params.column_mixing, ws.col_dirs);
  kernels::normalize_directions(space, ws.col_dirs, eps, ws.col_norms);
  kernels::feature_projections(space, X, ws.col_dirs, ws.col_proj);
  kernels::softmax_top_pull(space, ws.col_proj, params.column_mixing, true, kp, mix, eps,
                            ws.col_top);
}

}  // namespace

template <class S>
auto BiarchetypeProjection<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("every", &Params::every)
      .min(1)
      .doc("project after updates 1, 1 + every, 1 + 2 every, ... (archetypax: 10)");
  s.number("mix", &Params::mix)
      .min(0.0)
      .max(1.0)
      .doc("weight of the extreme-point mix against the current coefficients (archetypax: 0.8)");
  s.integer("top_k", &Params::top_k)
      .min(1)
      .max(static_cast<double>(kernels::kMaxTopCandidates))
      .doc("most extreme points mixed (archetypax: 5)");
  s.integer("top_k_divisor", &Params::top_k_divisor)
      .min(1)
      .doc("points mixed = min(top_k, size / top_k_divisor + top_k_offset) (archetypax: 10)");
  s.integer("top_k_offset", &Params::top_k_offset)
      .non_negative()
      .doc("see top_k_divisor (archetypax: 2)");
  s.number("eps", &Params::eps)
      .positive()
      .doc("entry floor, smallest sum and smallest direction norm (archetypax: 1e-10)");
  s.boolean("rows", &Params::rows).doc("project the mixing rows beta");
  s.boolean("columns", &Params::columns).doc("project the column mixing columns theta");
  s.boolean("final", &Params::final).doc("project once more when the fit ends (archetypax: yes)");
  return s;
}

template <class S>
void BiarchetypeProjection<S>::check_config(const nlohmann::json& config, const std::string& path,
                                            std::vector<std::string>& issues) {
  // Only the biarchetypal loss brings column_mixing; a rows-only pull can serve any model with
  // mixing weights (checked when it runs).
  if (!schema().bind(config.at(nlohmann::json::json_pointer(path))).columns) return;
  bool biarchetypal = false;
  for (const auto& term : config.at("loss"))
    biarchetypal = biarchetypal || term.at("type") == "biarchetypal_reconstruction";
  if (!biarchetypal) {
    issues.push_back(path + "/type: hook \"biarchetype_projection\" with columns = true needs " +
                     "the column_mixing block; add a \"biarchetypal_reconstruction\" term to " +
                     "/loss or set " + path + "/columns to false");
  }
}

template <class S>
BiarchetypeProjection<S>::BiarchetypeProjection(const Params& p) : config_(p) {}

template <class S>
void BiarchetypeProjection<S>::prepare(const Matrix<S>& X, const Parameters<S>& params) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  if (config_.rows && params.has(Block::mixing))
    workspace_.fit_rows(n, d, params.mixing.extent(0),
                        top_count(config_.top_k, config_.top_k_divisor, config_.top_k_offset, n));
  if (config_.columns && params.has(Block::column_mixing))
    workspace_.fit_columns(
        n, d, params.column_mixing.extent(1),
        top_count(config_.top_k, config_.top_k_divisor, config_.top_k_offset, d));
}

template <class S>
void BiarchetypeProjection<S>::apply(const Matrix<S>& X, Parameters<S>& params) {
  if ((config_.rows && !params.has(Block::mixing)) ||
      (config_.columns && !params.has(Block::column_mixing))) {
    throw Error(
        "biarchetype_projection: the model has no " +
        std::string(config_.rows && !params.has(Block::mixing) ? "mixing" : "column_mixing") +
        " block to project");
  }
  if (config_.rows)
    pull_rows(X, params,
              top_count(config_.top_k, config_.top_k_divisor, config_.top_k_offset, X.extent(0)),
              config_.mix, config_.eps, workspace_);
  if (config_.columns)
    pull_columns(X, params,
                 top_count(config_.top_k, config_.top_k_divisor, config_.top_k_offset, X.extent(1)),
                 config_.mix, config_.eps, workspace_);
}

template <class S>
void BiarchetypeProjection<S>::after_update(HookContext<S>& ctx) {
  if ((ctx.updates - 1) % static_cast<std::size_t>(config_.every) == 0) apply(ctx.X, ctx.params);
}

template <class S>
void BiarchetypeProjection<S>::on_finish(HookContext<S>& ctx) {
  if (config_.final) apply(ctx.X, ctx.params);
}

template class BiarchetypeProjection<float>;
template class BiarchetypeProjection<double>;

}  // namespace kaa::strategies
