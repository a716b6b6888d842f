#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "framework/error.hpp"

namespace kaa::parallel {

/// True when this binary was built with MPI (CMake option KAA_MPI).
bool built_with_mpi();

/// The ranks of one run. Every collective must be called by every rank in the same order. Built
/// without MPI, or when MPI was not initialised, it is a single rank and every collective is a copy
/// or nothing.
class Communicator {
 public:
  int rank() const;
  int size() const;

  /// In-place sum over ranks. Reduced on rank 0 and broadcast, not MPI_Allreduce: the standard
  /// does not promise every rank the same rounding, and replicated parameters must stay bitwise
  /// equal on all ranks (identical Adam updates, identical stopping decisions).
  void allreduce_sum(double* data, std::size_t count) const;
  /// In-place maximum over ranks (exact, so MPI_Allreduce is safe).
  void allreduce_max(double* data, std::size_t count) const;
  void broadcast(double* data, std::size_t count, int root) const;
  void broadcast(std::string& text, int root) const;
  /// Every rank's `count` values, concatenated in rank order, on every rank.
  std::vector<double> allgather(const double* data, std::size_t count) const;
  /// Every rank's values (counts may differ), concatenated in rank order, on `root` only (other
  /// ranks get an empty vector).
  std::vector<double> gather(const std::vector<double>& values, int root) const;
  void barrier() const;
  /// Point to point (the sweep's work queue). Needs MPI (throws kaa::Error without it).
  void send(const std::vector<double>& values, int dest, int tag) const;
  /// Whether a message with `tag` is waiting (from any rank, whose number goes to `source`).
  bool probe(int tag, int& source) const;
  /// Blocks until a message with `tag` from `source` arrives.
  std::vector<double> receive(int source, int tag) const;
  /// Bytes this rank has put into collectives so far (payloads of sums, maxima, broadcasts,
  /// gathers; 0 on one rank): what a fit's communication volume is measured by.
  std::uint64_t payload_bytes() const;
  /// Ends every rank at once (MPI_Abort); used when one rank fails where the others may already
  /// wait in a collective, so that nothing hangs.
  [[noreturn]] void abort(int code) const;
};

/// MPI_COMM_WORLD (or the single rank).
const Communicator& world();

/// MPI for the life of the process: initialised on construction when the binary has MPI, finalised
/// on destruction. Without MPI it does nothing.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

/// An error every rank raised with the same message (see agree): printed once, by rank 0, and every
/// rank exits normally.
class AgreedError : public Error {
 public:
  AgreedError(const std::string& message, int kind) : Error(message), kind_(kind) {}
  /// 0 = Error, 1 = ConfigError, 2 = InputError: the exit code the single-rank run would give.
  int kind() const { return kind_; }

 private:
  int kind_;
};

/// Runs `step` on every rank; if it throws on any rank, every rank throws the same AgreedError
/// (the message of the lowest failing rank). Collective: call on every rank, outside other
/// collectives, so that a rank's local failure (e.g. an unreadable file) cannot leave the others
/// waiting.
void agree(const std::function<void()>& step);

}  // namespace kaa::parallel
