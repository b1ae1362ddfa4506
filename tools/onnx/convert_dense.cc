// Gemm and MatMul with constant weights -> FULLY_CONNECTED. The input may be stored in another
// order than ONNX's (a Flatten of an NHWC conv stack holds (h, w, c) rows where ONNX means
// (c, h, w)): the weight columns are permuted to the stored order instead of transposing the
// activations, which costs nothing at run time.
#include <fmt/format.h>

#include <numeric>

#include "tools/onnx/convert_util.h"
#include "tools/onnx/converters.h"
#include "tools/onnx/shape_rules.h"

namespace mote::tools::onnx_import {
namespace {

struct DenseInput {
  std::int32_t tensor;
  std::vector<std::int32_t> column;  // stored position p within a row holds logical column[p]
};

DenseInput dense_input(Importer& im, Value& a) {
  const std::size_t r = a.shape.size();
  const std::int32_t k = a.shape.back();
  DenseInput in;
  in.column.resize(static_cast<std::size_t>(k));
  std::iota(in.column.begin(), in.column.end(), 0);
  if (a.tensor < 0)
    im.fail("the input is a constant; mote converts a computed input times weights");
  // Where do the row axis' sub-axes sit in storage? They must all follow every batch sub-axis,
  // and the batch sub-axes must keep their logical order, for rows to be contiguous.
  const Shape flat = a.layout.flat();
  std::int32_t row_start = 0;
  for (std::size_t i = 0; i + 1 < r; ++i)
    row_start += static_cast<std::int32_t>(a.layout.split[i].size());
  bool rows_last = true, batch_in_order = true, seen_row = false;
  std::int32_t last_batch = -1;
  std::vector<std::int32_t> row_order;  // the row's sub-axes in stored order
  for (std::int32_t p : a.layout.perm) {
    const bool is_row = p >= row_start;
    if (is_row) row_order.push_back(p - row_start);
    if (flat[static_cast<std::size_t>(p)] == 1) continue;
    if (is_row) {
      seen_row = true;
    } else {
      if (seen_row) rows_last = false;
      if (p < last_batch) batch_in_order = false;
      last_batch = p;
    }
  }
  if (rows_last && batch_in_order) {
    in.tensor = a.tensor;
    Layout row;
    row.split = {a.layout.split.back()};
    row.perm = row_order;
    std::vector<double> logical(in.column.begin(), in.column.end());
    const std::vector<double> stored = to_stored_order(logical, row);
    for (std::size_t p = 0; p < stored.size(); ++p)
      in.column[p] = static_cast<std::int32_t>(stored[p]);
    if (!is_identity_order(row)) {
      im.note(
          fmt::format("{} '{}': the input rows are stored channels-last; the weight columns "
                      "are permuted to match (no TRANSPOSE)",
                      im.node().op_type(), im.node().name()));
    }
  } else {
    in.tensor = im.stored(a, identity_layout(a.shape), a.shape);
  }
  return in;
}

// Emits FULLY_CONNECTED of `a` with weights[m][k] (logical columns) and bias; defines output 0
// with logical shape a.shape[:-1] + [M].
void emit_dense(Importer& im, Value& a, const std::vector<double>& weights, std::int32_t m,
                const std::vector<float>& bias) {
  const DenseInput in = dense_input(im, a);
  const std::int32_t k = a.shape.back();
  std::vector<float> w(weights.size());
  for (std::int32_t row = 0; row < m; ++row) {
    for (std::int32_t p = 0; p < k; ++p) {
      w[static_cast<std::size_t>(row * k + p)] = static_cast<float>(
          weights[static_cast<std::size_t>(row * k + in.column[static_cast<std::size_t>(p)])]);
    }
  }
  const std::string name = im.output_name(0);
  const std::int32_t weight_tensor = im.add_float_constant(name + "/weights", {m, k}, w);
  const std::int32_t bias_tensor = im.add_float_constant(name + "/bias", {m}, bias);
  Shape out_logical(a.shape.begin(), a.shape.end() - 1);
  out_logical.push_back(m);
  const std::int32_t batches = static_cast<std::int32_t>(element_count(a.shape) / k);
  const std::int32_t output = im.add_tensor(name, {batches, m});
  im.emit(tflite::BuiltinOperator::FULLY_CONNECTED, {in.tensor, weight_tensor, bias_tensor},
          {output}, options_of(tflite::FullyConnectedOptionsT{}));
  im.define_output(0, out_logical, output, identity_layout(out_logical));
}

void convert_gemm(Importer& im) {
  Value& a = im.input(0);
  const Attributes& attr = im.attributes();
  if (a.shape.size() != 2)
    im.fail(fmt::format("input A has shape {}, not 2-D", shape_text(a.shape)));
  if (attr.i("transA", 0) != 0) {
    im.fail("transA=1 is not supported (it would transpose activations); export x @ W.T instead");
  }
  if (!im.input(1).constant) {
    im.fail(
        "B must be constant weights; a product of two computed tensors needs BATCH_MATMUL, "
        "which mote's runtime does not have");
  }
  const std::vector<double> b = float_constant(im, 1, "B");
  const Shape& bs = im.input(1).shape;
  const bool trans_b = attr.i("transB", 0) != 0;
  const std::int32_t k = a.shape[1];
  if (bs.size() != 2 || bs[trans_b ? 1 : 0] != k) {
    im.fail(fmt::format("B has shape {} for A of shape {} (transB={})", shape_text(bs),
                        shape_text(a.shape), trans_b ? 1 : 0));
  }
  const std::int32_t m = bs[trans_b ? 0 : 1];
  const double alpha = attr.f("alpha", 1.0f), beta = attr.f("beta", 1.0f);
  std::vector<double> w(static_cast<std::size_t>(m) * static_cast<std::size_t>(k));
  for (std::int32_t row = 0; row < m; ++row) {
    for (std::int32_t col = 0; col < k; ++col) {
      const double v = trans_b ? b[static_cast<std::size_t>(row * k + col)]
                               : b[static_cast<std::size_t>(col * m + row)];
      w[static_cast<std::size_t>(row * k + col)] = alpha * v;
    }
  }
  std::vector<float> bias(static_cast<std::size_t>(m), 0.0f);
  if (im.has_input(2)) {
    const std::vector<double> c = float_constant(im, 2, "C");
    const Shape& cs = im.input(2).shape;
    const Shape full = broadcast_shapes(cs, {a.shape[0], m});
    const bool per_row = !cs.empty() && cs.size() == 2 && cs[0] != 1;
    if (full != Shape{a.shape[0], m} || per_row) {
      im.fail(fmt::format("C of shape {} is not a bias broadcast over the batch", shape_text(cs)));
    }
    for (std::int32_t row = 0; row < m; ++row) {
      const std::size_t idx = c.size() == 1 ? 0 : static_cast<std::size_t>(row);
      bias[static_cast<std::size_t>(row)] = static_cast<float>(beta * c[idx]);
    }
  }
  emit_dense(im, a, w, m, bias);
}

void convert_matmul(Importer& im) {
  Value& a = im.input(0);
  if (!im.input(1).constant) {
    im.fail(
        "the second operand must be constant weights; a product of two computed tensors "
        "needs BATCH_MATMUL, which mote's runtime does not have");
  }
  const std::vector<double> b = float_constant(im, 1, "the weights");
  const Shape& bs = im.input(1).shape;
  if (a.shape.size() < 2 || bs.size() != 2 || bs[0] != a.shape.back()) {
    im.fail(fmt::format("shapes {} x {} are not (..., K) x (K, M)", shape_text(a.shape),
                        shape_text(bs)));
  }
  const std::int32_t k = bs[0], m = bs[1];
  std::vector<double> w(b.size());
  for (std::int32_t row = 0; row < m; ++row) {
    for (std::int32_t col = 0; col < k; ++col) {
      w[static_cast<std::size_t>(row * k + col)] = b[static_cast<std::size_t>(col * m + row)];
    }
  }
  emit_dense(im, a, w, m, std::vector<float>(static_cast<std::size_t>(m), 0.0f));
}

}  // namespace

void register_dense_converters(ConverterTable& table) {
  table["Gemm"] = convert_gemm;
  table["MatMul"] = convert_matmul;
}

}  // namespace mote::tools::onnx_import
