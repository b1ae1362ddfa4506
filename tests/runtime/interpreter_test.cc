// Interpreter behaviour that is not any one kernel's: kernel resolution, exact arena sizing,
// sharing of bytes between tensors, profiling and observation.
#include "runtime/interpreter/interpreter.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "runtime/interpreter/all_ops_resolver.h"
#include "runtime/kernels/kernels.h"
#include "tests/support/model_builder.h"
#include "tools/host_runtime/error_collector.h"
#include "tools/host_runtime/host_interpreter.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

// in [1,4] -> FC -> [1,8] -> RESHAPE -> [2,4] -> FC -> [2,2] out (float).
tools::AlignedBuffer chain_model(int fc_version = 1) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 4}, {}, "in");
  std::vector<float> w1(32), w2(8);
  for (int i = 0; i < 32; ++i) w1[i] = 0.1f * static_cast<float>(i % 5) - 0.2f;
  for (int i = 0; i < 8; ++i) w2[i] = 0.25f * static_cast<float>(i) - 1.0f;
  const int weights1 = b.constant(TensorType::FLOAT32, {8, 4}, w1);
  const int hidden = b.tensor(TensorType::FLOAT32, {1, 8}, {}, "hidden");
  const int reshaped = b.tensor(TensorType::FLOAT32, {2, 4}, {}, "reshaped");
  const int weights2 = b.constant(TensorType::FLOAT32, {2, 4}, w2);
  const int out = b.tensor(TensorType::FLOAT32, {2, 2}, {}, "out");
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, weights1, -1}, {hidden}, tflite::BuiltinOptions::NONE,
       0, fc_version);
  b.op(BuiltinOperator::RESHAPE, {hidden}, {reshaped});
  b.op(BuiltinOperator::FULLY_CONNECTED, {reshaped, weights2, -1}, {out},
       tflite::BuiltinOptions::NONE, 0, fc_version);
  b.inputs({in});
  b.outputs({out});
  return b.build();
}

struct Loaded {
  tools::AlignedBuffer bytes;
  Model model;
};

Loaded load(tools::AlignedBuffer bytes) {
  Loaded l{std::move(bytes), Model()};
  EXPECT_EQ(Model::load(l.bytes.data(), l.bytes.size(), nullptr, &l.model), Status::kOk);
  return l;
}

TEST(Interpreter, RunsAChainAndComputesTheRightValues) {
  Loaded l = load(chain_model());
  AllOpsResolver resolver;
  std::vector<std::uint8_t> storage(4096 + 16);
  tools::ErrorCollector errors;
  Interpreter interpreter(l.model, resolver, storage.data(), storage.size(), errors.reporter());
  ASSERT_EQ(interpreter.allocate(), Status::kOk) << errors.last();
  const float x[4] = {1, 2, 3, 4};
  std::memcpy(interpreter.input(0).data, x, sizeof(x));
  ASSERT_EQ(interpreter.invoke(), Status::kOk) << errors.last();
  // Reference in plain C++.
  float hidden[8];
  for (int o = 0; o < 8; ++o) {
    hidden[o] = 0;
    for (int i = 0; i < 4; ++i)
      hidden[o] += x[i] * (0.1f * static_cast<float>((o * 4 + i) % 5) - 0.2f);
  }
  const float* out = interpreter.output(0).data_as<float>();
  for (int r = 0; r < 2; ++r) {
    for (int o = 0; o < 2; ++o) {
      float expected = 0;
      for (int i = 0; i < 4; ++i)
        expected += hidden[r * 4 + i] * (0.25f * static_cast<float>(o * 4 + i) - 1.0f);
      EXPECT_FLOAT_EQ(out[r * 2 + o], expected);
    }
  }
}

TEST(Interpreter, ReshapeSharesItsInputBytes) {
  Loaded l = load(chain_model());
  AllOpsResolver resolver;
  std::vector<std::uint8_t> storage(4096);
  Interpreter interpreter(l.model, resolver, storage.data(), storage.size());
  ASSERT_EQ(interpreter.allocate(), Status::kOk);
  EXPECT_EQ(interpreter.tensor_location(2), interpreter.tensor_location(3));
  EXPECT_NE(interpreter.tensor_location(2), kNoLocation);
}

TEST(Interpreter, ArenaSizeIsExact) {
  Loaded l = load(chain_model());
  const ArenaReport report = tools::measure_arena(l.model);
  const std::uint32_t tables = report.head - report.op_data - report.variables;
  EXPECT_EQ(report.total, std::max(report.head + report.planned, tables + report.workspace));
  AllOpsResolver resolver;
  // 16-byte aligned storage, so that no padding is needed.
  tools::AlignedBuffer exact(report.total);
  Interpreter ok(l.model, resolver, exact.data(), exact.size());
  EXPECT_EQ(ok.allocate(), Status::kOk);
  EXPECT_EQ(ok.arena_used_bytes(), report.total);

  tools::AlignedBuffer short_by_one(report.total - 1);
  tools::ErrorCollector errors;
  Interpreter refused(l.model, resolver, short_by_one.data(), short_by_one.size(),
                      errors.reporter());
  EXPECT_EQ(refused.allocate(), Status::kArenaTooSmall);
  EXPECT_NE(errors.last().find(std::to_string(report.total)), std::string::npos) << errors.last();
  EXPECT_EQ(refused.invoke(), Status::kNotAllocated);
}

TEST(Interpreter, TinyArenasAreRefusedWithoutTouchingMemoryPastThem) {
  Loaded l = load(chain_model());
  AllOpsResolver resolver;
  const std::size_t needed = tools::measure_arena(l.model).total;
  for (std::size_t size = 0; size < needed; size += 4) {
    // Guard bytes after the arena must survive a refused allocate.
    tools::AlignedBuffer storage(size + 64);
    std::memset(storage.data() + size, 0xA5, 64);
    tools::ErrorCollector errors;
    Interpreter interpreter(l.model, resolver, storage.data(), size, errors.reporter());
    EXPECT_EQ(interpreter.allocate(), Status::kArenaTooSmall) << size;
    for (std::size_t k = 0; k < 64; ++k) ASSERT_EQ(storage.data()[size + k], 0xA5) << size;
    EXPECT_NE(errors.last().find("too small"), std::string::npos);
  }
}

TEST(Interpreter, UnalignedArenaCostsOnlyThePadding) {
  Loaded l = load(chain_model());
  const ArenaReport report = tools::measure_arena(l.model);
  AllOpsResolver resolver;
  tools::AlignedBuffer storage(report.total + 16);
  Interpreter interpreter(l.model, resolver, storage.data() + 4, report.total + 12);
  ASSERT_EQ(interpreter.allocate(), Status::kOk);
  EXPECT_EQ(interpreter.arena_used_bytes(), report.total + 12);
  EXPECT_EQ(interpreter.arena_report().alignment_padding, 12u);
}

TEST(Interpreter, RefusesAnOpTheResolverLacksByName) {
  Loaded l = load(chain_model());
  MutableOpResolver<1> resolver;
  ASSERT_EQ(resolver.add(kernels::fully_connected()), Status::kOk);
  EXPECT_EQ(resolver.add(kernels::fully_connected()), Status::kInvalidArgument);  // duplicate
  std::vector<std::uint8_t> storage(4096);
  tools::ErrorCollector errors;
  Interpreter interpreter(l.model, resolver, storage.data(), storage.size(), errors.reporter());
  EXPECT_EQ(interpreter.allocate(), Status::kUnsupported);
  EXPECT_NE(errors.last().find("op 1 uses RESHAPE"), std::string::npos) << errors.last();
}

TEST(Interpreter, RefusesAnOpVersionNewerThanTheKernel) {
  Loaded l = load(chain_model(/*fc_version=*/99));
  AllOpsResolver resolver;
  std::vector<std::uint8_t> storage(4096);
  tools::ErrorCollector errors;
  Interpreter interpreter(l.model, resolver, storage.data(), storage.size(), errors.reporter());
  EXPECT_EQ(interpreter.allocate(), Status::kUnsupported);
  EXPECT_NE(errors.last().find("version 99"), std::string::npos) << errors.last();
}

TEST(Interpreter, PreservedInputsKeepTheirBytes) {
  Loaded l = load(chain_model());
  InterpreterOptions options;
  options.preserve_inputs = true;
  AllOpsResolver resolver;
  std::vector<std::uint8_t> storage(4096);
  Interpreter interpreter(l.model, resolver, storage.data(), storage.size(), nullptr, options);
  ASSERT_EQ(interpreter.allocate(), Status::kOk);
  const float x[4] = {1, -2, 3, -4};
  std::memcpy(interpreter.input(0).data, x, sizeof(x));
  ASSERT_EQ(interpreter.invoke(), Status::kOk);
  EXPECT_EQ(std::memcmp(interpreter.input(0).data, x, sizeof(x)), 0);
}

std::uint64_t fake_clock(void* user) { return (*static_cast<std::uint64_t*>(user)) += 10; }

TEST(Interpreter, ProfilerAndObserverSeeEveryOp) {
  Loaded l = load(chain_model());
  AllOpsResolver resolver;
  std::vector<std::uint8_t> storage(4096);
  Interpreter interpreter(l.model, resolver, storage.data(), storage.size());
  ASSERT_EQ(interpreter.allocate(), Status::kOk);
  std::uint64_t now = 0;
  std::uint64_t ticks[3] = {};
  Profiler profiler(fake_clock, &now, ticks, 3);
  interpreter.set_profiler(&profiler);
  std::vector<std::uint32_t> seen;
  interpreter.set_op_observer(
      [](void* user, std::uint32_t op) {
        static_cast<std::vector<std::uint32_t>*>(user)->push_back(op);
      },
      &seen);
  ASSERT_EQ(interpreter.invoke(), Status::kOk);
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{0, 1, 2}));
  for (int o = 0; o < 3; ++o) EXPECT_EQ(ticks[o], 10u);
  EXPECT_EQ(profiler.invoke_ticks(), 70u);  // begin, 3 × (begin, end), end
}

}  // namespace
}  // namespace mote::testing
