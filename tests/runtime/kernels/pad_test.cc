#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

std::vector<std::int32_t> padded_shape(const std::vector<std::int32_t>& shape,
                                       const std::vector<std::int32_t>& paddings) {
  std::vector<std::int32_t> out(shape.size());
  for (std::size_t d = 0; d < shape.size(); ++d) {
    out[d] = shape[d] + paddings[2 * d] + paddings[2 * d + 1];
  }
  return out;
}

// Independent reference: every output coordinate either maps back into the input or is fill.
template <typename T>
std::vector<T> reference_pad(const std::vector<std::int32_t>& shape, const std::vector<T>& input,
                             const std::vector<std::int32_t>& paddings, T fill) {
  const auto out_shape = padded_shape(shape, paddings);
  std::size_t total = 1;
  for (auto d : out_shape) total *= static_cast<std::size_t>(d);
  std::vector<T> out(total);
  for (std::size_t o = 0; o < total; ++o) {
    std::size_t rest = o;
    std::vector<std::int32_t> coord(out_shape.size());
    for (int d = static_cast<int>(out_shape.size()) - 1; d >= 0; --d) {
      coord[d] = static_cast<std::int32_t>(rest % out_shape[d]);
      rest /= out_shape[d];
    }
    bool inside = true;
    std::size_t in_index = 0;
    for (std::size_t d = 0; d < shape.size(); ++d) {
      const std::int32_t c = coord[d] - paddings[2 * d];
      inside = inside && c >= 0 && c < shape[d];
      in_index = in_index * static_cast<std::size_t>(shape[d]) + static_cast<std::size_t>(c);
    }
    out[o] = inside ? input[in_index] : fill;
  }
  return out;
}

// A one-op PAD (or PADV2 when `value` >= 0 names a constant) model.
int pad_model(ModelBuilder& b, TensorType type, const std::vector<std::int32_t>& shape,
              const std::vector<std::int32_t>& paddings, Quant q = {}, int value = -1) {
  const int in = b.tensor(type, shape, q);
  const int pads = b.constant<std::int32_t>(TensorType::INT32,
                                            {static_cast<std::int32_t>(shape.size()), 2}, paddings);
  const int out = b.tensor(type, padded_shape(shape, paddings), q);
  if (value >= 0) {
    b.op(BuiltinOperator::PADV2, {in, pads, value}, {out});
  } else {
    b.op(BuiltinOperator::PAD, {in, pads}, {out});
  }
  b.inputs({in});
  b.outputs({out});
  return out;
}

TEST(Pad, FloatHandWorked) {
  ModelBuilder b;
  pad_model(b, TensorType::FLOAT32, {2, 3}, {1, 0, 0, 2});
  // One row above, two columns to the right, filled with 0.
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 2, 3, 4, 5, 6}),
            (std::vector<float>{0, 0, 0, 0, 0,  //
                                1, 2, 3, 0, 0,  //
                                4, 5, 6, 0, 0}));
}

TEST(Pad, AsymmetricPaddingsOnEveryAxisAtEveryRank) {
  const std::vector<std::int32_t> dims = {2, 3, 2, 3, 2};
  for (int rank = 1; rank <= 5; ++rank) {
    std::vector<std::int32_t> shape(dims.begin(), dims.begin() + rank);
    std::vector<std::int32_t> paddings;
    for (int d = 0; d < rank; ++d) {
      // Before and after differ on every axis, alternating which side gets more.
      paddings.push_back(1 + d % 2);
      paddings.push_back(2 - d % 2 + (d == rank - 1 ? 1 : 0));
    }
    std::size_t n = 1;
    for (auto d : shape) n *= static_cast<std::size_t>(d);
    std::vector<std::int32_t> input(n);
    for (std::size_t i = 0; i < n; ++i) input[i] = static_cast<std::int32_t>(i) + 1;
    ModelBuilder b;
    pad_model(b, TensorType::INT32, shape, paddings);
    EXPECT_EQ(run_single<std::int32_t>(b, input),
              reference_pad<std::int32_t>(shape, input, paddings, 0))
        << "rank " << rank;
  }
}

TEST(Pad, Int8FillsWithTheOutputZeroPoint) {
  ModelBuilder b;
  pad_model(b, TensorType::INT8, {1, 2, 2, 1}, {0, 0, 1, 0, 0, 1, 0, 0}, quant(0.5f, -5));
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{10, -20, 127, -128}),
            (std::vector<std::int8_t>{-5, -5, -5,   //
                                      10, -20, -5,  //
                                      127, -128, -5}));
}

TEST(Pad, Int16FillsWithZeroWhateverTheZeroPoint) {
  // TFLM's int16 PAD ignores the zero point (int16 tensors normally have zero point 0).
  ModelBuilder b;
  pad_model(b, TensorType::INT16, {3}, {2, 1}, quant(0.25f, 7));
  EXPECT_EQ(run_single<std::int16_t>(b, std::vector<std::int16_t>{-300, 32767, 5}),
            (std::vector<std::int16_t>{0, 0, -300, 32767, 5, 0}));
}

TEST(Pad, Int16FourDimensionsLikeSeanet) {
  // The golden seanet models pad the third of four dimensions by 3 on both sides.
  const std::vector<std::int32_t> shape = {1, 2, 4, 2};
  const std::vector<std::int32_t> paddings = {0, 0, 0, 0, 3, 3, 0, 0};
  std::vector<std::int16_t> input(16);
  for (int i = 0; i < 16; ++i) input[i] = static_cast<std::int16_t>(1000 * (i - 8));
  ModelBuilder b;
  pad_model(b, TensorType::INT16, shape, paddings, quant(0.001f, 0));
  EXPECT_EQ(run_single<std::int16_t>(b, input),
            reference_pad<std::int16_t>(shape, input, paddings, 0));
}

TEST(PadV2, FloatConstantValue) {
  ModelBuilder b;
  const int value = b.constant<float>(TensorType::FLOAT32, {}, {-1.5f});
  pad_model(b, TensorType::FLOAT32, {2}, {1, 2}, {}, value);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{3, 4}),
            (std::vector<float>{-1.5f, 3, 4, -1.5f, -1.5f}));
}

TEST(PadV2, Int8ConstantValueQuantizedLikeTheOutput) {
  ModelBuilder b;
  const int value = b.constant<std::int8_t>(TensorType::INT8, {1}, {42}, quant(0.5f, 3));
  pad_model(b, TensorType::INT8, {2, 1}, {0, 1, 1, 0}, quant(0.5f, 3), value);
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{-1, 1}),
            (std::vector<std::int8_t>{42, -1, 42, 1, 42, 42}));
}

TEST(PadV2, Int32AndInt16ConstantValues) {
  {
    ModelBuilder b;
    const int value = b.constant<std::int32_t>(TensorType::INT32, {}, {-7});
    pad_model(b, TensorType::INT32, {1}, {1, 1}, {}, value);
    EXPECT_EQ(run_single<std::int32_t>(b, std::vector<std::int32_t>{100000}),
              (std::vector<std::int32_t>{-7, 100000, -7}));
  }
  {
    ModelBuilder b;
    const int value = b.constant<std::int16_t>(TensorType::INT16, {}, {-2});
    pad_model(b, TensorType::INT16, {1}, {0, 2}, {}, value);
    EXPECT_EQ(run_single<std::int16_t>(b, std::vector<std::int16_t>{9}),
              (std::vector<std::int16_t>{9, -2, -2}));
  }
}

std::string pad_refusal(TensorType type, std::vector<std::int32_t> shape,
                        std::vector<std::int32_t> out_shape, int paddings_tensor_kind) {
  ModelBuilder b;
  const int in = b.tensor(type, shape);
  const int rank = static_cast<int>(shape.size());
  std::vector<std::int32_t> pads(2 * shape.size(), 1);
  int p;
  switch (paddings_tensor_kind) {
    case 1:
      p = b.constant<std::int64_t>(TensorType::INT64, {rank, 2},
                                   std::vector<std::int64_t>(2 * shape.size(), 1));
      break;
    case 2:
      p = b.tensor(TensorType::INT32, {rank, 2});
      break;
    case 3:
      pads[0] = -1;
      p = b.constant<std::int32_t>(TensorType::INT32, {rank, 2}, pads);
      break;
    default:
      p = b.constant<std::int32_t>(TensorType::INT32, {rank, 2}, pads);
      break;
  }
  const int out = b.tensor(type, out_shape);
  b.op(BuiltinOperator::PAD, {in, p}, {out});
  if (paddings_tensor_kind == 2) {
    b.inputs({in, p});
  } else {
    b.inputs({in});
  }
  b.outputs({out});
  return refusal(b);
}

TEST(Pad, Refusals) {
  EXPECT_NE(pad_refusal(TensorType::FLOAT32, {2}, {4}, 1)
                .find("op 0 (PAD): paddings tensor 1 't1' is int64; TFLM reads it as int32 only"),
            std::string::npos)
      << pad_refusal(TensorType::FLOAT32, {2}, {4}, 1);
  EXPECT_NE(pad_refusal(TensorType::FLOAT32, {2}, {4}, 2).find("computed at run time"),
            std::string::npos)
      << "[" << pad_refusal(TensorType::FLOAT32, {2}, {4}, 2) << "]";
  EXPECT_NE(pad_refusal(TensorType::FLOAT32, {2}, {2}, 3)
                .find("paddings of dimension 0 are negative (-1, 1)"),
            std::string::npos);
  EXPECT_NE(pad_refusal(TensorType::FLOAT32, {2, 2}, {4, 5}, 0)
                .find("output tensor 2 't2' has shape [4,5], expected [4,4]"),
            std::string::npos)
      << pad_refusal(TensorType::FLOAT32, {2, 2}, {4, 5}, 0);
  EXPECT_NE(pad_refusal(TensorType::FLOAT32, {1, 1, 1, 1, 1, 1}, {3, 3, 3, 3, 3, 3}, 0)
                .find("input has 6 dimensions; TFLM pads up to 5"),
            std::string::npos);
  EXPECT_NE(pad_refusal(TensorType::UINT8, {2}, {4}, 0).find("input type uint8 is not supported"),
            std::string::npos);
}

TEST(PadV2, RefusesAConstantValueQuantizedUnlikeTheOutput) {
  ModelBuilder b;
  const int value = b.constant<std::int8_t>(TensorType::INT8, {1}, {0}, quant(0.5f, 4));
  pad_model(b, TensorType::INT8, {2}, {1, 1}, quant(0.5f, 3), value);
  EXPECT_NE(refusal(b).find("constant value is quantized (scale 0.500000, zero point 4) unlike "
                            "the output (scale 0.500000, zero point 3)"),
            std::string::npos)
      << refusal(b);
}

TEST(PadV2, RefusesANonScalarConstantValue) {
  ModelBuilder b;
  const int value = b.constant<float>(TensorType::FLOAT32, {2}, {1, 2});
  pad_model(b, TensorType::FLOAT32, {2}, {1, 1}, {}, value);
  EXPECT_NE(refusal(b).find("has 2 values, not 1"), std::string::npos) << refusal(b);
}

TEST(Pad, RefusesAnInt8ZeroPointOutsideInt8) {
  ModelBuilder b;
  pad_model(b, TensorType::INT8, {2}, {1, 1}, quant(0.5f, 200));
  // Refused by the model reader, before the kernel sees it.
  EXPECT_NE(refusal(b).find("has zero point 200 at channel 0, outside int8's range"),
            std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing

namespace mote::testing {
namespace {

// y = relu(x); z = pad(y). y dies at the PAD, so the planner lets z start at y's first byte and
// PAD writes back to front; the values must equal those of a run without in-place execution.
struct InPlaceCase {
  std::vector<std::int32_t> shape;
  std::vector<std::int32_t> paddings;  // [rank, 2]
};

std::vector<float> run_relu_pad(const InPlaceCase& c, bool in_place, bool* shared) {
  ModelBuilder b;
  std::vector<std::int32_t> out_shape = c.shape;
  for (std::size_t d = 0; d < c.shape.size(); ++d) {
    out_shape[d] += c.paddings[2 * d] + c.paddings[2 * d + 1];
  }
  const int x = b.tensor(TensorType::FLOAT32, c.shape);
  const int y = b.tensor(TensorType::FLOAT32, c.shape);
  const int p = b.constant<std::int32_t>(
      TensorType::INT32, {static_cast<std::int32_t>(c.shape.size()), 2}, c.paddings);
  const int z = b.tensor(TensorType::FLOAT32, out_shape);
  b.op(BuiltinOperator::RELU, {x}, {y});
  b.op(BuiltinOperator::PAD, {y, p}, {z});
  b.inputs({x});
  b.outputs({z});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "relu+pad");
  InterpreterOptions options;
  options.in_place_ops = in_place;
  tools::HostInterpreter host(*model, options);
  *shared = host.interpreter().tensor_location(static_cast<std::uint32_t>(y)) ==
            host.interpreter().tensor_location(static_cast<std::uint32_t>(z));
  std::vector<float> input(host.interpreter().input(0).elements);
  for (std::size_t i = 0; i < input.size(); ++i) {
    input[i] = static_cast<float>(i % 7) - 2.0f + 0.125f * static_cast<float>(i);
  }
  host.set_input(0, to_bytes(input));
  host.invoke();
  const auto out = host.output_bytes(0);
  return from_bytes<float>(Bytes(out.begin(), out.end()));
}

TEST(Pad, RunsInPlaceBackToFrontWithTheSameValues) {
  const InPlaceCase cases[] = {
      {{5}, {2, 3}},
      {{3, 4}, {1, 0, 2, 1}},
      {{1, 6, 5, 3}, {0, 0, 1, 1, 0, 1, 0, 0}},  // mobilenet-style spatial padding
      {{2, 3, 2, 2}, {1, 1, 0, 2, 1, 0, 1, 1}},  // every axis
      {{1, 2, 2, 1, 3}, {0, 1, 1, 0, 0, 0, 2, 1, 1, 2}},
      {{4, 4}, {0, 0, 0, 0}},  // nothing to pad
  };
  for (const InPlaceCase& c : cases) {
    bool shared_in_place = false, shared_copy = true;
    const auto in_place = run_relu_pad(c, true, &shared_in_place);
    const auto copy = run_relu_pad(c, false, &shared_copy);
    EXPECT_TRUE(shared_in_place) << "rank " << c.shape.size();
    EXPECT_FALSE(shared_copy);
    EXPECT_EQ(in_place, copy) << "rank " << c.shape.size();
  }
}

}  // namespace
}  // namespace mote::testing

namespace mote::testing {
namespace {

// Found by the fuzzer: paddings that sum past int32 were added in 32 bits (undefined behaviour).
TEST(Pad, RefusesPaddingsThatOverflowTheShape) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 4}, quant(1.0f, 0));
  const int p = b.constant<std::int32_t>(TensorType::INT32, {2, 2}, {0, 0, 2130706433, 962146510});
  const int out = b.tensor(TensorType::INT8, {1, 4}, quant(1.0f, 0));
  b.op(BuiltinOperator::PAD, {in, p}, {out});
  b.inputs({in});
  b.outputs({out});
  EXPECT_NE(refusal(b).find("padding dimension 1 gives 3092852947 elements"), std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
