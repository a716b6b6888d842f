#include "strategies/datasets/file.hpp"

#include <cctype>
#include <filesystem>

#include "framework/io/matrix_io.hpp"

namespace kaa::strategies {

template <class S>
Schema File<S>::schema() {
  Schema s;
  s.string("path", "").required().doc("path of the data file");
  s.choice("format", "auto", {"auto", "csv", "npy"}).doc("file format; auto = by extension");
  return s;
}

template <class S>
File<S>::File(const nlohmann::json& p)
    : path_(p.at("path").get<std::string>()), format_(p.at("format").get<std::string>()) {}

template <class S>
LoadedData File<S>::load(std::uint64_t) {
  LoadedData out;
  out.X = format_ == "csv"   ? read_csv(path_)
          : format_ == "npy" ? read_npy(path_)
                             : read_matrix(path_);
  out.description = path_;
  return out;
}

template <class S>
LoadedData File<S>::load_rows(std::uint64_t model_seed, int rank, int ranks,
                              std::size_t& total_rows) {
  const RowSelector select = [&](std::size_t total) {
    const parallel::RowBlock b = parallel::block_of(total, rank, ranks);
    return RowRange{b.begin, b.end};
  };
  std::string ext = std::filesystem::path(path_).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool npy = format_ == "npy" || (format_ == "auto" && ext == ".npy");
  const bool csv =
      format_ == "csv" ||
      (format_ == "auto" && (ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".dat"));
  if (!npy && !csv) return Dataset<S>::load_rows(model_seed, rank, ranks, total_rows);
  LoadedData out;
  out.X = npy ? read_npy_rows(path_, select, total_rows) : read_csv_rows(path_, select, total_rows);
  out.description = path_;
  return out;
}

template class File<float>;
template class File<double>;

}  // namespace kaa::strategies
