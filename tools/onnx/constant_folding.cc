// Shape arithmetic that exporters leave in graphs (Shape -> Gather -> Unsqueeze -> Concat ->
// Reshape, or a Pad's pads computed by ConstantOfShape, Slice and Transpose) is evaluated at
// import time: with fixed input shapes every such value is a constant.
#include <fmt/format.h>

#include <cmath>
#include <set>
#include <stdexcept>

#include "tools/onnx/convert_util.h"
#include "tools/onnx/shape_rules.h"

namespace mote::tools::onnx_import {
namespace {

using onnx::TensorProto;

// Import-time values are shape arithmetic and small tables; anything larger is a broken model.
constexpr std::int64_t kMaxFoldedElements = std::int64_t{1} << 26;

std::vector<std::int64_t> strides_of(const Shape& shape) {
  std::vector<std::int64_t> stride(shape.size(), 1);
  for (std::size_t d = shape.size(); d-- > 1;) stride[d - 1] = stride[d] * shape[d];
  return stride;
}

// Calls f(output flat index, output multi-index) for every element of `shape`.
template <typename F>
void for_each_index(const Shape& shape, F f) {
  const std::int64_t n = element_count(shape);
  std::vector<std::int32_t> index(shape.size(), 0);
  for (std::int64_t k = 0; k < n; ++k) {
    f(k, index);
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

ConstantValue make(std::int32_t type, Shape shape, std::vector<double> values) {
  ConstantValue c;
  c.elem_type = type;
  c.shape = std::move(shape);
  c.values = std::move(values);
  return c;
}

void define_constant(Importer& im, std::size_t output, ConstantValue c) {
  Value v;
  v.shape = c.shape;
  v.layout = identity_layout(c.shape);
  v.constant = std::move(c);
  im.define_output(output, std::move(v));
}

double round_to_type(double v, std::int32_t type) {
  switch (type) {
    case TensorProto::FLOAT:
      return static_cast<double>(static_cast<float>(v));
    case TensorProto::DOUBLE:
      return v;
    case TensorProto::BOOL:
      return v != 0.0 ? 1.0 : 0.0;
    default:
      return std::trunc(v);
  }
}

void check_size(const Shape& shape) {
  if (element_count(shape) > kMaxFoldedElements) {
    throw std::runtime_error("the constant would be too large to evaluate at import");
  }
}

ConstantValue binary(const ConstantValue& a, const ConstantValue& b, const std::string& op) {
  const Shape out = broadcast_shapes(a.shape, b.shape);
  check_size(out);
  const auto sa = strides_of(a.shape), sb = strides_of(b.shape);
  std::vector<double> values(static_cast<std::size_t>(element_count(out)));
  const bool integer = !a.is_float();
  for_each_index(out, [&](std::int64_t k, const std::vector<std::int32_t>& index) {
    std::int64_t ia = 0, ib = 0;
    for (std::size_t d = 0; d < out.size(); ++d) {
      const std::size_t da = d + a.shape.size(), db = d + b.shape.size();
      if (da >= out.size() && a.shape[da - out.size()] != 1) ia += index[d] * sa[da - out.size()];
      if (db >= out.size() && b.shape[db - out.size()] != 1) ib += index[d] * sb[db - out.size()];
    }
    const double x = a.values[static_cast<std::size_t>(ia)],
                 y = b.values[static_cast<std::size_t>(ib)];
    double r = 0;
    if (op == "Add") r = x + y;
    if (op == "Sub") r = x - y;
    if (op == "Mul") r = x * y;
    if (op == "Div") {
      if (integer && y == 0) throw std::runtime_error("integer division by zero");
      r = integer ? std::trunc(x / y) : x / y;
    }
    values[static_cast<std::size_t>(k)] = round_to_type(r, a.elem_type);
  });
  return make(a.elem_type, out, values);
}

ConstantValue gather(const ConstantValue& data, const ConstantValue& indices,
                     std::int64_t axis_arg) {
  const auto axis = static_cast<std::size_t>(normalize_axis(axis_arg, data.shape.size()));
  Shape out(data.shape.begin(), data.shape.begin() + static_cast<std::ptrdiff_t>(axis));
  out.insert(out.end(), indices.shape.begin(), indices.shape.end());
  out.insert(out.end(), data.shape.begin() + static_cast<std::ptrdiff_t>(axis) + 1,
             data.shape.end());
  check_size(out);
  const auto stride = strides_of(data.shape);
  std::vector<double> values(static_cast<std::size_t>(element_count(out)));
  const std::size_t ir = indices.shape.size();
  const auto istride = strides_of(indices.shape);
  for_each_index(out, [&](std::int64_t k, const std::vector<std::int32_t>& index) {
    std::int64_t flat_index = 0;
    for (std::size_t d = 0; d < ir; ++d) flat_index += index[axis + d] * istride[d];
    auto i = static_cast<std::int64_t>(indices.values[static_cast<std::size_t>(flat_index)]);
    if (i < 0) i += data.shape[axis];
    if (i < 0 || i >= data.shape[axis]) {
      throw std::runtime_error(fmt::format("gather index {} is out of range", i));
    }
    std::int64_t source = i * stride[axis];
    for (std::size_t d = 0; d < axis; ++d) source += index[d] * stride[d];
    for (std::size_t d = axis + 1; d < data.shape.size(); ++d)
      source += index[d - 1 + ir] * stride[d];
    values[static_cast<std::size_t>(k)] = data.values[static_cast<std::size_t>(source)];
  });
  return make(data.elem_type, out, values);
}

ConstantValue slice(Importer& im, const ConstantValue& data) {
  const std::size_t rank = data.shape.size();
  std::vector<std::int64_t> starts, ends, axes, steps;
  if (im.opset() < 10) {
    starts = im.attributes().ints("starts");
    ends = im.attributes().ints("ends");
    axes = im.attributes().ints("axes");
  } else {
    starts = im.constant_input(1, "starts").as_ints();
    ends = im.constant_input(2, "ends").as_ints();
    if (im.has_input(3)) axes = im.constant_input(3, "axes").as_ints();
    if (im.has_input(4)) steps = im.constant_input(4, "steps").as_ints();
  }
  if (axes.empty()) {
    for (std::size_t a = 0; a < starts.size(); ++a) axes.push_back(static_cast<std::int64_t>(a));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  std::vector<std::int64_t> begin(rank, 0), step(rank, 1);
  Shape out = data.shape;
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const auto a = static_cast<std::size_t>(normalize_axis(axes[k], rank));
    const std::int64_t dim = data.shape[a];
    const std::int64_t s = steps[k];
    if (s == 0) throw std::runtime_error("slice step is 0");
    // ONNX: with a positive step both clamp to [0, dim]; with a negative one the start clamps
    // to [0, dim - 1] and the end to [-1, dim - 1].
    auto clamp = [&](std::int64_t v, bool is_end) {
      if (v < 0) v += dim;
      if (s > 0) return std::clamp<std::int64_t>(v, 0, dim);
      return std::clamp<std::int64_t>(v, is_end ? -1 : 0, dim - 1);
    };
    const std::int64_t b = clamp(starts[k], false);
    const std::int64_t e = clamp(ends[k], true);
    const std::int64_t count = s > 0 ? std::max<std::int64_t>(0, (e - b + s - 1) / s)
                                     : std::max<std::int64_t>(0, (b - e - s - 1) / -s);
    begin[a] = b;
    step[a] = s;
    out[a] = static_cast<std::int32_t>(count);
  }
  const auto stride = strides_of(data.shape);
  std::vector<double> values(static_cast<std::size_t>(element_count(out)));
  for_each_index(out, [&](std::int64_t k, const std::vector<std::int32_t>& index) {
    std::int64_t source = 0;
    for (std::size_t d = 0; d < rank; ++d) source += (begin[d] + index[d] * step[d]) * stride[d];
    values[static_cast<std::size_t>(k)] = data.values[static_cast<std::size_t>(source)];
  });
  return make(data.elem_type, out, values);
}

ConstantValue constant_attribute(Importer& im) {
  const Attributes& a = im.attributes();
  if (const auto* t = a.tensor("value")) return tensor_values(*t);
  if (a.has("value_float")) return make(TensorProto::FLOAT, {}, {a.f("value_float", 0)});
  if (a.has("value_int"))
    return make(TensorProto::INT64, {}, {static_cast<double>(a.i("value_int", 0))});
  if (a.has("value_floats")) {
    const auto f = a.floats("value_floats");
    return make(TensorProto::FLOAT, {static_cast<std::int32_t>(f.size())},
                std::vector<double>(f.begin(), f.end()));
  }
  if (a.has("value_ints")) {
    const auto v = a.ints("value_ints");
    return make(TensorProto::INT64, {static_cast<std::int32_t>(v.size())},
                std::vector<double>(v.begin(), v.end()));
  }
  im.fail("has no value mote can read (sparse and string constants are not supported)");
}

}  // namespace

bool is_foldable(const std::string& op) {
  static const std::set<std::string> ops = {"Constant", "ConstantOfShape",
                                            "Shape",    "Gather",
                                            "Cast",     "Concat",
                                            "Reshape",  "Flatten",
                                            "Squeeze",  "Unsqueeze",
                                            "Slice",    "Transpose",
                                            "Identity", "Add",
                                            "Sub",      "Mul",
                                            "Div",      "Neg",
                                            "Sqrt",     "Dropout"};
  return ops.count(op) > 0;
}

void fold_constant_node(Importer& im) {
  const std::string& op = im.node().op_type();
  const Attributes& attr = im.attributes();
  if (op == "Constant") return define_constant(im, 0, constant_attribute(im));
  if (op == "Shape") {
    const Shape& s = im.input(0).shape;
    const auto rank = static_cast<std::int64_t>(s.size());
    std::int64_t start = attr.i("start", 0), end = attr.i("end", rank);
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = std::clamp<std::int64_t>(start, 0, rank);
    end = std::clamp<std::int64_t>(end, start, rank);
    std::vector<double> dims(s.begin() + start, s.begin() + end);
    return define_constant(
        im, 0, make(TensorProto::INT64, {static_cast<std::int32_t>(dims.size())}, dims));
  }
  if (op == "ConstantOfShape") {
    const Shape shape = to_shape(im.constant_input(0, "shape").as_ints(), "the shape");
    if (element_count(shape) > kMaxFoldedElements) {
      throw std::runtime_error("the constant would be too large to evaluate at import");
    }
    ConstantValue fill = make(TensorProto::FLOAT, {1}, {0.0});
    if (const auto* t = attr.tensor("value")) fill = tensor_values(*t);
    return define_constant(im, 0,
                           make(fill.elem_type, shape,
                                std::vector<double>(static_cast<std::size_t>(element_count(shape)),
                                                    fill.values.at(0))));
  }
  const ConstantValue& x = *im.input(0).constant;
  if (op == "Identity" || op == "Dropout") return define_constant(im, 0, x);
  if (op == "Cast") {
    const auto to = static_cast<std::int32_t>(attr.i("to", TensorProto::FLOAT));
    ConstantValue c = x;
    c.elem_type = to;
    for (double& v : c.values) v = round_to_type(v, to);
    return define_constant(im, 0, c);
  }
  if (op == "Neg" || op == "Sqrt") {
    ConstantValue c = x;
    for (double& v : c.values) v = round_to_type(op == "Neg" ? -v : std::sqrt(v), c.elem_type);
    return define_constant(im, 0, c);
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    return define_constant(im, 0, binary(x, *im.input(1).constant, op));
  }
  if (op == "Gather")
    return define_constant(im, 0, gather(x, *im.input(1).constant, attr.i("axis", 0)));
  if (op == "Slice") return define_constant(im, 0, slice(im, x));
  if (op == "Transpose") {
    std::vector<std::int32_t> perm;
    for (std::int64_t p : attr.ints("perm")) perm.push_back(static_cast<std::int32_t>(p));
    if (perm.empty()) {
      for (std::size_t d = x.shape.size(); d-- > 0;) perm.push_back(static_cast<std::int32_t>(d));
    }
    Shape out;
    for (std::int32_t p : perm) out.push_back(x.shape.at(static_cast<std::size_t>(p)));
    return define_constant(im, 0,
                           make(x.elem_type, out, transpose_values(x.values, x.shape, perm)));
  }
  if (op == "Concat") {
    const std::size_t rank = x.shape.size();
    const auto axis = static_cast<std::size_t>(normalize_axis(attr.i("axis", 0), rank));
    std::vector<const ConstantValue*> parts;
    Shape out = x.shape;
    out[axis] = 0;
    for (int i = 0; i < im.node().input_size(); ++i) {
      const ConstantValue* c = &*im.input(static_cast<std::size_t>(i)).constant;
      if (c->shape.size() != rank) throw std::runtime_error("concat of different ranks");
      for (std::size_t d = 0; d < rank; ++d) {
        if (d != axis && c->shape[d] != x.shape[d]) {
          throw std::runtime_error("concat inputs differ off the concat axis");
        }
      }
      out[axis] += c->shape[axis];
      parts.push_back(c);
    }
    std::int64_t outer = 1;
    for (std::size_t d = 0; d < axis; ++d) outer *= out[d];
    std::vector<double> values;
    for (std::int64_t o = 0; o < outer; ++o) {
      for (const ConstantValue* c : parts) {
        const std::int64_t block = element_count(c->shape) / std::max<std::int64_t>(outer, 1);
        values.insert(values.end(), c->values.begin() + o * block,
                      c->values.begin() + (o + 1) * block);
      }
    }
    return define_constant(im, 0, make(x.elem_type, out, values));
  }
  Shape shape;
  if (op == "Reshape") {
    shape = reshape_target(x.shape, im.constant_input(1, "shape").as_ints(),
                           attr.i("allowzero", 0) != 0);
  } else if (op == "Flatten") {
    shape = flatten_shape(x.shape, attr.i("axis", 1));
  } else if (op == "Squeeze") {
    shape = squeeze_shape(x.shape, axes_argument(im, 1, "axes"));
  } else if (op == "Unsqueeze") {
    shape = unsqueeze_shape(x.shape, axes_argument(im, 1, "axes"));
  } else {
    im.fail("cannot be evaluated at import time");
  }
  ConstantValue c = x;
  c.shape = shape;
  define_constant(im, 0, c);
}

}  // namespace mote::tools::onnx_import
