#include "tools/host_runtime/loaded_model.h"

#include <stdexcept>

#include "tools/host_runtime/error_collector.h"
#include "tools/io/file_io.h"

namespace mote::tools {

std::unique_ptr<LoadedModel> LoadedModel::from_file(const std::filesystem::path& path) {
  const AlignedBuffer bytes = read_file(path);
  return from_bytes(bytes.bytes(), path.string());
}

std::unique_ptr<LoadedModel> LoadedModel::from_bytes(std::span<const std::uint8_t> bytes,
                                                     const std::string& what) {
  std::unique_ptr<LoadedModel> loaded(new LoadedModel());
  loaded->bytes_ = AlignedBuffer(bytes);
  loaded->name_ = what;
  ErrorCollector errors;
  const Status status =
      Model::load(loaded->bytes_.data(), loaded->bytes_.size(), errors.reporter(), &loaded->model_);
  if (status != Status::kOk) {
    throw std::runtime_error(what + ": " + errors.last(status_name(status)));
  }
  return loaded;
}

}  // namespace mote::tools
