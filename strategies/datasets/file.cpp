#include "strategies/datasets/file.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>

#include "framework/error.hpp"
#include "framework/io/matrix_io.hpp"

namespace kaa::strategies {

template <class S>
auto File<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.string("path", &Params::path).required().doc("path of the data file");
  s.choice("format", &Params::format,
           {{"auto", Format::by_extension}, {"csv", Format::csv}, {"npy", Format::npy}})
      .doc("file format; auto = by extension");
  s.string("feature_names", &Params::feature_names)
      .doc("text file with one column name per line (default: a CSV file's header, if any)");
  return s;
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
std::vector<std::string> File<S>::feature_names(std::size_t columns) const {
  std::vector<std::string> names;
  std::string source;
  if (!config_.feature_names.empty()) {
    names = read_names_file(config_.feature_names);
    source = config_.feature_names;
  } else if (is_csv()) {
    names = read_csv_header(config_.path);
    source = config_.path + "'s header";
  }
  if (!names.empty() && names.size() != columns) {
    throw InputError(source + ": " + std::to_string(names.size()) + " feature names for " +
                     std::to_string(columns) + " columns of " + config_.path);
  }
  return names;
}

template <class S>
LoadedData File<S>::load(std::uint64_t) {
  LoadedData out;
  out.X = config_.format == Format::csv   ? read_csv(config_.path)
          : config_.format == Format::npy ? read_npy(config_.path)
                                          : read_matrix(config_.path);
  out.description = config_.path;
  out.feature_names = feature_names(out.X.cols);
  return out;
}

template <class S>
LoadedData File<S>::load_rows(std::uint64_t model_seed, int rank, int ranks,
                              std::size_t& total_rows) {
  const RowSelector select = [&](std::size_t total) {
    const parallel::RowBlock b = parallel::block_of(total, rank, ranks);
    return RowRange{b.begin, b.end};
  };
  if (!is_npy() && !is_csv()) return Dataset<S>::load_rows(model_seed, rank, ranks, total_rows);
  LoadedData out;
  out.X = is_npy() ? read_npy_rows(config_.path, select, total_rows)
                   : read_csv_rows(config_.path, select, total_rows);
  out.description = config_.path;
  out.feature_names = feature_names(out.X.cols);
  return out;
}

template class File<float>;
template class File<double>;

}  // namespace kaa::strategies
