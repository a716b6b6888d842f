#pragma once
#include <cstddef>
#include <functional>
#include <utility>

namespace kaa {

/// A block of rows [first, second) chosen once the file's row count (the argument) is known.
using RowRange = std::pair<std::size_t, std::size_t>;
using RowSelector = std::function<RowRange(std::size_t total_rows)>;

}  // namespace kaa
