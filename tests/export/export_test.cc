#include <gtest/gtest.h>

#include <cstdint>

#include "hello_world_int8_model.h"
#include "runtime/interpreter/interpreter.h"
#include "runtime/kernels/kernels.h"
#include "tests/support/golden_cases.h"
#include "tools/io/file_io.h"

namespace mote::testing {
namespace {

alignas(16) std::uint8_t arena[HELLO_WORLD_INT8_MODEL_ARENA_BYTES];

TEST(ExportedModel, RunsInExactlyTheExportedArenaAndMatchesTflm) {
  Model model;
  ASSERT_EQ(Model::load(hello_world_int8_model, hello_world_int8_model_len, nullptr, &model),
            Status::kOk);
  MutableOpResolver<1> resolver;  // the one kernel this model needs
  ASSERT_EQ(resolver.add(kernels::fully_connected()), Status::kOk);
  Interpreter interpreter(model, resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.allocate(), Status::kOk);
  EXPECT_EQ(interpreter.arena_used_bytes(), sizeof(arena));

  const auto dir = golden_dir() / "cases" / "hello_world_int8_q=-34";
  const auto input = tools::read_file(dir / "input_0.bin");
  const auto expected = tools::read_file(dir / "output_0.bin");
  ASSERT_EQ(input.size(), interpreter.input(0).bytes);
  std::memcpy(interpreter.input(0).data, input.data(), input.size());
  ASSERT_EQ(interpreter.invoke(), Status::kOk);
  ASSERT_EQ(expected.size(), interpreter.output(0).bytes);
  EXPECT_EQ(std::memcmp(interpreter.output(0).data, expected.data(), expected.size()), 0);
}

TEST(ExportedModel, IsSixteenByteAligned) {
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(hello_world_int8_model) % 16, 0u);
}

}  // namespace
}  // namespace mote::testing
