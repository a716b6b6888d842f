#include "strategies/initializers/from_file.hpp"

#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/io/matrix_io.hpp"

namespace kaa::strategies {

namespace {

template <class S>
void load_block(const std::string& path, const Matrix<S>& target, const char* what) {
  const HostMatrix m = read_matrix(path);
  if (m.rows != target.extent(0) || m.cols != target.extent(1)) {
    throw InputError(path + ": " + what + " of shape " + std::to_string(m.rows) + " x " +
                     std::to_string(m.cols) + ", expected " + std::to_string(target.extent(0)) +
                     " x " + std::to_string(target.extent(1)));
  }
  Kokkos::deep_copy(target, to_device<S>(m, what));
}

}  // namespace

template <class S>
auto FromFile<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.string("weights", &Params::weights)
      .doc("CSV or .npy file of starting weights (n x k); \"\" = not set here");
  s.string("archetypes", &Params::archetypes)
      .doc("CSV or .npy file of starting archetypes (k x d); \"\" = not set here");
  return s;
}

template <class S>
FromFile<S>::FromFile(const Params& p) : config_(p) {
  if (config_.weights.empty() && config_.archetypes.empty())
    throw ConfigError({"from_file: set \"weights\", \"archetypes\" or both"});
}

template <class S>
unsigned FromFile<S>::blocks() const {
  return (config_.weights.empty() ? 0u : static_cast<unsigned>(Block::weights)) |
         (config_.archetypes.empty() ? 0u : static_cast<unsigned>(Block::archetypes));
}

template <class S>
void FromFile<S>::initialize(const Matrix<S>&, Parameters<S>& params, std::uint64_t) {
  if (!config_.weights.empty()) load_block(config_.weights, params.weights, "weights");
  if (!config_.archetypes.empty()) load_block(config_.archetypes, params.archetypes, "archetypes");
}

template class FromFile<float>;
template class FromFile<double>;

}  // namespace kaa::strategies
