#pragma once
#include <filesystem>
#include <string>

namespace kaa::sweep {

/// scripts/kaa_plots.py: $KAA_PLOTS_SCRIPT if set, else beside the executable's folder
/// (<repo>/build/kaa -> <repo>/scripts), else under `source_dir` (the checkout kaa was built
/// from). Throws kaa::Error naming the places looked at when none exists.
std::filesystem::path find_plot_script(const std::filesystem::path& executable,
                                       const std::filesystem::path& source_dir);

/// Runs the plot script on a sweep folder with $KAA_PYTHON, else /usr/bin/python3 (Debian's
/// interpreter, which sees python3-matplotlib even when another python3 is first on PATH), else
/// python3 from PATH. Its output goes to ours. Throws kaa::Error when it fails.
void make_plots(const std::filesystem::path& folder, const std::filesystem::path& script);

}  // namespace kaa::sweep
