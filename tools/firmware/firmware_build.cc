#include "tools/firmware/firmware_build.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <vector>

#include "tools/firmware/kernel_list.h"

namespace mote::tools {
namespace {

std::string shell_quote(const std::string& s) {
  std::string quoted = "'";
  for (char c : s) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// Runs `arguments` through the shell with stderr joined to stdout; returns the exit status and
// everything printed.
FirmwareRun run_command(const std::vector<std::string>& arguments) {
  std::string command;
  for (const auto& a : arguments) command += shell_quote(a) + " ";
  command += "2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + arguments.front());
  FirmwareRun run;
  std::array<char, 4096> buffer;
  for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) {
    run.output.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t at = text.size();
  for (std::size_t n = 0; at > 0 && n <= lines; ++n) {
    at = text.rfind('\n', at - 1);
    if (at == std::string::npos) return text;
  }
  return text.substr(at + 1);
}

void check(const FirmwareRun& run, const std::string& what) {
  if (run.exit_code != 0) {
    throw std::runtime_error(what + " failed (exit code " + std::to_string(run.exit_code) + "):\n" +
                             tail(run.output, 30));
  }
}

}  // namespace

FirmwareImage build_firmware(const std::filesystem::path& project_dir,
                             const std::filesystem::path& build_dir, FirmwareTarget target) {
  // Configured once; an interrupted configure leaves no build.ninja and is run again.
  if (!std::filesystem::exists(build_dir / "build.ninja")) {
    check(run_command({"cmake", "-S", project_dir.string(), "-B", build_dir.string(), "-G", "Ninja",
                       "-DCMAKE_BUILD_TYPE=Release"}),
          "configuring the firmware project");
  }
  check(run_command({"cmake", "--build", build_dir.string(), "--target", kFirmwareExecutable}),
        "building the firmware");
  FirmwareImage image;
  if (target == FirmwareTarget::kHost) {
    image.image = build_dir / kFirmwareExecutable;
  } else {
    image.image = build_dir / (std::string(kFirmwareExecutable) + ".elf");
    image.map_file = build_dir / (std::string(kFirmwareExecutable) + ".elf.map");
  }
  if (!std::filesystem::exists(image.image)) {
    throw std::runtime_error("the build wrote no " + image.image.string());
  }
  return image;
}

FirmwareRun run_firmware(const FirmwareImage& image, FirmwareTarget target,
                         const std::filesystem::path& mote_source_dir) {
  if (target == FirmwareTarget::kHost) return run_command({image.image.string()});
  return run_command({(mote_source_dir / "targets/cortex-m/run-qemu.sh").string(), "--machine",
                      "mps2-an386", image.image.string()});
}

std::filesystem::path firmware_cache_dir(FirmwareTarget target,
                                         const std::filesystem::path& mote_source_dir) {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    base = std::filesystem::path(home) / ".cache";
  } else {
    base = std::filesystem::temp_directory_path();
  }
  char hash[17];
  std::snprintf(hash, sizeof(hash), "%016zx",
                std::hash<std::string>{}(std::filesystem::absolute(mote_source_dir).string()));
  return base / "mote" /
         (std::string("firmware-") + firmware_target_name(target) + "-" + std::string(hash, 8));
}

FolderLock::FolderLock(const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  const auto path = directory / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
    throw std::runtime_error("cannot lock " + path.string());
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

CachedFirmware build_cached_firmware(const LoadedModel& model,
                                     const std::filesystem::path& model_path,
                                     FirmwareOptions options, std::filesystem::path root,
                                     const FirmwareFlavour& flavour) {
  CachedFirmware firmware;
  firmware.mote_source_dir =
      options.mote_source_dir.empty() ? default_mote_source_dir() : options.mote_source_dir;
  if (root.empty()) root = firmware_cache_dir(options.target, firmware.mote_source_dir);
  // One folder per set of runtime parts: switching parts in one folder rebuilds the runtime.
  root /= runtime_parts_tag(runtime_parts(model.model()));
  firmware.lock = std::make_unique<FolderLock>(root);
  options.symbol = "mote_model";
  firmware.project = write_firmware_project(model, model_path, options, root / "project", flavour);
  firmware.image = build_firmware(root / "project", root / "build", options.target);
  return firmware;
}

}  // namespace mote::tools
