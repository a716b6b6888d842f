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
    std::string dataset;  // HDF5 only; "" = kHdf5DefaultDataset
  };
  static BoundSchema<Params> schema();
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
  Params config_;
};

}  // namespace kaa::strategies
