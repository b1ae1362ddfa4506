// Add, Sub, Mul -> ADD, SUB, MUL, Div by a constant -> MUL (constants permuted to the activation's
// stored order); the activations -> RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1, LEAKY_RELU, LOGISTIC,
// TANH, HARD_SWISH (HardSigmoid -> MUL, ADD, RELU_0_TO_1, and x * HardSigmoid(x) -> HARD_SWISH);
// BatchNormalization -> MUL + ADD by per-channel constants, which the affine
// folding pass then folds into the convolution or fully connected op before it.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "tools/onnx/convert_util.h"
#include "tools/onnx/converters.h"
#include "tools/onnx/shape_rules.h"

namespace mote::tools::onnx_import {
namespace {

tflite::BuiltinOptionsUnion binary_options(tflite::BuiltinOperator code) {
  switch (code) {
    case tflite::BuiltinOperator::ADD:
      return options_of(tflite::AddOptionsT{});
    case tflite::BuiltinOperator::SUB:
      return options_of(tflite::SubOptionsT{});
    default:
      return options_of(tflite::MulOptionsT{});
  }
}

// When `other` is a constant that varies along at most one logical axis of `ref`, and that axis
// is the innermost stored one, a rank-1 constant broadcasts correctly against `ref` as stored:
// the form TFLite's converter gives biases and BatchNormalization factors.
bool is_channel_vector(const Value& ref, const Shape& ref_stored, const Value& other,
                       const Shape& aligned) {
  if (!other.constant || ref.tensor < 0) return false;
  if (other.constant->elements() == 1) return true;
  if (ref_stored.empty() ||
      ref_stored.back() != static_cast<std::int32_t>(other.constant->elements())) {
    return false;
  }
  int varying = -1;
  for (std::size_t i = 0; i < aligned.size(); ++i) {
    if (aligned[i] == 1) continue;
    if (varying >= 0) return false;
    varying = static_cast<int>(i);
  }
  if (varying < 0) return true;
  const Shape flat = ref.layout.flat();
  std::int32_t start = 0;
  for (int i = 0; i < varying; ++i)
    start += static_cast<std::int32_t>(ref.layout.split[static_cast<std::size_t>(i)].size());
  // The last non-trivial stored sub-axis must be the varying axis, unsplit.
  for (auto p = ref.layout.perm.rbegin(); p != ref.layout.perm.rend(); ++p) {
    if (flat[static_cast<std::size_t>(*p)] == 1) continue;
    const std::int32_t end =
        start +
        static_cast<std::int32_t>(ref.layout.split[static_cast<std::size_t>(varying)].size());
    if (*p < start || *p >= end ||
        flat[static_cast<std::size_t>(*p)] != aligned[static_cast<std::size_t>(varying)])
      return false;
    break;
  }
  return true;
}

}  // namespace

// Emits `code` (ADD, SUB, MUL) of a and b with ONNX broadcasting; returns the result (unnamed).
Value emit_binary(Importer& im, tflite::BuiltinOperator code, Value& a, Value& b,
                  const std::string& name) {
  const Shape out = broadcast_shapes(a.shape, b.shape);
  auto aligned = [&](const Value& v) {
    Shape s(out.size() - v.shape.size(), 1);
    s.insert(s.end(), v.shape.begin(), v.shape.end());
    return s;
  };
  // The reference operand gives the result's layout: a computed one of the full shape, preferably
  // not in plain order (that is the one carrying NHWC).
  Value* ref = nullptr;
  for (Value* v : {&a, &b}) {
    if (v->tensor < 0 || v->shape != out) continue;
    if (ref == nullptr || (is_identity_order(ref->layout) && !is_identity_order(v->layout)))
      ref = v;
  }
  std::int32_t ta, tb;
  Value result;
  result.shape = out;
  if (ref != nullptr) {
    Value& other = ref == &a ? b : a;
    const Shape other_aligned = aligned(other);
    std::int32_t tr, to;
    if (is_channel_vector(*ref, im.tensor(ref->tensor).shape, other, other_aligned)) {
      tr = ref->tensor;
      const auto n = static_cast<std::int32_t>(other.constant->elements());
      to = im.add_float_constant(other.name, {n}, to_floats(other.constant->values));
      result.layout = ref->layout;
    } else {
      const Shape s = direct_shape(ref->layout);
      tr = im.stored(*ref, ref->layout, s);
      Value o = im.reshaped(other, other_aligned);
      o.name = other.name;
      Layout target = ref->layout;
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (other_aligned[i] != out[i]) target.split[i].assign(target.split[i].size(), 1);
      }
      to = im.stored(o, target, direct_shape(target));
      result.layout = ref->layout;
    }
    ta = ref == &a ? tr : to;
    tb = ref == &a ? to : tr;
  } else {
    // Both operands broadcast: work in plain order.
    Value pa = im.reshaped(a, aligned(a)), pb = im.reshaped(b, aligned(b));
    pa.name = a.name;
    pb.name = b.name;
    ta = im.stored(pa, identity_layout(pa.shape), pa.shape);
    tb = im.stored(pb, identity_layout(pb.shape), pb.shape);
    result.layout = identity_layout(out);
  }
  const Shape& sa = im.tensor(ta).shape;
  const Shape& sb = im.tensor(tb).shape;
  result.tensor = im.add_tensor(name, broadcast_shapes(sa, sb));
  im.emit(code, {ta, tb}, {result.tensor}, binary_options(code));
  return result;
}

namespace {

void convert_binary(Importer& im, tflite::BuiltinOperator code) {
  Value& a = im.input(0);
  Value& b = im.input(1);
  if (a.tensor < 0 && b.tensor < 0)
    im.fail("both operands are constants (this should have folded)");
  const ConstantValue* c = a.tensor < 0 ? &*a.constant : b.tensor < 0 ? &*b.constant : nullptr;
  if (c && !c->is_float()) im.fail("a constant operand is " + elem_type_name(c->elem_type));
  im.define_output(0, emit_binary(im, code, a, b, im.output_name(0)));
}

// Div by a constant is MUL by its reciprocal (mote's runtime has no DIV kernel); the product
// differs from the quotient by at most one rounding.
void convert_div(Importer& im) {
  Value& a = im.input(0);
  Value& b = im.input(1);
  if (b.tensor >= 0 || !b.constant || !b.constant->is_float()) {
    im.fail("the divisor must be a float constant (mote's runtime has no DIV kernel)");
  }
  Value reciprocal = b;
  reciprocal.forms.clear();
  for (double& v : reciprocal.constant->values) {
    if (v == 0.0) im.fail("divides by a constant zero");
    v = 1.0 / v;
  }
  im.define_output(0,
                   emit_binary(im, tflite::BuiltinOperator::MUL, a, reciprocal, im.output_name(0)));
}

void convert_add(Importer& im) { convert_binary(im, tflite::BuiltinOperator::ADD); }
void convert_sub(Importer& im) { convert_binary(im, tflite::BuiltinOperator::SUB); }

// A unary op of the same shape and layout as `x`; returns the result (unnamed).
Value emit_unary_on(Importer& im, Value& x, tflite::BuiltinOperator code, const std::string& name,
                    tflite::BuiltinOptionsUnion options = {}) {
  if (x.tensor < 0) im.fail("the input is a constant");
  Value result;
  result.shape = x.shape;
  result.layout = x.layout;
  result.tensor = im.add_tensor(name, im.tensor(x.tensor).shape);
  im.emit(code, {x.tensor}, {result.tensor}, std::move(options));
  using B = tflite::BuiltinOperator;
  result.nonnegative =
      code == B::RELU || code == B::RELU6 || code == B::RELU_0_TO_1 || code == B::LOGISTIC;
  return result;
}

void emit_unary(Importer& im, tflite::BuiltinOperator code,
                tflite::BuiltinOptionsUnion options = {}) {
  im.define_output(0, emit_unary_on(im, im.input(0), code, im.output_name(0), std::move(options)));
}

void convert_mul(Importer& im) {
  Value& a = im.input(0);
  Value& b = im.input(1);
  // x * HardSigmoid(x) with alpha 1/6 and beta 1/2 is HardSwish (the HardSigmoid's own ops
  // become dead and are removed).
  for (auto [x, gate] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
    if (!gate->hard_sigmoid_of.empty() && gate->hard_sigmoid_of == x->name) {
      im.define_output(0,
                       emit_unary_on(im, *x, tflite::BuiltinOperator::HARD_SWISH, im.output_name(0),
                                     options_of(tflite::HardSwishOptionsT{})));
      return;
    }
  }
  convert_binary(im, tflite::BuiltinOperator::MUL);
}

// HardSigmoid = clamp(alpha * x + beta, 0, 1): MUL, ADD and RELU_0_TO_1.
void convert_hard_sigmoid(Importer& im) {
  Value& x = im.input(0);
  const double alpha = im.attributes().f("alpha", 0.2f);
  const double beta = im.attributes().f("beta", 0.5f);
  auto scalar = [&](const std::string& name, double v) {
    Value c;
    c.name = name;
    c.shape = {};
    c.layout = identity_layout({});
    c.constant =
        ConstantValue{onnx::TensorProto::FLOAT, {}, {static_cast<double>(static_cast<float>(v))}};
    return c;
  };
  const std::string name = im.output_name(0);
  Value a = scalar(name + "/alpha", alpha), b = scalar(name + "/beta", beta);
  Value scaled = emit_binary(im, tflite::BuiltinOperator::MUL, x, a, name + "/scaled");
  Value shifted = emit_binary(im, tflite::BuiltinOperator::ADD, scaled, b, name + "/shifted");
  Value result = emit_unary_on(im, shifted, tflite::BuiltinOperator::RELU_0_TO_1, name);
  if (std::fabs(alpha - 1.0 / 6.0) < 1e-6 && beta == 0.5) result.hard_sigmoid_of = x.name;
  im.define_output(0, result);
}

void convert_relu(Importer& im) { emit_unary(im, tflite::BuiltinOperator::RELU); }
void convert_sigmoid(Importer& im) { emit_unary(im, tflite::BuiltinOperator::LOGISTIC); }
void convert_tanh(Importer& im) { emit_unary(im, tflite::BuiltinOperator::TANH); }
void convert_hard_swish(Importer& im) {
  emit_unary(im, tflite::BuiltinOperator::HARD_SWISH, options_of(tflite::HardSwishOptionsT{}));
}
void convert_leaky_relu(Importer& im) {
  tflite::LeakyReluOptionsT o;
  o.alpha = im.attributes().f("alpha", 0.01f);
  emit_unary(im, tflite::BuiltinOperator::LEAKY_RELU, options_of(o));
}

void convert_clip(Importer& im) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double lo = -kInf, hi = kInf;
  if (im.opset() < 11) {
    lo = im.attributes().f("min", -std::numeric_limits<float>::max());
    hi = im.attributes().f("max", std::numeric_limits<float>::max());
  } else {
    if (im.has_input(1)) lo = float_constant(im, 1, "min").at(0);
    if (im.has_input(2)) hi = float_constant(im, 2, "max").at(0);
  }
  if (lo <= -std::numeric_limits<float>::max()) lo = -kInf;
  if (hi >= std::numeric_limits<float>::max()) hi = kInf;
  // No lower bound on a value that is never negative is a lower bound of 0 (PyTorch writes
  // relu6 as Relu then Clip(max=6) before opset 11).
  if (lo == -kInf && im.input(0).nonnegative) lo = 0;
  if (lo == -kInf && hi == kInf) {
    im.define_output(0, im.input(0));
    ++im.summary().nodes_dropped;
  } else if (lo == 0 && hi == kInf) {
    emit_unary(im, tflite::BuiltinOperator::RELU);
  } else if (lo == 0 && hi == 6) {
    emit_unary(im, tflite::BuiltinOperator::RELU6);
  } else if (lo == -1 && hi == 1) {
    emit_unary(im, tflite::BuiltinOperator::RELU_N1_TO_1);
  } else if (lo == 0 && hi == 1) {
    emit_unary(im, tflite::BuiltinOperator::RELU_0_TO_1);
  } else {
    im.fail(
        fmt::format("Clip({}, {}) is not supported: mote's runtime has RELU (0, inf), RELU6 "
                    "(0, 6), RELU_N1_TO_1 (-1, 1) and RELU_0_TO_1 (0, 1), but no MINIMUM/MAXIMUM",
                    lo, hi));
  }
}

void convert_batch_norm(Importer& im) {
  Value& x = im.input(0);
  if (im.attributes().i("training_mode", 0) != 0 || im.output_used(1) || im.output_used(2)) {
    im.fail("is in training mode; export the model after model.eval()");
  }
  if (x.shape.size() < 2) im.fail("input needs a channel axis");
  const std::int32_t c = x.shape[1];
  const auto scale = float_constant(im, 1, "scale"), bias = float_constant(im, 2, "B");
  const auto mean = float_constant(im, 3, "mean"), var = float_constant(im, 4, "var");
  for (const auto* v : {&scale, &bias, &mean, &var}) {
    if (static_cast<std::int32_t>(v->size()) != c) {
      im.fail(fmt::format("parameters have {} values for {} channels", v->size(), c));
    }
  }
  const double epsilon = im.attributes().f("epsilon", 1e-5f);
  Shape param_shape(x.shape.size(), 1);
  param_shape[1] = c;
  Value mul, add;
  mul.shape = add.shape = param_shape;
  mul.layout = add.layout = identity_layout(param_shape);
  mul.constant = ConstantValue{onnx::TensorProto::FLOAT, param_shape, {}};
  add.constant = mul.constant;
  for (std::int32_t k = 0; k < c; ++k) {
    const auto i = static_cast<std::size_t>(k);
    const double a = scale[i] / std::sqrt(var[i] + epsilon);
    mul.constant->values.push_back(static_cast<float>(a));
    add.constant->values.push_back(static_cast<float>(bias[i] - mean[i] * a));
  }
  const std::string name = im.output_name(0);
  mul.name = name + "/bn_scale";
  add.name = name + "/bn_offset";
  Value scaled = emit_binary(im, tflite::BuiltinOperator::MUL, x, mul, name + "/scaled");
  im.define_output(0, emit_binary(im, tflite::BuiltinOperator::ADD, scaled, add, name));
  ++im.summary().batch_norms;
}

}  // namespace

void register_elementwise_converters(ConverterTable& table) {
  table["Add"] = convert_add;
  table["Sub"] = convert_sub;
  table["Mul"] = convert_mul;
  table["Div"] = convert_div;
  table["Relu"] = convert_relu;
  table["Sigmoid"] = convert_sigmoid;
  table["Tanh"] = convert_tanh;
  table["HardSwish"] = convert_hard_swish;
  table["LeakyRelu"] = convert_leaky_relu;
  table["Clip"] = convert_clip;
  table["HardSigmoid"] = convert_hard_sigmoid;
  table["BatchNormalization"] = convert_batch_norm;
}

}  // namespace mote::tools::onnx_import
