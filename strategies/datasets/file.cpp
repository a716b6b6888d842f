#include "strategies/datasets/file.hpp"

#include <cctype>
#include <filesystem>

#include "framework/io/matrix_io.hpp"

namespace kaa::strategies {

template <class S>
auto File<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.string("path", &Params::path).required().doc("path of the data file");
  s.choice("format", &Params::format,
           {{"auto", Format::by_extension}, {"csv", Format::csv}, {"npy", Format::npy}})
      .doc("file format; auto = by extension");
  return s;
}

template <class S>
File<S>::File(const Params& p) : config_(p) {}

template <class S>
LoadedData File<S>::load(std::uint64_t) {
  LoadedData out;
  out.X = config_.format == Format::csv   ? read_csv(config_.path)
          : config_.format == Format::npy ? read_npy(config_.path)
                                          : read_matrix(config_.path);
  out.description = config_.path;
  return out;
}

template <class S>
LoadedData File<S>::load_rows(std::uint64_t model_seed, int rank, int ranks,
                              std::size_t& total_rows) {
  const RowSelector select = [&](std::size_t total) {
    const parallel::RowBlock b = parallel::block_of(total, rank, ranks);
    return RowRange{b.begin, b.end};
  };
  std::string ext = std::filesystem::path(config_.path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool npy =
      config_.format == Format::npy || (config_.format == Format::by_extension && ext == ".npy");
  const bool csv = config_.format == Format::csv ||
                   (config_.format == Format::by_extension &&
                    (ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".dat"));
  if (!npy && !csv) return Dataset<S>::load_rows(model_seed, rank, ranks, total_rows);
  LoadedData out;
  out.X = npy ? read_npy_rows(config_.path, select, total_rows)
              : read_csv_rows(config_.path, select, total_rows);
  out.description = config_.path;
  return out;
}

template class File<float>;
template class File<double>;

}  // namespace kaa::strategies
