#include "framework/restarts.hpp"

#include <cmath>
#include <limits>

#include "framework/io/atomic_file.hpp"

namespace kaa {

std::uint64_t restart_seed(std::uint64_t model_seed, std::size_t restart) {
  if (restart == 0) return model_seed;
  // SplitMix64's finaliser (Steele, Lea & Flood 2014) over the seed and the restart index.
  std::uint64_t z = model_seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(restart);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z >> 11;
}

std::optional<std::size_t> chosen_restart(const std::vector<RestartRecord>& records) {
  std::optional<std::size_t> best;
  for (std::size_t r = 0; r < records.size(); ++r) {
    const RestartRecord& rec = records[r];
    if (rec.diverged || !std::isfinite(rec.final_loss)) continue;
    if (!best || rec.final_loss < records[*best].final_loss) best = r;
  }
  return best;
}

namespace {

nlohmann::json loss_or_null(const RestartRecord& r) {
  return r.diverged ? nlohmann::json(nullptr) : nlohmann::json(r.final_loss);
}

}  // namespace

nlohmann::json restarts_summary(const std::vector<RestartRecord>& records, std::size_t chosen) {
  nlohmann::json losses = nlohmann::json::array(), seeds = nlohmann::json::array(),
                 updates = nlohmann::json::array(), status = nlohmann::json::array();
  std::size_t diverged = 0;
  for (const RestartRecord& r : records) {
    losses.push_back(loss_or_null(r));
    seeds.push_back(r.seed);
    updates.push_back(r.updates);
    status.push_back(r.diverged ? "diverged" : "ok");
    diverged += r.diverged ? 1 : 0;
  }
  return {
      {"n_init", records.size()}, {"chosen", chosen},       {"chosen_seed", records[chosen].seed},
      {"diverged", diverged},     {"final_losses", losses}, {"seeds", seeds},
      {"updates", updates},       {"status", status}};
}

nlohmann::json to_json(const RestartRecord& r) {
  return {{"index", r.index},
          {"seed", r.seed},
          {"final_loss", loss_or_null(r)},
          {"updates", r.updates},
          {"seconds", r.seconds},
          {"diverged", r.diverged},
          {"stop_reason", r.stop_reason}};
}

RestartRecord restart_record_of(const nlohmann::json& j) {
  RestartRecord r;
  r.index = j.at("index").get<std::size_t>();
  r.seed = j.at("seed").get<std::uint64_t>();
  r.final_loss = j.at("final_loss").is_null() ? std::numeric_limits<double>::quiet_NaN()
                                              : j.at("final_loss").get<double>();
  r.updates = j.at("updates").get<std::size_t>();
  r.seconds = j.at("seconds").get<double>();
  r.diverged = j.at("diverged").get<bool>();
  r.stop_reason = j.at("stop_reason").get<std::string>();
  return r;
}

void write_restarts_csv(const std::filesystem::path& path,
                        const std::vector<RestartRecord>& records, std::size_t chosen) {
  write_file_atomically(path, [&](std::ostream& os) {
    os << "restart,seed,final_loss,updates,seconds,status,chosen,stop_reason\n";
    os.precision(17);
    for (const RestartRecord& r : records) {
      os << r.index << ',' << r.seed << ',';
      if (!r.diverged) os << r.final_loss;
      // The stop reason is free text: quoted, with quotes doubled (RFC 4180).
      std::string reason;
      for (char c : r.stop_reason) reason += c == '"' ? std::string("\"\"") : std::string(1, c);
      os << ',' << r.updates << ',' << r.seconds << ',' << (r.diverged ? "diverged" : "ok") << ','
         << (r.index == chosen ? 1 : 0) << ",\"" << reason << "\"\n";
    }
  });
}

std::string all_restarts_diverged_message(const std::vector<RestartRecord>& records) {
  std::string text =
      "every one of the " + std::to_string(records.size()) + " restarts (model.n_init) diverged:";
  for (const RestartRecord& r : records) {
    text += (r.index ? "; " : " ") + std::string("restart ") + std::to_string(r.index) + " (seed " +
            std::to_string(r.seed) + "): " + r.stop_reason;
  }
  return text + "; no run folder written";
}

}  // namespace kaa
