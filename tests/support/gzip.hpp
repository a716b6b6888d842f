#pragma once
#include <sstream>
#include <string>

#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>

namespace kaa_test {

/// plain, gzip-compressed: the tests' .gz inputs.
inline std::string gzip(const std::string& plain) {
  std::istringstream in(plain);
  boost::iostreams::filtering_streambuf<boost::iostreams::input> gz;
  gz.push(boost::iostreams::gzip_compressor());
  gz.push(in);
  std::ostringstream out;
  boost::iostreams::copy(gz, out);
  return out.str();
}

}  // namespace kaa_test
