#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/dataset.hpp"

namespace kaa::strategies {

/// A data file: CSV (header optional; comma or whitespace) or .npy (float32/float64, C order).
template <class S>
class File final : public Dataset<S> {
 public:
  static constexpr const char* name = "file";
  static constexpr const char* summary = "rows of a CSV or .npy file";
  static constexpr bool distributed = true;
  enum class Format { by_extension, csv, npy };
  struct Params {
    std::string path;
    Format format = Format::by_extension;
  };
  static BoundSchema<Params> schema();
  explicit File(const Params& config);
  LoadedData load(std::uint64_t model_seed) override;
  /// CSV and .npy read only the rank's rows (read_csv_rows, read_npy_rows); IDX loads it all.
  LoadedData load_rows(std::uint64_t model_seed, int rank, int ranks,
                       std::size_t& total_rows) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
