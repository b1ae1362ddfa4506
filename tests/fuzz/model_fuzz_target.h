// The fuzzing target over load -> allocate -> invoke, shared by the libFuzzer binary (clang,
// sanitizers) and the seeded mutation test that runs in every build.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mote::testing {

// Feeds `size` bytes to the runtime as a model. Returns normally whatever the bytes are; a crash,
// a sanitizer report or a hang is the bug.
void run_model_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace mote::testing
