#include "strategies/datasets/file.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>

#include "framework/config/weighted_config.hpp"
#include "framework/error.hpp"
#include "framework/io/hdf5.hpp"
#include "framework/io/matrix_io.hpp"

namespace kaa::strategies {

template <class S>
auto File<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.string("path", &Params::path).required().doc("path of the data file");
  s.choice("format", &Params::format,
           {{"auto", Format::by_extension},
            {"csv", Format::csv},
            {"npy", Format::npy},
            {"hdf5", Format::hdf5}})
      .doc("file format; auto = by extension (.h5, .hdf5, .h5ad: HDF5), else HDF5 by signature");
  s.string("feature_names", &Params::feature_names)
      .doc(
          "text file with one column name per line (default: a CSV file's header or AnnData's "
          "var index, if any)");
  s.string("dataset", &Params::dataset)
      .doc("HDF5 only: path of the 2-D dataset in the file; \"\" = /X (AnnData's matrix)");
  s.string("weights", &Params::weights)
      .doc(
          "file of per-row sample weights (.npy or CSV, one value per data row; row i then counts "
          "w_i times); default: none");
  s.string("weights_column", &Params::weights_column)
      .doc(
          "column of the data file holding per-row sample weights, by 0-based index or header "
          "name; it is then not a feature; default: none");
  return s;
}

template <class S>
void File<S>::check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues) {
  const Params p = schema().bind(config.at("data"));
  if (!p.weights.empty() && !p.weights_column.empty())
    issues.push_back(path + ": both weights and weights_column are set; give the weights once");
}

template <class S>
File<S>::File(const Params& p) : config_(p) {}

namespace {

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

/// One name per non-blank line, surrounding blanks removed.
std::vector<std::string> read_names_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the feature names file");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    names.push_back(line.substr(first, line.find_last_not_of(" \t\r") - first + 1));
  }
  return names;
}

}  // namespace

template <class S>
bool File<S>::is_npy() const {
  return config_.format == Format::npy ||
         (config_.format == Format::by_extension && lower_extension(config_.path) == ".npy");
}

template <class S>
bool File<S>::is_csv() const {
  const std::string ext = lower_extension(config_.path);
  return config_.format == Format::csv ||
         (config_.format == Format::by_extension &&
          (ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".dat"));
}

template <class S>
bool File<S>::is_hdf5() const {
  if (config_.format != Format::by_extension) return config_.format == Format::hdf5;
  return is_hdf5_name(config_.path) ||
         (!is_npy() && !is_csv() && !is_idx_name(config_.path) && has_hdf5_signature(config_.path));
}

template <class S>
void File<S>::check_dataset_key() const {
  if (!config_.dataset.empty() && !is_hdf5())
    throw InputError(config_.path + ": \"dataset\" (" + config_.dataset +
                     ") applies only to HDF5 files (.h5, .hdf5, .h5ad)");
}

template <class S>
std::vector<std::string> File<S>::feature_names(std::size_t columns) const {
  std::vector<std::string> names;
  std::string source;
  if (!config_.feature_names.empty()) {
    names = read_names_file(config_.feature_names);
    source = config_.feature_names;
  } else if (is_csv()) {
    names = read_csv_header(config_.path);
    source = config_.path + "'s header";
  } else if (is_hdf5()) {
    names = read_anndata_var_names(config_.path, config_.dataset);
    source = config_.path + "'s var index";
  }
  if (!names.empty() && names.size() != columns) {
    throw InputError(source + ": " + std::to_string(names.size()) + " feature names for " +
                     std::to_string(columns) + " columns of " + config_.path);
  }
  return names;
}

namespace {

/// The index of `column` (digits: a 0-based index; otherwise a name in the CSV header).
std::size_t weights_column_index(const std::string& path, const std::string& column,
                                 std::size_t columns, bool csv) {
  std::size_t index = columns;
  if (column.find_first_not_of("0123456789") == std::string::npos) {
    index = std::stoull(column);
  } else {
    const std::vector<std::string> header =
        csv ? read_csv_header(path) : std::vector<std::string>{};
    if (header.empty())
      throw InputError(path + ": weights_column \"" + column +
                       "\" names a column, but the file has no header; give its 0-based index");
    for (std::size_t c = 0; c < header.size() && index == columns; ++c)
      if (header[c] == column) index = c;
    if (index == columns)
      throw InputError(path + ": weights_column \"" + column + "\" is not in the header");
  }
  if (index >= columns)
    throw InputError(path + ": weights_column " + column + " is out of range (the file has " +
                     std::to_string(columns) + " columns, numbered from 0)");
  if (columns < 2)
    throw InputError(path + ": weights_column leaves no feature (the file has one column)");
  return index;
}

/// A weights file's values in file order: one column, or one row.
std::vector<double> read_weights_file(const std::string& path) {
  const HostMatrix m = read_matrix(path);
  if (m.rows != 1 && m.cols != 1)
    throw InputError(path + ": sample weights must be one column or one row, not " +
                     std::to_string(m.rows) + " x " + std::to_string(m.cols));
  return m.values;
}

}  // namespace

template <class S>
void File<S>::attach_weights(LoadedData& out, std::size_t begin, std::size_t total) const {
  std::string source;
  const std::size_t n = out.X.rows;
  if (!config_.weights_column.empty()) {
    const std::size_t d = out.X.cols;
    const std::size_t c = weights_column_index(config_.path, config_.weights_column, d, is_csv());
    HostMatrix features(n, d - 1);
    out.weights.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      out.weights[i] = out.X(i, c);
      for (std::size_t f = 0, g = 0; f < d; ++f)
        if (f != c) features(i, g++) = out.X(i, f);
    }
    out.X = std::move(features);
    if (!out.feature_names.empty())
      out.feature_names.erase(out.feature_names.begin() + static_cast<std::ptrdiff_t>(c));
    source = config_.path + " weights_column " + config_.weights_column;
  } else if (!config_.weights.empty()) {
    std::vector<double> all = read_weights_file(config_.weights);
    if (all.size() != total) {
      throw InputError(config_.weights + ": " + std::to_string(all.size()) +
                       " sample weights, but " + config_.path + " has " + std::to_string(total) +
                       " rows; need one weight per row");
    }
    out.weights.assign(all.begin() + static_cast<std::ptrdiff_t>(begin),
                       all.begin() + static_cast<std::ptrdiff_t>(begin + n));
    source = config_.weights;
  } else {
    return;
  }
  // A rank's block may be all zero; the fit checks the total over every rank.
  const auto issues = row_weight_issues(out.weights, n, source, n == total);
  if (!issues.empty()) throw InputError(issues.front());
  out.description += " (sample weights: " + source + ")";
}

template <class S>
LoadedData File<S>::load(std::uint64_t) {
  check_dataset_key();
  LoadedData out;
  out.X = is_hdf5()                       ? read_hdf5(config_.path, config_.dataset)
          : config_.format == Format::csv ? read_csv(config_.path)
          : config_.format == Format::npy ? read_npy(config_.path)
                                          : read_matrix(config_.path);
  out.description = config_.path;
  out.feature_names = feature_names(out.X.cols);
  attach_weights(out, 0, out.X.rows);
  return out;
}

template <class S>
LoadedData File<S>::load_rows(std::uint64_t model_seed, int rank, int ranks,
                              std::size_t& total_rows) {
  const RowSelector select = [&](std::size_t total) {
    const parallel::RowBlock b = parallel::block_of(total, rank, ranks);
    return RowRange{b.begin, b.end};
  };
  check_dataset_key();
  const bool hdf5 = is_hdf5();
  if (!is_npy() && !is_csv() && !hdf5)
    return Dataset<S>::load_rows(model_seed, rank, ranks, total_rows);
  LoadedData out;
  out.X = hdf5       ? read_hdf5_rows(config_.path, config_.dataset, select, total_rows)
          : is_npy() ? read_npy_rows(config_.path, select, total_rows)
                     : read_csv_rows(config_.path, select, total_rows);
  out.description = config_.path;
  out.feature_names = feature_names(out.X.cols);
  attach_weights(out, parallel::block_of(total_rows, rank, ranks).begin, total_rows);
  return out;
}

template class File<float>;
template class File<double>;

}  // namespace kaa::strategies
