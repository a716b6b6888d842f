#include "strategies/datasets/file.hpp"

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

template class File<float>;
template class File<double>;

}  // namespace kaa::strategies
