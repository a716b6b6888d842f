#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace kaa {

/// Any failure kaa reports to the user. what() is one line naming the culprit.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad input data: unreadable file, ragged CSV row, non-numeric cell, NaN, ...
class InputError : public Error {
 public:
  using Error::Error;
};

/// Invalid configuration. Holds every problem found, one per entry, each of the form
/// "<source>: <json pointer>: <what is wrong>".
class ConfigError : public Error {
 public:
  explicit ConfigError(std::vector<std::string> issues);
  const std::vector<std::string>& issues() const { return issues_; }

 private:
  std::vector<std::string> issues_;
};

/// A fit that could not produce a trustworthy result (non-finite loss, singular system, ...).
class NumericalError : public Error {
 public:
  using Error::Error;
};

/// Every restart of a fit (model.n_init > 1) diverged: there is no result to keep, and no run
/// folder is written. `kaa fit` exits with the divergence code (3).
class DivergedError : public NumericalError {
 public:
  using NumericalError::NumericalError;
};

}  // namespace kaa
