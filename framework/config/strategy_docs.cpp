#include "framework/config/strategy_docs.hpp"

#include <sstream>

#include "framework/config/config.hpp"

namespace kaa {

namespace {

std::string default_text(const ParamSpec& p) {
  if (p.required) return "(required)";
  return p.default_value.dump();
}

/// A nested strategy's range is the blocks its child must apply to.
std::string range_text(const ParamSpec& p) {
  if (p.type == ParamType::strategy)
    return p.child_blocks == 0 ? "" : "applies to " + block_names(p.child_blocks);
  return p.range_text();
}

void table(std::ostringstream& os, const Schema& schema, bool markdown) {
  if (schema.params().empty()) {
    os << (markdown ? "No parameters.\n\n" : "    (no parameters)\n");
    return;
  }
  if (markdown)
    os << "| parameter | type | default | range | description |\n|---|---|---|---|---|\n";
  for (const auto& p : schema.params()) {
    if (markdown) {
      os << "| `" << p.name << "` | " << p.type_text() << " | `" << default_text(p) << "` | "
         << range_text(p) << " | " << p.doc << " |\n";
    } else {
      os << "    " << p.name << " (" << p.type_text() << ", default " << default_text(p);
      if (!range_text(p).empty()) os << ", " << range_text(p);
      os << "): " << p.doc << "\n";
    }
  }
  if (markdown) os << "\n";
}

}  // namespace

std::string strategy_reference(const Registry& registry, bool markdown, std::optional<Kind> only) {
  std::ostringstream os;
  if (!only) {
    os << (markdown ? "### model\n\nThe `model` section.\n\n" : "model (section)\n");
    table(os, model_schema(), markdown);
    os << (markdown
               ? "### checkpoint\n\nThe optional `checkpoint` section: when a long fit saves its "
                 "state for `kaa fit --resume`.\n\n"
               : "checkpoint (section)\n");
    table(os, checkpoint_schema(), markdown);
  }
  for (Kind kind : all_kinds()) {
    if (only && kind != *only) continue;
    for (const std::string& name : registry.names(kind)) {
      const StrategyInfo* info = registry.find(kind, name);
      if (markdown) {
        os << "### " << to_string(kind) << " `" << name << "`\n\n" << info->summary << ".";
        const char* label = kind == Kind::projector   ? " Applies to: "
                            : kind == Kind::optimizer ? " Updates: "
                            : kind == Kind::loss      ? " Reads: "
                                                      : nullptr;
        if (label != nullptr && info->blocks != 0) {
          os << label << block_names(info->blocks) << ".";
        }
        if (info->distributed) os << " Runs distributed (MPI ranks).";
        if (info->weighted) os << " Honours sample weights.";
        os << "\n\n";
      } else {
        os << to_string(kind) << " " << name << (info->distributed ? " [distributed]" : "") << ": "
           << info->summary << "\n";
      }
      table(os, info->schema, markdown);
    }
  }
  return os.str();
}

}  // namespace kaa
