#pragma once
#include <filesystem>
#include <functional>
#include <ostream>

namespace kaa {

/// Writes a file through a temporary sibling that is renamed onto `path` only once complete, so
/// an interrupted write never leaves a file that looks finished. Throws kaa::Error naming the path
/// and the system's reason; an exception from `writer` propagates as is. Either way the temporary
/// is removed and an existing file at `path` is left untouched.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& writer);

}  // namespace kaa
