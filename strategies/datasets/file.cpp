#include "strategies/datasets/file.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>

#include "framework/error.hpp"
#include "framework/io/matrix_io.hpp"

namespace kaa::strategies {

template <class S>
Schema File<S>::schema() {
  Schema s;
  s.string("path", "").required().doc("path of the data file");
  s.choice("format", "auto", {"auto", "csv", "npy"}).doc("file format; auto = by extension");
  s.string("feature_names", "")
      .doc("text file with one column name per line (default: a CSV file's header, if any)");
  return s;
}

template <class S>
File<S>::File(const nlohmann::json& p)
    : path_(p.at("path").get<std::string>()),
      format_(p.at("format").get<std::string>()),
      names_path_(p.at("feature_names").get<std::string>()) {}

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
  return format_ == "npy" || (format_ == "auto" && lower_extension(path_) == ".npy");
}

template <class S>
bool File<S>::is_csv() const {
  const std::string ext = lower_extension(path_);
  return format_ == "csv" ||
         (format_ == "auto" && (ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".dat"));
}

template <class S>
std::vector<std::string> File<S>::feature_names(std::size_t columns) const {
  std::vector<std::string> names;
  std::string source;
  if (!names_path_.empty()) {
    names = read_names_file(names_path_);
    source = names_path_;
  } else if (is_csv()) {
    names = read_csv_header(path_);
    source = path_ + "'s header";
  }
  if (!names.empty() && names.size() != columns) {
    throw InputError(source + ": " + std::to_string(names.size()) + " feature names for " +
                     std::to_string(columns) + " columns of " + path_);
  }
  return names;
}

template <class S>
LoadedData File<S>::load(std::uint64_t) {
  LoadedData out;
  out.X = format_ == "csv"   ? read_csv(path_)
          : format_ == "npy" ? read_npy(path_)
                             : read_matrix(path_);
  out.description = path_;
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
  out.X = is_npy() ? read_npy_rows(path_, select, total_rows)
                   : read_csv_rows(path_, select, total_rows);
  out.description = path_;
  out.feature_names = feature_names(out.X.cols);
  return out;
}

template class File<float>;
template class File<double>;

}  // namespace kaa::strategies
