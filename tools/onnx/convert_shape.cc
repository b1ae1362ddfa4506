// Flatten, Reshape, Squeeze, Unsqueeze and Transpose change only the logical view (no op: the
// stored bytes stay, their layout says how to read them); Concat, Pad and Softmax work on the
// order the data is stored in, with axes and pads permuted to match; Identity and Dropout vanish.
#include <fmt/format.h>

#include <algorithm>

#include "tools/onnx/convert_util.h"
#include "tools/onnx/converters.h"
#include "tools/onnx/shape_rules.h"

namespace mote::tools::onnx_import {
namespace {

void define_view(Importer& im, const Shape& shape) {
  Value& x = im.input(0);
  im.define_output(0, im.reshaped(x, shape));
}

void convert_flatten(Importer& im) {
  define_view(im, flatten_shape(im.input(0).shape, im.attributes().i("axis", 1)));
}

void convert_reshape(Importer& im) {
  const Shape& in = im.input(0).shape;
  if (!im.input(1).constant) {
    im.fail(
        "the target shape is computed at run time; mote needs fixed shapes: export with a "
        "fixed-size example input and without dynamic_axes");
  }
  define_view(im, reshape_target(in, im.constant_input(1, "shape").as_ints(),
                                 im.attributes().i("allowzero", 0) != 0));
}

void convert_squeeze(Importer& im) {
  define_view(im, squeeze_shape(im.input(0).shape, axes_argument(im, 1, "axes")));
}

void convert_unsqueeze(Importer& im) {
  define_view(im, unsqueeze_shape(im.input(0).shape, axes_argument(im, 1, "axes")));
}

void convert_transpose(Importer& im) {
  Value& x = im.input(0);
  std::vector<std::int32_t> perm;
  for (std::int64_t p : im.attributes().ints("perm"))
    perm.push_back(normalize_axis(p, x.shape.size()));
  if (perm.empty()) {
    for (std::size_t d = x.shape.size(); d-- > 0;) perm.push_back(static_cast<std::int32_t>(d));
  }
  std::vector<std::int32_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] != static_cast<std::int32_t>(i) || sorted.size() != x.shape.size()) {
      im.fail("perm is not a permutation of the input's axes");
    }
  }
  Value out;
  for (std::int32_t p : perm) out.shape.push_back(x.shape[static_cast<std::size_t>(p)]);
  out.tensor = x.tensor;
  out.layout = transposed_layout(x.layout, perm);
  im.define_output(0, out);
}

void convert_identity(Importer& im) {
  im.define_output(0, im.input(0));
  ++im.summary().nodes_dropped;
}

void convert_dropout(Importer& im) {
  if (im.output_used(1)) im.fail("its mask output is used; mote drops Dropout at inference");
  if (im.has_input(2)) {
    const ConstantValue& training = im.constant_input(2, "training_mode");
    if (training.values.at(0) != 0) im.fail("is in training mode; export after model.eval()");
  }
  convert_identity(im);
}

void convert_concat(Importer& im) {
  const int n = im.node().input_size();
  std::vector<Value*> inputs;
  Value* ref = nullptr;
  for (int i = 0; i < n; ++i) {
    Value* v = &im.input(static_cast<std::size_t>(i));
    inputs.push_back(v);
    if (v->tensor >= 0 &&
        (ref == nullptr || (is_identity_order(ref->layout) && !is_identity_order(v->layout)))) {
      ref = v;
    }
  }
  const std::size_t rank = inputs[0]->shape.size();
  const auto axis = static_cast<std::size_t>(normalize_axis(im.attributes().i("axis", 0), rank));
  Shape out = inputs[0]->shape;
  out[axis] = 0;
  for (Value* v : inputs) {
    if (v->shape.size() != rank) im.fail("inputs have different ranks");
    for (std::size_t d = 0; d < rank; ++d) {
      if (d != axis && v->shape[d] != out[d]) {
        im.fail(fmt::format("input shapes {} and {} differ off the concat axis",
                            shape_text(inputs[0]->shape), shape_text(v->shape)));
      }
    }
    out[axis] += v->shape[axis];
    if (v->constant && !v->constant->is_float()) im.fail("a constant input is not float");
  }
  // Concatenate in the reference's own layout when the concat axis is one stored dimension of it;
  // else in its natural axis order.
  Layout base;
  if (ref->layout.split[axis].size() == 1) {
    base = ref->layout;
  } else {
    base = permuted_layout(ref->shape, im.natural_order(*ref));
  }
  std::int32_t axis_flat = 0;
  for (std::size_t d = 0; d < axis; ++d)
    axis_flat += static_cast<std::int32_t>(base.split[d].size());
  const auto stored_axis = static_cast<std::int32_t>(
      std::find(base.perm.begin(), base.perm.end(), axis_flat) - base.perm.begin());
  std::vector<std::int32_t> tensors;
  for (Value* v : inputs) {
    Layout target = base;
    target.split[axis] = {v->shape[axis]};
    tensors.push_back(im.stored(*v, target, direct_shape(target)));
  }
  Layout layout = base;
  layout.split[axis] = {out[axis]};
  const std::int32_t output = im.add_tensor(im.output_name(0), direct_shape(layout));
  tflite::ConcatenationOptionsT o;
  o.axis = stored_axis;
  im.emit(tflite::BuiltinOperator::CONCATENATION, tensors, {output}, options_of(o));
  im.define_output(0, out, output, layout);
}

void convert_pad(Importer& im) {
  Value& x = im.input(0);
  const std::string mode = im.attributes().s("mode", "constant");
  if (mode != "constant") {
    im.fail(
        fmt::format("mode '{}' is not supported (mote's runtime pads with a constant only)", mode));
  }
  std::vector<std::int64_t> pads;
  double value = 0.0;
  if (im.opset() < 11) {
    pads = im.attributes().ints("pads");
    value = im.attributes().f("value", 0.0f);
  } else {
    if (!im.input(1).constant) im.fail("pads are computed at run time; mote needs them constant");
    pads = im.constant_input(1, "pads").as_ints();
    if (im.has_input(2)) value = float_constant(im, 2, "constant_value").at(0);
    if (im.has_input(3)) im.fail("the axes input is not supported");
  }
  const std::size_t rank = x.shape.size();
  if (pads.size() != 2 * rank) im.fail(fmt::format("has {} pads for rank {}", pads.size(), rank));
  bool zero = true;
  for (std::int64_t p : pads) {
    if (p < 0) im.fail("negative pads (cropping) are not supported");
    zero = zero && p == 0;
  }
  if (zero) {
    convert_identity(im);
    return;
  }
  const std::vector<std::int32_t> order = im.natural_order(x);
  const std::int32_t input = im.stored_in_order(x, order);
  std::vector<std::int32_t> paddings;
  Shape out = x.shape;
  for (std::size_t a = 0; a < rank; ++a)
    out[a] += static_cast<std::int32_t>(pads[a] + pads[a + rank]);
  for (std::int32_t a : order) {
    paddings.push_back(static_cast<std::int32_t>(pads[static_cast<std::size_t>(a)]));
    paddings.push_back(static_cast<std::int32_t>(pads[static_cast<std::size_t>(a) + rank]));
  }
  const Layout layout = permuted_layout(out, order);
  const std::string name = im.output_name(0);
  const std::int32_t output = im.add_tensor(name, direct_shape(layout));
  const std::int32_t pad_tensor =
      im.add_int32_constant(name + "/paddings", {static_cast<std::int32_t>(rank), 2}, paddings);
  if (value == 0.0) {
    im.emit(tflite::BuiltinOperator::PAD, {input, pad_tensor}, {output},
            options_of(tflite::PadOptionsT{}));
  } else {
    im.emit(tflite::BuiltinOperator::PADV2,
            {input, pad_tensor,
             im.add_float_constant(name + "/value", {1}, {static_cast<float>(value)})},
            {output});
  }
  im.define_output(0, out, output, layout);
}

// SOFTMAX over logical `axis` of `x`: in the stored order when the axis is innermost there.
Value softmax(Importer& im, Value& x, std::size_t axis, const std::string& name) {
  std::vector<std::int32_t> order = im.natural_order(x);
  const auto at = std::find(order.begin(), order.end(), static_cast<std::int32_t>(axis));
  const bool only_unit_after = std::all_of(at + 1, order.end(), [&](std::int32_t a) {
    return x.shape[static_cast<std::size_t>(a)] == 1;
  });
  if (!only_unit_after) {
    im.note(
        fmt::format("Softmax '{}': its axis is not innermost in storage; a TRANSPOSE makes it so",
                    im.node().name()));
  }
  order.erase(at);
  order.push_back(static_cast<std::int32_t>(axis));
  const Layout target = permuted_layout(x.shape, order);
  Value result;
  result.shape = x.shape;
  std::int32_t input;
  const auto r = reorder_between(x.layout, target);
  if (x.tensor >= 0 && r && r->is_reshape() && im.tensor(x.tensor).shape.back() == x.shape[axis]) {
    input = x.tensor;  // already innermost: softmax the stored tensor as it is
    result.layout = x.layout;
  } else {
    input = im.stored(x, target, direct_shape(target));
    result.layout = target;
  }
  result.tensor = im.add_tensor(name, im.tensor(input).shape);
  tflite::SoftmaxOptionsT o;
  o.beta = 1.0f;
  im.emit(tflite::BuiltinOperator::SOFTMAX, {input}, {result.tensor}, options_of(o));
  return result;
}

void convert_softmax(Importer& im) {
  Value& x = im.input(0);
  if (x.tensor < 0) im.fail("the input is a constant");
  const std::size_t rank = x.shape.size();
  const std::int64_t axis_arg = im.attributes().i("axis", im.opset() < 13 ? 1 : -1);
  const auto axis = static_cast<std::size_t>(normalize_axis(axis_arg, rank));
  if (im.opset() >= 13 || axis + 1 == rank) {
    im.define_output(0, softmax(im, x, axis, im.output_name(0)));
    return;
  }
  // Before opset 13 Softmax normalises over all axes from `axis` on, as one flattened axis.
  Value flat = im.reshaped(x, flatten_shape(x.shape, static_cast<std::int64_t>(axis)));
  flat.name = x.name;
  Value result = softmax(im, flat, 1, im.output_name(0));
  im.define_output(0, im.reshaped(result, x.shape));
}

}  // namespace

void register_shape_converters(ConverterTable& table) {
  table["Flatten"] = convert_flatten;
  table["Reshape"] = convert_reshape;
  table["Squeeze"] = convert_squeeze;
  table["Unsqueeze"] = convert_unsqueeze;
  table["Transpose"] = convert_transpose;
  table["Identity"] = convert_identity;
  table["Dropout"] = convert_dropout;
  table["Concat"] = convert_concat;
  table["Pad"] = convert_pad;
  table["Softmax"] = convert_softmax;
}

}  // namespace mote::tools::onnx_import
