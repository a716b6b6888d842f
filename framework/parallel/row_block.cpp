#include "framework/parallel/row_block.hpp"

#include <optional>

#include "framework/error.hpp"

namespace kaa::parallel {

namespace {
std::optional<RowBlock>& current() {
  static std::optional<RowBlock> rows;
  return rows;
}
}  // namespace

RowBlock block_of(std::size_t total, int rank, int ranks) {
  const auto r = static_cast<unsigned long long>(rank), R = static_cast<unsigned long long>(ranks);
  // 128-bit products: n r overflows 64 bits only beyond 1.8e19 / R rows, but costs nothing.
  const auto at = [&](unsigned long long q) {
    return static_cast<std::size_t>(static_cast<unsigned __int128>(total) * q / R);
  };
  return RowBlock{at(r), at(r + 1), total};
}

DistributedScope::DistributedScope(const RowBlock& rows) {
  if (current()) throw Error("a distributed fit is already in progress in this process");
  current() = rows;
}

DistributedScope::~DistributedScope() { current().reset(); }

bool distributed() { return current().has_value(); }

std::size_t global_rows(std::size_t local_rows) {
  return current() ? current()->total : local_rows;
}

std::size_t row_offset() { return current() ? current()->begin : 0; }

}  // namespace kaa::parallel
