#include "framework/types.hpp"

namespace kaa {

const char* to_string(Block block) {
  switch (block) {
    case Block::weights:
      return "weights";
    case Block::archetypes:
      return "archetypes";
    case Block::mixing:
      return "mixing";
    case Block::column_mixing:
      return "column_mixing";
    case Block::column_weights:
      return "column_weights";
  }
  return "?";
}

}  // namespace kaa
