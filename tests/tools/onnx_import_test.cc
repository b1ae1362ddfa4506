// The ONNX importer against PyTorch: every fixture of tests/tools/fixtures/onnx (made by
// scripts/make_onnx_fixtures.py, committed so that no torch is needed here) imports, is written
// as .tflite, runs through the mote runtime and gives PyTorch's outputs; layout changes happen only
// at the edges; refusals say what is wrong.
#include "tools/onnx/onnx_import.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/interpreter/all_ops_resolver.h"
#include "tests/support/golden_cases.h"
#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/io/file_io.h"
#include "tools/io/npy.h"
#include "tools/onnx/layout.h"

namespace mote::testing {
namespace {

namespace fs = std::filesystem;
using tools::Graph;
using tools::OnnxImportOptions;
using tools::OnnxImportSummary;

// Outputs agree when |mote - torch| <= kTolerance * max(1, |torch|): absolute for values up to 1
// (probabilities, activations), relative above.
constexpr double kTolerance = 1e-4;

fs::path fixture(const std::string& file) { return fs::path(MOTE_ONNX_FIXTURES) / file; }

struct Fixture {
  std::string name;
  int transposes;       // with the default NCHW interface
  int transposes_nhwc;  // with --nhwc-input (and --nhwc-output when the output is NC...)
  bool image_output;    // the output is NCHW / NCW, so --nhwc-output applies
};

const std::vector<Fixture>& fixtures() {
  static const std::vector<Fixture> list = {
      {"conv_net", 1, 0, false},   // NCHW in; the Flatten before the Gemm permutes weights
      {"mlp", 0, 0, false},        // no layout at all
      {"picker1d", 2, 0, true},    // NCW in, NCW out
      {"ops_mix", 1, 0, false},    // NCHW in; the model itself permutes to NHWC for its output
      {"decoder2d", 2, 0, true},   // NCHW in and out
      {"legacy_ops", 2, 0, true},  // NCHW in; an NCHW and a flat output
      {"conv_net_opset9", 1, 0, false},
      {"hardswish_opset12", 1, 0, false},
  };
  return list;
}

void PrintTo(const Fixture& f, std::ostream* os) { *os << f.name; }

// Whether the graph's runtime has every op it uses (LOGISTIC and TANH arrive with the
// kernels-recurrent branch).
std::string missing_kernel(const Graph& g) {
  AllOpsResolver resolver;
  for (const tools::GraphOp& op : g.ops) {
    if (resolver.find(op.code, nullptr) < 0) return tools::op_name(op);
  }
  return "";
}

// Reaches a model input or output through RESHAPEs only (which move no data).
bool reaches_input(const Graph& g, std::int32_t t) {
  for (;;) {
    if (std::find(g.inputs.begin(), g.inputs.end(), t) != g.inputs.end()) return true;
    const auto p = g.producer(t);
    if (!p || g.ops[*p].code != tflite::BuiltinOperator::RESHAPE) return false;
    t = g.ops[*p].inputs[0];
  }
}

bool reaches_output(const Graph& g, std::int32_t t) {
  for (;;) {
    if (std::find(g.outputs.begin(), g.outputs.end(), t) != g.outputs.end()) return true;
    const auto c = g.consumers(t);
    if (c.size() != 1 || g.ops[c[0]].code != tflite::BuiltinOperator::RESHAPE) return false;
    t = g.ops[c[0]].outputs[0];
  }
}

int count_ops(const Graph& g, tflite::BuiltinOperator code) {
  return static_cast<int>(std::count_if(g.ops.begin(), g.ops.end(),
                                        [&](const tools::GraphOp& op) { return op.code == code; }));
}

std::vector<float> floats_of(const tools::NpyArray& a) {
  std::vector<float> v(a.elements());
  std::memcpy(v.data(), a.data.data(), v.size() * sizeof(float));
  return v;
}

// NCHW (or NCW) float values to NHWC (NWC).
std::vector<float> to_channels_last(const std::vector<float>& v,
                                    const std::vector<std::int64_t>& shape) {
  tools::onnx_import::Shape s(shape.begin(), shape.end());
  std::vector<std::int32_t> perm{0};
  for (std::size_t a = 2; a < s.size(); ++a) perm.push_back(static_cast<std::int32_t>(a));
  perm.push_back(1);
  const auto t =
      tools::onnx_import::transpose_values(std::vector<double>(v.begin(), v.end()), s, perm);
  return std::vector<float>(t.begin(), t.end());
}

// PyTorch's outputs of a fixture: NAME.output0.npy, NAME.output1.npy, ...
std::vector<tools::NpyArray> expected_outputs(const std::string& name) {
  std::vector<tools::NpyArray> out;
  for (int k = 0; fs::exists(fixture(name + ".output" + std::to_string(k) + ".npy")); ++k) {
    out.push_back(tools::read_npy(fixture(name + ".output" + std::to_string(k) + ".npy")));
  }
  return out;
}

struct RunResult {
  double max_abs_diff = 0;
  double max_scaled_diff = 0;
};

// Writes `g` as .tflite, loads it with the runtime's reader, runs `input` and compares every
// output with `expected` (in the graph's output order).
RunResult run_and_compare(const Graph& g, const std::vector<float>& input,
                          const std::vector<std::vector<float>>& expected) {
  const std::vector<std::uint8_t> bytes = tools::write_tflite(g);
  const auto model = tools::LoadedModel::from_bytes(bytes, "imported model");
  tools::HostInterpreter host(*model);
  host.set_input(0, std::span(reinterpret_cast<const std::uint8_t*>(input.data()),
                              input.size() * sizeof(float)));
  host.invoke();
  RunResult r;
  EXPECT_EQ(g.outputs.size(), expected.size());
  for (std::uint32_t k = 0; k < std::min(g.outputs.size(), expected.size()); ++k) {
    const auto out = host.output_bytes(k);
    std::vector<float> got(out.size() / sizeof(float));
    std::memcpy(got.data(), out.data(), out.size());
    EXPECT_EQ(got.size(), expected[k].size()) << "output " << k;
    for (std::size_t i = 0; i < std::min(got.size(), expected[k].size()); ++i) {
      const double want = expected[k][i];
      const double d = std::fabs(static_cast<double>(got[i]) - want);
      r.max_abs_diff = std::max(r.max_abs_diff, d);
      r.max_scaled_diff = std::max(r.max_scaled_diff, d / std::max(1.0, std::fabs(want)));
    }
  }
  return r;
}

class OnnxFixture : public ::testing::TestWithParam<Fixture> {};

TEST_P(OnnxFixture, RunsToPyTorchOutputs) {
  const Fixture& f = GetParam();
  OnnxImportSummary summary;
  const Graph g = tools::import_onnx_file(fixture(f.name + ".onnx"), {}, &summary);
  const std::string missing = missing_kernel(g);
  if (!missing.empty()) GTEST_SKIP() << "the runtime has no " << missing << " kernel yet";
  const auto input = tools::read_npy(fixture(f.name + ".input0.npy"));
  std::vector<std::vector<float>> expected;
  for (const auto& e : expected_outputs(f.name)) expected.push_back(floats_of(e));
  ASSERT_FALSE(expected.empty());
  const RunResult r = run_and_compare(g, floats_of(input), expected);
  std::printf(
      "[ figures  ] %-10s largest |mote - torch| = %.3g, transposes %d, ops %zu, "
      "parameters %lld\n",
      f.name.c_str(), r.max_abs_diff, summary.transposes, g.ops.size(),
      static_cast<long long>(summary.parameters));
  RecordProperty("max_abs_diff", std::to_string(r.max_abs_diff));
  EXPECT_LE(r.max_scaled_diff, kTolerance);
}

TEST_P(OnnxFixture, TransposesOnlyAtTheEdges) {
  const Fixture& f = GetParam();
  for (const bool nhwc : {false, true}) {
    SCOPED_TRACE(nhwc ? "NHWC interface" : "NCHW interface");
    OnnxImportOptions options;
    options.nhwc_input = nhwc;
    options.nhwc_output = nhwc && f.image_output;
    OnnxImportSummary summary;
    const Graph g = tools::import_onnx_file(fixture(f.name + ".onnx"), options, &summary);
    const int transposes = count_ops(g, tflite::BuiltinOperator::TRANSPOSE);
    EXPECT_EQ(transposes, nhwc ? f.transposes_nhwc : f.transposes);
    EXPECT_EQ(summary.transposes, transposes);
    EXPECT_EQ(summary.transposes_inside, 0);
    for (const tools::GraphOp& op : g.ops) {
      if (op.code != tflite::BuiltinOperator::TRANSPOSE) continue;
      EXPECT_TRUE(reaches_input(g, op.inputs[0]) || reaches_output(g, op.outputs[0]))
          << "a TRANSPOSE inside the graph, on '"
          << g.tensors[static_cast<std::size_t>(op.inputs[0])].name << "'";
    }
  }
}

TEST_P(OnnxFixture, NhwcInterfaceGivesTheSameOutputs) {
  const Fixture& f = GetParam();
  OnnxImportOptions options;
  options.nhwc_input = true;
  options.nhwc_output = f.image_output;
  const Graph g = tools::import_onnx_file(fixture(f.name + ".onnx"), options);
  if (const std::string missing = missing_kernel(g); !missing.empty()) {
    GTEST_SKIP() << "the runtime has no " << missing << " kernel yet";
  }
  const auto input = tools::read_npy(fixture(f.name + ".input0.npy"));
  auto in = floats_of(input);
  if (input.shape.size() >= 3) in = to_channels_last(in, input.shape);
  std::vector<std::vector<float>> expected;
  for (const auto& e : expected_outputs(f.name)) {
    expected.push_back(f.image_output && e.shape.size() >= 3
                           ? to_channels_last(floats_of(e), e.shape)
                           : floats_of(e));
  }
  const RunResult r = run_and_compare(g, in, expected);
  EXPECT_LE(r.max_scaled_diff, kTolerance);
}

TEST_P(OnnxFixture, RoundTripsThroughTheTfliteWriterAndReader) {
  const Graph g = tools::import_onnx_file(fixture(GetParam().name + ".onnx"));
  const std::vector<std::uint8_t> bytes = tools::write_tflite(g);
  const Graph back = tools::read_tflite(bytes, "written");
  ASSERT_EQ(back.ops.size(), g.ops.size());
  ASSERT_EQ(back.tensors.size(), g.tensors.size());
  for (std::size_t t = 0; t < g.tensors.size(); ++t) EXPECT_EQ(back.tensors[t], g.tensors[t]);
  for (std::size_t o = 0; o < g.ops.size(); ++o) {
    EXPECT_EQ(back.ops[o].code, g.ops[o].code);
    EXPECT_EQ(back.ops[o].version, g.ops[o].version);
    EXPECT_EQ(back.ops[o].inputs, g.ops[o].inputs);
    EXPECT_EQ(back.ops[o].outputs, g.ops[o].outputs);
    EXPECT_TRUE(back.ops[o].options == g.ops[o].options) << "op " << o;
  }
  EXPECT_EQ(back.inputs, g.inputs);
  EXPECT_EQ(back.outputs, g.outputs);
  EXPECT_EQ(tools::write_tflite(back), bytes);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OnnxFixture, ::testing::ValuesIn(fixtures()),
                         [](const auto& info) { return info.param.name; });

TEST(OnnxImport, ConvNetFoldsBatchNormFusesActivationsAndUsesDepthwise) {
  OnnxImportSummary s;
  const Graph g = tools::import_onnx_file(fixture("conv_net.onnx"), {}, &s);
  EXPECT_EQ(s.batch_norms, 2);
  EXPECT_EQ(s.affine_folded, 4);  // each BatchNormalization was a MUL and an ADD
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::MUL), 0);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::ADD), 0);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::RELU), 0);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::RELU6), 0);
  EXPECT_EQ(s.activations_fused, 3);  // PyTorch's relu6 is Relu then Clip: one RELU6
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::DEPTHWISE_CONV_2D), 1);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::CONV_2D), 2);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::FULLY_CONNECTED), 1);
  for (const tools::GraphOp& op : g.ops) EXPECT_EQ(op.version, 1) << tools::op_name(op);
  for (const tools::GraphOp& op : g.ops) {
    if (op.code == tflite::BuiltinOperator::DEPTHWISE_CONV_2D) {
      // Stride 2 with pads (1, 1): not TFLite's SAME split, so an explicit PAD and VALID.
      EXPECT_EQ(op.options.AsDepthwiseConv2DOptions()->padding, tflite::Padding::VALID);
      EXPECT_EQ(op.options.AsDepthwiseConv2DOptions()->fused_activation_function,
                tflite::ActivationFunctionType::RELU6);
    }
  }
}

TEST(OnnxImport, MlpDropsDropoutAndFoldsBatchNormIntoTheDenseLayer) {
  OnnxImportSummary s;
  const Graph g = tools::import_onnx_file(fixture("mlp.onnx"), {}, &s);
  EXPECT_EQ(s.nodes_dropped, 1);
  EXPECT_EQ(s.affine_folded, 2);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::FULLY_CONNECTED), 3);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::LOGISTIC), 1);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::TANH), 1);
  EXPECT_EQ(g.ops.size(), 5u);
}

TEST(OnnxImport, ListsEveryUnsupportedOpWithItsNodes) {
  try {
    tools::import_onnx_file(fixture("unsupported_ops.onnx"));
    FAIL() << "imported a model with Resize and Erf";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("Resize (nodes '/Resize', '/Resize_1')"), std::string::npos) << m;
    EXPECT_NE(m.find("Erf (node '/Erf')"), std::string::npos) << m;
  }
}

TEST(OnnxImport, RefusesDynamicShapesWithAnExportHint) {
  try {
    tools::import_onnx_file(fixture("dynamic_batch.onnx"));
    FAIL() << "imported a model with a dynamic batch";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("dynamic dimension 'batch'"), std::string::npos) << m;
    EXPECT_NE(m.find("without dynamic_axes"), std::string::npos) << m;
  }
}

TEST(OnnxImport, MalformedFilesGiveClearErrors) {
  const tools::AlignedBuffer good = tools::read_file(fixture("conv_net.onnx"));
  const std::vector<std::uint8_t> all(good.bytes().begin(), good.bytes().end());
  auto message = [](std::span<const std::uint8_t> bytes) {
    try {
      tools::import_onnx(bytes, "m.onnx");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("(imported)");
  };
  EXPECT_NE(message({}).find("empty"), std::string::npos);
  const std::vector<std::uint8_t> junk(300, 0xFF);
  EXPECT_NE(message(junk).find("not an ONNX model"), std::string::npos) << message(junk);
  // Every truncation is refused or imports (a protobuf may end at a field boundary); none crashes.
  int refused = 0;
  for (std::size_t n = 1; n < all.size(); n += 97) {
    if (message(std::span(all.data(), n)) != "(imported)") ++refused;
  }
  EXPECT_GT(refused, 0);
  // A tflite file is not an ONNX model.
  const tools::AlignedBuffer tflite =
      tools::read_file(golden_dir() / "models" / "hello_world_float.tflite");
  EXPECT_NE(message(tflite.bytes()).find(""), std::string::npos);
  EXPECT_NE(message(tflite.bytes()), "(imported)");
}

}  // namespace
}  // namespace mote::testing

namespace mote::testing {
namespace {

// Seeded byte mutations of every fixture: the importer (and the writer's verification after it)
// either succeeds or throws; it never crashes, hangs or reads out of bounds (run under ASan by
// scripts/test.sh).
TEST(OnnxImport, MutatedModelsNeverCrash) {
  std::uint64_t state = 0x6d6f7465;  // "mote"
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(state >> 33);
  };
  int imported = 0, refused = 0;
  for (const Fixture& f : fixtures()) {
    const tools::AlignedBuffer original = tools::read_file(fixture(f.name + ".onnx"));
    for (int m = 0; m < 150; ++m) {
      std::vector<std::uint8_t> bytes(original.bytes().begin(), original.bytes().end());
      const int flips = 1 + static_cast<int>(next() % 4);
      for (int k = 0; k < flips; ++k) {
        bytes[next() % bytes.size()] = static_cast<std::uint8_t>(next());
      }
      try {
        const Graph g = tools::import_onnx(bytes, "mutated");
        tools::write_tflite(g);
        ++imported;
      } catch (const std::exception&) {
        ++refused;
      }
    }
  }
  std::printf("[ figures  ] mutated models: %d imported, %d refused\n", imported, refused);
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace mote::testing

namespace mote::testing {
namespace {

TEST(OnnxImport, OlderOpsetFormsBecomeTheSameOps) {
  // Opset 9 writes relu6 as Relu then Clip(max=6): still one fused RELU6.
  OnnxImportSummary s9, s13;
  tools::import_onnx_file(fixture("conv_net_opset9.onnx"), {}, &s9);
  tools::import_onnx_file(fixture("conv_net.onnx"), {}, &s13);
  EXPECT_EQ(s9.ops, s13.ops);
  // Opset 12 writes HardSwish as x * HardSigmoid(x): one HARD_SWISH, no MUL/ADD/RELU_0_TO_1.
  const Graph g = tools::import_onnx_file(fixture("hardswish_opset12.onnx"));
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::HARD_SWISH), 1);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::MUL), 0);
  EXPECT_EQ(count_ops(g, tflite::BuiltinOperator::RELU_0_TO_1), 0);
}

}  // namespace
}  // namespace mote::testing
