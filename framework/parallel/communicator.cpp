#include "framework/parallel/communicator.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#if KAA_HAVE_MPI
#include <mpi.h>
#endif

namespace kaa::parallel {

namespace {
std::uint64_t g_payload = 0;
[[maybe_unused]] void count(std::size_t values, std::size_t bytes_each = sizeof(double)) {
  g_payload += values * bytes_each;
}
}  // namespace

std::uint64_t Communicator::payload_bytes() const { return g_payload; }

#if KAA_HAVE_MPI

namespace {

bool active() {
  int initialised = 0, finalised = 0;
  MPI_Initialized(&initialised);
  MPI_Finalized(&finalised);
  return initialised && !finalised;
}

// Counts beyond INT_MAX would need derived types; k x d and k x m x d buffers never get there.
int as_count(std::size_t count) {
  if (count > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error("MPI message of " + std::to_string(count) + " values exceeds INT_MAX");
  return static_cast<int>(count);
}

}  // namespace

bool built_with_mpi() { return true; }

int Communicator::rank() const {
  if (!active()) return 0;
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int Communicator::size() const {
  if (!active()) return 1;
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

void Communicator::allreduce_sum(double* data, std::size_t count) const {
  if (size() == 1 || count == 0) return;
  parallel::count(count);
  const int c = as_count(count);
  if (rank() == 0) {
    MPI_Reduce(MPI_IN_PLACE, data, c, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  } else {
    MPI_Reduce(data, nullptr, c, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  }
  MPI_Bcast(data, c, MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

void Communicator::allreduce_max(double* data, std::size_t count) const {
  if (size() == 1 || count == 0) return;
  parallel::count(count);
  MPI_Allreduce(MPI_IN_PLACE, data, as_count(count), MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
}

void Communicator::broadcast(double* data, std::size_t count, int root) const {
  if (size() == 1 || count == 0) return;
  parallel::count(count);
  MPI_Bcast(data, as_count(count), MPI_DOUBLE, root, MPI_COMM_WORLD);
}

void Communicator::broadcast(std::string& text, int root) const {
  if (size() == 1) return;
  unsigned long long length = text.size();
  MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, root, MPI_COMM_WORLD);
  text.resize(length);
  if (length > 0) MPI_Bcast(text.data(), as_count(length), MPI_CHAR, root, MPI_COMM_WORLD);
}

std::vector<double> Communicator::allgather(const double* data, std::size_t count) const {
  std::vector<double> out(count * static_cast<std::size_t>(size()));
  if (size() == 1) {
    if (count > 0) std::memcpy(out.data(), data, count * sizeof(double));
    return out;
  }
  parallel::count(count);
  const int c = as_count(count);
  MPI_Allgather(data, c, MPI_DOUBLE, out.data(), c, MPI_DOUBLE, MPI_COMM_WORLD);
  return out;
}

std::vector<double> Communicator::gather(const std::vector<double>& values, int root) const {
  if (size() == 1) return values;
  const int ranks = size();
  const int mine = as_count(values.size());
  parallel::count(values.size());
  std::vector<int> counts(ranks, 0), offsets(ranks, 0);
  MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, root, MPI_COMM_WORLD);
  std::vector<double> out;
  if (rank() == root) {
    std::size_t total = 0;
    for (int r = 0; r < ranks; ++r) {
      offsets[r] = as_count(total);
      total += static_cast<std::size_t>(counts[r]);
    }
    as_count(total);
    out.resize(total);
  }
  MPI_Gatherv(values.data(), mine, MPI_DOUBLE, out.data(), counts.data(), offsets.data(),
              MPI_DOUBLE, root, MPI_COMM_WORLD);
  return out;
}

void Communicator::barrier() const {
  if (size() > 1) MPI_Barrier(MPI_COMM_WORLD);
}

void Communicator::send(const std::vector<double>& values, int dest, int tag) const {
  MPI_Send(values.data(), as_count(values.size()), MPI_DOUBLE, dest, tag, MPI_COMM_WORLD);
}

bool Communicator::probe(int tag, int& source) const {
  if (size() == 1) return false;
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &flag, &status);
  if (flag) source = status.MPI_SOURCE;
  return flag != 0;
}

std::vector<double> Communicator::receive(int source, int tag) const {
  MPI_Status status;
  MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_DOUBLE, &count);
  std::vector<double> out(static_cast<std::size_t>(count));
  MPI_Recv(out.data(), count, MPI_DOUBLE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return out;
}

void Communicator::abort(int code) const {
  if (active()) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

namespace {
// Launchers set these in every rank's environment (Open MPI, PMI/PMIx as used by MPICH, Slurm's
// srun). Without one the process is a single rank and skips MPI_Init (singleton start-up costs
// time and may warn about missing network interfaces); KAA_MPI_INIT=1 forces it, KAA_MPI_INIT=0
// prevents it (the runs a sweep's rank starts inherit its launcher's variables).
bool launched_by_mpi() {
  const char* force = std::getenv("KAA_MPI_INIT");
  if (force != nullptr && std::string(force) == "0") return false;  // a sweep's child run
  if (force != nullptr && std::string(force) == "1") return true;
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}
}  // namespace

Session::Session(int& argc, char**& argv) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised && launched_by_mpi()) MPI_Init(&argc, &argv);
}

Session::~Session() {
  if (active()) MPI_Finalize();
}

#else  // a single rank

bool built_with_mpi() { return false; }
int Communicator::rank() const { return 0; }
int Communicator::size() const { return 1; }
void Communicator::allreduce_sum(double*, std::size_t) const {}
void Communicator::allreduce_max(double*, std::size_t) const {}
void Communicator::broadcast(double*, std::size_t, int) const {}
void Communicator::broadcast(std::string&, int) const {}
std::vector<double> Communicator::allgather(const double* data, std::size_t count) const {
  return std::vector<double>(data, data + count);
}
std::vector<double> Communicator::gather(const std::vector<double>& values, int) const {
  return values;
}
void Communicator::barrier() const {}
void Communicator::send(const std::vector<double>&, int, int) const {
  throw Error("point-to-point messages need a kaa built with MPI");
}
bool Communicator::probe(int, int&) const { return false; }
std::vector<double> Communicator::receive(int, int) const {
  throw Error("point-to-point messages need a kaa built with MPI");
}
void Communicator::abort(int code) const { std::exit(code); }
Session::Session(int&, char**&) {
  // Started by a launcher as one of several ranks, each copy would fit all the data and write the
  // same run folder: refuse instead.
  const char* child = std::getenv("KAA_MPI_INIT");
  if (child != nullptr && std::string(child) == "0") return;  // a sweep's child run
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && std::atol(value) > 1) {
      std::fprintf(stderr,
                   "kaa: error: started as one of %s MPI ranks, but this kaa was built without MPI "
                   "(configure with -DKAA_MPI=ON)\n",
                   value);
      std::exit(2);
    }
  }
}
Session::~Session() = default;

#endif

const Communicator& world() {
  static const Communicator comm;
  return comm;
}

void agree(const std::function<void()>& step) {
  const Communicator& comm = world();
  if (comm.size() == 1) {  // nothing to agree on: the error keeps its type
    step();
    return;
  }
  std::string message;
  int kind = -1;  // -1: no failure
  try {
    step();
  } catch (const AgreedError& e) {
    message = e.what();
    kind = e.kind();
  } catch (const ConfigError& e) {
    message = e.what();
    kind = 1;
  } catch (const InputError& e) {
    message = e.what();
    kind = 2;
  } catch (const std::exception& e) {
    message = e.what();
    kind = 0;
  }
  // The lowest failing rank speaks for all: -rank is maximal there.
  double flag = kind >= 0 ? -static_cast<double>(comm.rank()) : -1e300;
  comm.allreduce_max(&flag, 1);
  if (flag == -1e300) return;
  const int root = static_cast<int>(-flag);
  double kind_value = kind;
  comm.broadcast(&kind_value, 1, root);
  comm.broadcast(message, root);
  if (root != 0) message = "rank " + std::to_string(root) + ": " + message;
  throw AgreedError(message, static_cast<int>(kind_value));
}

}  // namespace kaa::parallel
