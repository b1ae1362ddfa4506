// Which kernels a firmware must register for a model: one per distinct op, named as the
// functions of runtime/kernels/kernels.h, so that the generated MutableOpResolver holds only
// those and the linker drops every other kernel.
#pragma once

#include <string>
#include <vector>

#include "runtime/model/model.h"
#include "tools/firmware/firmware_sources.h"

namespace mote::tools {

// The kernels::<name>() functions `model` needs, in the order its ops first use them; throws
// std::runtime_error naming every op the runtime has no kernel for (custom ops included).
std::vector<std::string> kernel_functions(const Model& model);

// The runtime parts `model` needs: float32 or int16 kernels when an op reads or writes a tensor
// of that type (the interpreter's own check, runtime/interpreter/interpreter.cc), sparse weights
// when a tensor is stored sparse.
RuntimeParts runtime_parts(const Model& model);

}  // namespace mote::tools
