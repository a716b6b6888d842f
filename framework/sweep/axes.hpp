#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kaa::sweep {

/// One point of one axis: a value for each of the axis's JSON pointers (one for a grid, several
/// for a zip or a random axis over several ranges).
using AxisPoint = std::vector<std::pair<std::string, nlohmann::json>>;
/// The points an axis takes, in order.
using Axis = std::vector<AxisPoint>;

/// Parses one entry of a sweep's "axes" list (at JSON pointer `path` of the sweep file):
///   {"grid": {"/p": [v, ...], "/q": [...]}}   each pointer is its own dimension (a product)
///   {"zip": {"/p": [v, ...], "/q": [w, ...]}}  paired lists of equal length: one dimension
///   {"random": {"/p": {"low": a, "high": b, "log": false, "integer": false}, ...},
///    "count": N, "seed": S}                    N points drawn reproducibly from S
/// Appends one Axis per dimension to `out`. Every pointer is recorded in `pointers`; a pointer
/// already there is a duplicate axis. Problems are appended to `issues` (one line each, naming the
/// pointer into the sweep file) and the axis is then skipped.
void parse_axis(const nlohmann::json& axis, const std::string& path,
                std::vector<std::string>& pointers, std::vector<Axis>& out,
                std::vector<std::string>& issues);

/// The Cartesian product of the axes, first axis slowest; each point maps pointer -> value. No
/// axes give one empty point.
std::vector<nlohmann::json> expand(const std::vector<Axis>& axes);

/// A uniform number in [0, 1) from a seed and a counter (splitmix64, Steele et al. 2014):
/// the same on every platform, so a random axis is reproducible from its seed.
double uniform01(std::uint64_t seed, std::uint64_t counter);

/// True when `pointer` is a syntactically valid JSON pointer (RFC 6901) other than the root.
bool is_json_pointer(const std::string& pointer);

}  // namespace kaa::sweep
