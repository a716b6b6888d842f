#include "framework/analysis/hungarian.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "framework/error.hpp"

namespace kaa::analysis {

std::vector<std::size_t> min_cost_assignment(const HostMatrix& cost) {
  const std::size_t r = cost.rows, c = cost.cols;
  if (r > c)
    throw InputError("assignment: more rows (" + std::to_string(r) + ") than columns (" +
                     std::to_string(c) + ")");
  const double inf = std::numeric_limits<double>::infinity();
  // 1-based arrays; column 0 is the virtual start of each augmenting path.
  std::vector<double> u(r + 1, 0.0), v(c + 1, 0.0);
  std::vector<std::size_t> row_of_col(c + 1, 0), way(c + 1, 0);
  for (std::size_t i = 1; i <= r; ++i) {
    row_of_col[0] = i;
    std::size_t col = 0;
    std::vector<double> min_slack(c + 1, inf);
    std::vector<bool> used(c + 1, false);
    do {
      used[col] = true;
      const std::size_t row = row_of_col[col];
      double delta = inf;
      std::size_t next = 0;
      for (std::size_t j = 1; j <= c; ++j) {
        if (used[j]) continue;
        const double slack = cost(row - 1, j - 1) - u[row] - v[j];
        if (slack < min_slack[j]) {
          min_slack[j] = slack;
          way[j] = col;
        }
        if (min_slack[j] < delta) {
          delta = min_slack[j];
          next = j;
        }
      }
      for (std::size_t j = 0; j <= c; ++j) {
        if (used[j]) {
          u[row_of_col[j]] += delta;
          v[j] -= delta;
        } else {
          min_slack[j] -= delta;
        }
      }
      col = next;
    } while (row_of_col[col] != 0);
    do {  // flip the augmenting path
      const std::size_t prev = way[col];
      row_of_col[col] = row_of_col[prev];
      col = prev;
    } while (col != 0);
  }
  std::vector<std::size_t> assignment(r, 0);
  for (std::size_t j = 1; j <= c; ++j)
    if (row_of_col[j] != 0) assignment[row_of_col[j] - 1] = j - 1;
  return assignment;
}

Matching match_archetypes(const HostMatrix& a, const HostMatrix& b) {
  if (a.cols != b.cols) {
    throw InputError("archetype matching: " + std::to_string(a.cols) + " vs " +
                     std::to_string(b.cols) + " features");
  }
  HostMatrix cost(a.rows, b.rows);
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < b.rows; ++j) {
      double s = 0;
      for (std::size_t f = 0; f < a.cols; ++f) s += (a(i, f) - b(j, f)) * (a(i, f) - b(j, f));
      cost(i, j) = std::sqrt(s);
    }
  Matching m;
  m.assignment = min_cost_assignment(cost);
  for (std::size_t i = 0; i < a.rows; ++i) {
    const double dist = cost(i, m.assignment[i]);
    m.distances.push_back(dist);
    m.mean_distance += dist / static_cast<double>(a.rows);
    m.max_distance = std::max(m.max_distance, dist);
  }
  return m;
}

}  // namespace kaa::analysis
