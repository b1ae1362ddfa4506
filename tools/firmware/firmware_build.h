// Building a generated firmware project with CMake and running its image (natively, or in QEMU
// through targets/cortex-m/run-qemu.sh), for `mote run --target` and `mote size`.
#pragma once

#include <filesystem>
#include <string>

#include <memory>

#include "tools/firmware/firmware_project.h"
#include "tools/firmware/firmware_sources.h"

namespace mote::tools {

// What a build produced: the image and, on Cortex-M, the linker's map file.
struct FirmwareImage {
  std::filesystem::path image;
  std::filesystem::path map_file;  // empty for the host target
};

// Configures `build_dir` (until it has a build.ninja; later calls only rebuild) and builds the
// project in `project_dir` with Ninja. Throws std::runtime_error with the end of the build log on
// failure.
FirmwareImage build_firmware(const std::filesystem::path& project_dir,
                             const std::filesystem::path& build_dir, FirmwareTarget target);

// What a run printed (standard output and error together) and its exit status.
struct FirmwareRun {
  int exit_code = 0;
  std::string output;
};

// Runs `image`: natively for the host, in QEMU (run-qemu.sh from `mote_source_dir`) for
// Cortex-M4.
FirmwareRun run_firmware(const FirmwareImage& image, FirmwareTarget target,
                         const std::filesystem::path& mote_source_dir);

// The cache folder for firmware builds of `target` from the tree `mote_source_dir`:
// $XDG_CACHE_HOME (or ~/.cache, else the temp folder)/mote/firmware-<target>-<hash of the tree's
// path>, since a build folder remembers the tree it was configured with.
std::filesystem::path firmware_cache_dir(FirmwareTarget target,
                                         const std::filesystem::path& mote_source_dir);

// Holds an exclusive lock on a folder (a file inside it) for its lifetime, so that two mote
// processes sharing a cached build folder take turns.
class FolderLock {
 public:
  explicit FolderLock(const std::filesystem::path& directory);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

// A firmware generated and built in a cache folder: the project, its image, and the lock that
// keeps other mote processes out of the folder while this one builds and runs it.
struct CachedFirmware {
  FirmwareProject project;
  FirmwareImage image;
  std::filesystem::path mote_source_dir;
  std::unique_ptr<FolderLock> lock;
};

// Generates the project for `model` under `root` (empty: firmware_cache_dir()) as root/project
// and builds it in root/build, which later calls reuse (only the model, inputs and main.cc
// recompile). The model array is always named "mote_model" there, so that one build folder
// serves every model that needs the same runtime parts: the project and build live in
// root/<runtime_parts_tag()> (empty root: firmware_cache_dir()). A flavour other than the model
// runner should have a root of its own.
CachedFirmware build_cached_firmware(const LoadedModel& model,
                                     const std::filesystem::path& model_path,
                                     FirmwareOptions options, std::filesystem::path root,
                                     const FirmwareFlavour& flavour = {});

}  // namespace mote::tools
