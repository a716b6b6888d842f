#include "framework/config/duplicate_keys.hpp"

#include <set>

#include "framework/config/schema.hpp"

namespace kaa {

namespace {

/// The container being parsed: its pointer, and where the next child goes.
struct Frame {
  std::string pointer;
  bool is_array = false;
  std::size_t next_index = 0;
  std::string key;
  std::set<std::string> keys;
};

class DuplicateKeyTracker {
 public:
  explicit DuplicateKeyTracker(std::vector<std::string>& duplicates) : duplicates_(duplicates) {}

  bool on_event(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        frames_.push_back(Frame{child_pointer(), event == Event::array_start, 0, {}, {}});
        break;
      case Event::key: {
        Frame& frame = frames_.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second)
          duplicates_.push_back(pointer_append(frame.pointer, frame.key));
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        advance_array();
        break;
      case Event::value:
        advance_array();
        break;
    }
    return true;
  }

 private:
  std::string child_pointer() const {
    if (frames_.empty()) return "";
    const Frame& parent = frames_.back();
    return parent.is_array ? pointer_append(parent.pointer, parent.next_index)
                           : pointer_append(parent.pointer, parent.key);
  }
  void advance_array() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().next_index;
  }

  std::vector<std::string>& duplicates_;
  std::vector<Frame> frames_;
};

}  // namespace

nlohmann::json parse_noting_duplicate_keys(const std::string& text,
                                           std::vector<std::string>& duplicates) {
  DuplicateKeyTracker tracker(duplicates);
  return nlohmann::json::parse(
      text, [&tracker](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        return tracker.on_event(event, parsed);
      });
}

}  // namespace kaa
