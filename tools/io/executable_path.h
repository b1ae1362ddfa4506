// Finding a program the host tools run (the broker, the cross compiler, QEMU).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace mote::tools {

// The first executable file `name` in a folder of $PATH, or nothing.
std::optional<std::filesystem::path> find_on_path(const std::string& name);

}  // namespace mote::tools
