#include "framework/logging.hpp"

#include <boost/log/core.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/sources/global_logger_storage.hpp>
#include <boost/log/sources/severity_logger.hpp>
#include <boost/log/support/date_time.hpp>
#include <boost/log/trivial.hpp>
#include <boost/log/utility/setup/common_attributes.hpp>
#include <boost/log/utility/setup/console.hpp>
#include <boost/log/utility/setup/file.hpp>
#include <iostream>

namespace kaa::logging {

namespace bl = boost::log;
using severity = bl::trivial::severity_level;

namespace {
severity to_severity(Level level) {
  switch (level) {
    case Level::debug:
      return severity::debug;
    case Level::info:
      return severity::info;
    case Level::warning:
      return severity::warning;
    case Level::error:
      return severity::error;
  }
  return severity::info;
}
}  // namespace

void init_console(Level level) {
  bl::add_common_attributes();
  auto sink = bl::add_console_log(std::clog, bl::keywords::format = "kaa: %Message%");
  sink->set_filter(bl::trivial::severity >= to_severity(level));
}

void debug(const std::string& m) { BOOST_LOG_TRIVIAL(debug) << m; }
void info(const std::string& m) { BOOST_LOG_TRIVIAL(info) << m; }
void warning(const std::string& m) { BOOST_LOG_TRIVIAL(warning) << "warning: " << m; }
void error(const std::string& m) { BOOST_LOG_TRIVIAL(error) << "error: " << m; }

struct FileCopy::Impl {
  boost::shared_ptr<bl::sinks::synchronous_sink<bl::sinks::text_file_backend>> sink;
};

FileCopy::FileCopy(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->sink =
      bl::add_file_log(bl::keywords::file_name = path.string(), bl::keywords::auto_flush = true,
                       bl::keywords::format =
                           (bl::expressions::stream
                            << bl::expressions::format_date_time<boost::posix_time::ptime>(
                                   "TimeStamp", "%Y-%m-%d %H:%M:%S.%f")
                            << " [" << bl::trivial::severity << "] " << bl::expressions::smessage));
}

FileCopy::~FileCopy() {
  bl::core::get()->remove_sink(impl_->sink);
  impl_->sink->flush();
  impl_->sink.reset();
}

}  // namespace kaa::logging
