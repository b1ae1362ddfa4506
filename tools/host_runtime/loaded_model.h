// A .tflite file read into aligned memory and verified by the runtime's own model reader.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "runtime/model/model.h"
#include "tools/io/aligned_buffer.h"

namespace mote::tools {

class LoadedModel {
 public:
  // Reads and verifies `path`; throws std::runtime_error with the runtime's message on refusal.
  static std::unique_ptr<LoadedModel> from_file(const std::filesystem::path& path);
  // Verifies a copy of `bytes`; `what` names them in errors.
  static std::unique_ptr<LoadedModel> from_bytes(std::span<const std::uint8_t> bytes,
                                                 const std::string& what);

  const Model& model() const { return model_; }
  const AlignedBuffer& bytes() const { return bytes_; }
  const std::string& name() const { return name_; }

 private:
  LoadedModel() = default;
  AlignedBuffer bytes_;
  Model model_;
  std::string name_;
};

}  // namespace mote::tools
