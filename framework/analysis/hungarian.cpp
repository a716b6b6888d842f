#include "framework/analysis/hungarian.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "framework/error.hpp"

namespace kaa::analysis {

// Boost 1.74 (Debian bookworm) has maximum_weighted_matching, but that version is known to return
// non-optimal matchings, crash or not terminate on some graphs (boostorg/graph issues 199, 223,
// 306, 399; replaced only in a later Boost release), so the assignment is solved here.
//
// Hungarian method (Kuhn 1955, Munkres 1957) in its shortest-augmenting-path form with dual
// potentials (Jonker & Volgenant 1987; Burkard, Dell'Amico & Martello, "Assignment Problems",
// 2009, sec. 4.4): rows are added one at a time; each addition runs a Dijkstra search over
// reduced costs cost(i, j) - u_i - v_j >= 0 from the new row to a free column, then flips the
// path. O(r^2 c) for r rows and c columns.
std::vector<std::size_t> min_cost_assignment(const HostMatrix& cost) {
  const std::size_t rows = cost.rows, cols = cost.cols;
  if (rows > cols)
    throw Error("min_cost_assignment: " + std::to_string(rows) + " rows cannot go to distinct " +
                "columns among " + std::to_string(cols));
  for (double c : cost.values)
    if (!std::isfinite(c)) throw Error("min_cost_assignment: cost matrix has a non-finite entry");

  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  // Column index `cols` is a virtual start column holding the row being inserted.
  std::vector<double> row_potential(rows, 0.0), col_potential(cols + 1, 0.0);
  std::vector<std::size_t> row_of_col(cols + 1, none);
  std::vector<std::size_t> previous_col(cols + 1, none);
  std::vector<double> distance(cols + 1);
  std::vector<char> done(cols + 1);

  for (std::size_t new_row = 0; new_row < rows; ++new_row) {
    const std::size_t start = cols;
    row_of_col[start] = new_row;
    std::fill(distance.begin(), distance.end(), inf);
    std::fill(done.begin(), done.end(), 0);
    std::size_t col = start;
    // Grow the shortest-path tree one column at a time until a free column is reached.
    while (row_of_col[col] != none) {
      done[col] = 1;
      const std::size_t row = row_of_col[col];
      double step = inf;
      std::size_t next = none;
      for (std::size_t j = 0; j < cols; ++j) {
        if (done[j]) continue;
        const double reduced = cost(row, j) - row_potential[row] - col_potential[j];
        if (reduced < distance[j]) {
          distance[j] = reduced;
          previous_col[j] = col;
        }
        if (distance[j] < step) {
          step = distance[j];
          next = j;
        }
      }
      // Shift the potentials so that the tree's edges stay tight and `next` becomes reachable
      // at zero reduced cost; pending distances shrink by the same amount.
      for (std::size_t j = 0; j <= cols; ++j) {
        if (done[j]) {
          row_potential[row_of_col[j]] += step;
          col_potential[j] -= step;
        } else {
          distance[j] -= step;
        }
      }
      col = next;
    }
    // Augment: shift every row on the path one column along.
    while (col != start) {
      const std::size_t before = previous_col[col];
      row_of_col[col] = row_of_col[before];
      col = before;
    }
  }

  std::vector<std::size_t> assignment(rows, none);
  for (std::size_t j = 0; j < cols; ++j)
    if (row_of_col[j] != none) assignment[row_of_col[j]] = j;
  return assignment;
}

Matching match_archetypes(const HostMatrix& a, const HostMatrix& b) {
  if (a.rows > b.rows)
    throw Error("match_archetypes: " + std::to_string(a.rows) +
                " archetypes cannot be matched to " + "distinct rows of a set of " +
                std::to_string(b.rows) + "; pass the smaller set first");
  if (a.rows > 0 && a.cols != b.cols)
    throw Error("match_archetypes: archetypes have " + std::to_string(a.cols) + " and " +
                std::to_string(b.cols) + " features; expected the same number");
  for (const HostMatrix* m : {&a, &b})
    for (double x : m->values)
      if (!std::isfinite(x)) throw Error("match_archetypes: an archetype has a non-finite value");

  HostMatrix cost(a.rows, b.rows);
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < b.rows; ++j) {
      double s = 0;
      for (std::size_t f = 0; f < a.cols; ++f) {
        const double diff = a(i, f) - b(j, f);
        s += diff * diff;
      }
      cost(i, j) = std::sqrt(s);
    }

  Matching m;
  m.assignment = min_cost_assignment(cost);
  m.distances.resize(a.rows);
  for (std::size_t i = 0; i < a.rows; ++i) {
    m.distances[i] = cost(i, m.assignment[i]);
    m.mean_distance += m.distances[i];
    m.max_distance = std::max(m.max_distance, m.distances[i]);
  }
  if (a.rows > 0) m.mean_distance /= static_cast<double>(a.rows);
  return m;
}

}  // namespace kaa::analysis
