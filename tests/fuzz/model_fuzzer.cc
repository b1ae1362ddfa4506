// libFuzzer entry point: clang -fsanitize=fuzzer,address,undefined.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/model_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mote::testing::run_model_bytes(data, size);
  return 0;
}
