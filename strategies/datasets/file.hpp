#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/dataset.hpp"

namespace kaa::strategies {

/// A data file: CSV (header optional; comma or whitespace), .npy (float32/float64, C order) or a
/// 2-D dataset of an HDF5 file (AnnData .h5ad included). Column names come from a names file, the
/// CSV header or AnnData's var index and label every output.
template <class S>
class File final : public Dataset<S> {
 public:
  static constexpr const char* name = "file";
  static constexpr const char* summary = "rows of a CSV, .npy or HDF5 file";
  static constexpr bool distributed = true;
  enum class Format { by_extension, csv, npy, hdf5 };
  struct Params {
    std::string path;
    Format format = Format::by_extension;
    std::string feature_names;
    std::string dataset;         // HDF5 only; "" = kHdf5DefaultDataset
    std::string weights;         // a file of per-row sample weights
    std::string weights_column;  // or a column of the data file (index or header name)
  };
  static BoundSchema<Params> schema();
  static void check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues);
  explicit File(const Params& config);
  LoadedData load(std::uint64_t model_seed) override;
  /// CSV, .npy and HDF5 read only the rank's rows (read_csv_rows, read_npy_rows,
  /// read_hdf5_rows); IDX loads it all.
  LoadedData load_rows(std::uint64_t model_seed, int rank, int ranks,
                       std::size_t& total_rows) override;

 private:
  bool is_npy() const;
  bool is_csv() const;
  /// By format, extension, or the HDF5 signature of a file whose extension names no format.
  bool is_hdf5() const;
  /// InputError when `dataset` is set for a file that is not HDF5.
  void check_dataset_key() const;
  /// From the feature_names file or a CSV header; throws when their count is not `columns`.
  std::vector<std::string> feature_names(std::size_t columns) const;
  /// Moves the weights column out of out.X (and its name out of the feature names), or reads the
  /// weights file's rows [begin, begin + out.X.rows) of `total` rows; checks them.
  void attach_weights(LoadedData& out, std::size_t begin, std::size_t total) const;
  Params config_;
};

}  // namespace kaa::strategies
