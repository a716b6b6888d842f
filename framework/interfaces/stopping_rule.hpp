#pragma once
#include <optional>
#include <string>
#include <vector>

namespace kaa {

/// What a stopping rule sees. `losses` holds the objective evaluated before each update, so
/// after update t (1-based count `updates`), losses.size() == updates.
struct FitProgress {
  std::size_t updates = 0;
  const std::vector<double>* losses = nullptr;
  double seconds = 0.0;
};

/// Decides whether the fit stops. before_update() sees the loss just evaluated (the parameters
/// are not yet moved); after_update() sees the state after the step. A returned string is the
/// stop reason recorded in the results. Stateless rules only: no side effects on the fit; a rule
/// may cache what it derives from the history, and forgets it in begin_fit().
template <class S>
class StoppingRule {
 public:
  virtual ~StoppingRule() = default;
  /// Called at the start of every fit (also a resumed one).
  virtual void begin_fit() {}
  virtual std::optional<std::string> before_update(const FitProgress&) { return std::nullopt; }
  virtual std::optional<std::string> after_update(const FitProgress&) { return std::nullopt; }
  /// True when the stop means the result is not trustworthy (divergence).
  virtual bool is_failure() const { return false; }
};

}  // namespace kaa
