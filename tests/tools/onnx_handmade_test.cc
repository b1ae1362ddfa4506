// The ONNX importer on small graphs built here with the protobuf API: cases PyTorch rarely
// exports (a Flatten of NHWC data as the model output, refusals of ops the runtime cannot run),
// with expected values that follow from the construction.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cstring>
#include <string>
#include <vector>

#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/onnx/onnx_import.h"

namespace mote::testing {
namespace {

class OnnxBuilder {
 public:
  OnnxBuilder() {
    model_.set_ir_version(7);
    model_.set_producer_name("mote test");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    model_.mutable_graph()->set_name("handmade");
  }

  void input(const std::string& name, const std::vector<std::int64_t>& shape) {
    value_info(model_.mutable_graph()->add_input(), name, shape);
  }
  void output(const std::string& name, const std::vector<std::int64_t>& shape) {
    value_info(model_.mutable_graph()->add_output(), name, shape);
  }

  void initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                   const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (auto d : dims) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
  }
  void int_initializer(const std::string& name, const std::vector<std::int64_t>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<std::int64_t>(values.size()));
    for (auto v : values) t->add_int64_data(v);
  }

  onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs) {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(op + "_" + std::to_string(model_.graph().node_size()));
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return n;
  }
  static void ints(onnx::NodeProto* n, const std::string& name, std::vector<std::int64_t> v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  static void integer(onnx::NodeProto* n, const std::string& name, std::int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void text(onnx::NodeProto* n, const std::string& name, const std::string& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
  }

  std::vector<std::uint8_t> bytes() const {
    std::string s = model_.SerializeAsString();
    return std::vector<std::uint8_t>(s.begin(), s.end());
  }

 private:
  static void value_info(onnx::ValueInfoProto* v, const std::string& name,
                         const std::vector<std::int64_t>& shape) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (auto d : shape) t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::ModelProto model_;
};

std::string import_error(const OnnxBuilder& b) {
  try {
    tools::import_onnx(b.bytes(), "handmade.onnx");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(imported)";
}

std::vector<float> run(const tools::Graph& g, const std::vector<float>& input) {
  const auto bytes = tools::write_tflite(g);
  const auto model = tools::LoadedModel::from_bytes(bytes, "handmade");
  tools::HostInterpreter host(*model);
  host.set_input(0, std::span(reinterpret_cast<const std::uint8_t*>(input.data()),
                              input.size() * sizeof(float)));
  host.invoke();
  const auto out = host.output_bytes(0);
  std::vector<float> values(out.size() / sizeof(float));
  std::memcpy(values.data(), out.data(), out.size());
  return values;
}

// 1x1 convolution with identity weights over [1, 2, 2, 3]: the output equals the input.
OnnxBuilder identity_conv() {
  OnnxBuilder b;
  b.input("x", {1, 2, 2, 3});
  b.initializer("w", {2, 2, 1, 1}, {1, 0, 0, 1});
  b.node("Conv", {"x", "w"}, {"y"});
  return b;
}

TEST(OnnxHandmade, FlattenOfNhwcAsModelOutputGetsOneTransposeBeforeIt) {
  OnnxBuilder b = identity_conv();
  b.node("Flatten", {"y"}, {"flat"});
  b.output("flat", {1, 12});
  tools::OnnxImportSummary s;
  const tools::Graph g = tools::import_onnx(b.bytes(), "flatten.onnx", {}, &s);
  EXPECT_EQ(s.transposes, 2);
  EXPECT_EQ(s.transposes_at_inputs, 1);
  EXPECT_EQ(s.transposes_at_outputs, 1);
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[static_cast<std::size_t>(i)] = static_cast<float>(i);
  EXPECT_EQ(run(g, x), x);  // NCHW order again, element for element
}

TEST(OnnxHandmade, FlattenFeedingGemmPermutesWeightsInsteadOfData) {
  OnnxBuilder b = identity_conv();
  b.node("Flatten", {"y"}, {"flat"});
  // Gemm row k picks input element k (NCHW order): weights = identity, so out = flat.
  std::vector<float> eye(144, 0.0f);
  for (int k = 0; k < 12; ++k) eye[static_cast<std::size_t>(k * 12 + k)] = 1.0f;
  b.initializer("fc", {12, 12}, eye);
  OnnxBuilder::integer(b.node("Gemm", {"flat", "fc"}, {"out"}), "transB", 1);
  b.output("out", {1, 12});
  tools::OnnxImportSummary s;
  const tools::Graph g = tools::import_onnx(b.bytes(), "gemm.onnx", {}, &s);
  EXPECT_EQ(s.transposes, 1);  // only after the input
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[static_cast<std::size_t>(i)] = static_cast<float>(i * i);
  EXPECT_EQ(run(g, x), x);
}

TEST(OnnxHandmade, RefusesGroupedConvolutionByName) {
  OnnxBuilder b;
  b.input("x", {1, 4, 3, 3});
  b.initializer("w", {4, 2, 1, 1}, std::vector<float>(8, 1.0f));
  OnnxBuilder::integer(b.node("Conv", {"x", "w"}, {"y"}), "group", 2);
  b.output("y", {1, 4, 3, 3});
  const std::string m = import_error(b);
  EXPECT_NE(m.find("Conv node 'Conv_1'"), std::string::npos) << m;
  EXPECT_NE(m.find("grouped convolution (group 2 of 4 channels)"), std::string::npos) << m;
}

TEST(OnnxHandmade, RefusesClipRangesWithoutAKernel) {
  OnnxBuilder b;
  b.input("x", {1, 4});
  b.initializer("lo", {}, {0.5f});
  b.initializer("hi", {}, {2.0f});
  b.node("Clip", {"x", "lo", "hi"}, {"y"});
  b.output("y", {1, 4});
  EXPECT_NE(import_error(b).find("Clip(0.5, 2) is not supported"), std::string::npos)
      << import_error(b);
}

TEST(OnnxHandmade, RefusesProductsOfTwoComputedTensors) {
  OnnxBuilder b;
  b.input("x", {2, 3});
  b.input("z", {3, 2});
  b.node("MatMul", {"x", "z"}, {"y"});
  b.output("y", {2, 2});
  EXPECT_NE(import_error(b).find("BATCH_MATMUL"), std::string::npos) << import_error(b);
}

TEST(OnnxHandmade, RefusesReflectPadding) {
  OnnxBuilder b;
  b.input("x", {1, 1, 3, 3});
  b.int_initializer("pads", {0, 0, 1, 1, 0, 0, 1, 1});
  OnnxBuilder::text(b.node("Pad", {"x", "pads"}, {"y"}), "mode", "reflect");
  b.output("y", {1, 1, 5, 5});
  EXPECT_NE(import_error(b).find("mode 'reflect' is not supported"), std::string::npos)
      << import_error(b);
}

TEST(OnnxHandmade, ReshapeFromAComputedShapeIsFoldedWhenShapesAreFixed) {
  // y = Reshape(x, Concat(Gather(Shape(x), 0), [-1])): the exporter's x.view(x.size(0), -1).
  OnnxBuilder b;
  b.input("x", {2, 3, 4});
  b.node("Shape", {"x"}, {"s"});
  b.int_initializer("zero", {0});
  b.int_initializer("minus_one", {-1});
  OnnxBuilder::integer(b.node("Gather", {"s", "zero"}, {"n"}), "axis", 0);
  OnnxBuilder::integer(b.node("Concat", {"n", "minus_one"}, {"shape"}), "axis", 0);
  b.node("Reshape", {"x", "shape"}, {"y"});
  b.node("Relu", {"y"}, {"out"});
  b.output("out", {2, 12});
  tools::OnnxImportSummary s;
  const tools::Graph g = tools::import_onnx(b.bytes(), "view.onnx", {}, &s);
  EXPECT_EQ(s.nodes_folded, 3);
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(g.tensors[static_cast<std::size_t>(g.outputs[0])].shape,
            (std::vector<std::int32_t>{2, 12}));
}

}  // namespace
}  // namespace mote::testing
