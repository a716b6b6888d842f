#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/dataset.hpp"

namespace kaa::strategies {

/// A data file: CSV (header optional; comma or whitespace) or .npy (float32/float64, C order).
template <class S>
class File final : public Dataset<S> {
 public:
  static constexpr const char* name = "file";
  static constexpr const char* summary = "rows of a CSV or .npy file";
  static constexpr bool distributed = true;
  static Schema schema();
  explicit File(const nlohmann::json& params);
  LoadedData load(std::uint64_t model_seed) override;
  /// CSV and .npy read only the rank's rows (read_csv_rows, read_npy_rows); IDX loads it all.
  LoadedData load_rows(std::uint64_t model_seed, int rank, int ranks,
                       std::size_t& total_rows) override;

 private:
  std::string path_, format_;
};

}  // namespace kaa::strategies
