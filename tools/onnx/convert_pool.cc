// MaxPool, AveragePool -> MAX_POOL_2D, AVERAGE_POOL_2D; GlobalAveragePool and ReduceMean -> MEAN.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "tools/onnx/convert_util.h"
#include "tools/onnx/converters.h"
#include "tools/onnx/shape_rules.h"
#include "tools/onnx/window.h"

namespace mote::tools::onnx_import {
namespace {

void convert_pool(Importer& im, bool is_max) {
  Value& x = im.input(0);
  const std::int32_t input = window_input(im, x);
  const Attributes& a = im.attributes();
  if (is_max && im.output_used(1)) im.fail("the indices output is not supported");
  if (!a.has("kernel_shape")) im.fail("has no kernel_shape");
  const std::size_t spatial = x.shape.size() - 2;
  std::vector<SpatialAxis> axes = read_window(im, Shape(x.shape.begin() + 2, x.shape.end()), {});
  const bool ceil_mode = a.i("ceil_mode", 0) != 0;
  Shape out;
  std::vector<std::int32_t> extra_end;
  for (SpatialAxis& axis : axes) {
    if (axis.dilation != 1) im.fail("dilated pooling is not supported (TFLite has none)");
    std::int32_t o = axis.out();
    if (ceil_mode) {
      const std::int32_t span = axis.in + axis.pad_begin + axis.pad_end - axis.kernel;
      o = (span + axis.stride - 1) / axis.stride + 1;
      // As PyTorch: the last window must start inside the input or its leading pad.
      if ((o - 1) * axis.stride >= axis.in + axis.pad_begin) --o;
    }
    out.push_back(o);
    extra_end.push_back(std::max(
        0, (o - 1) * axis.stride + axis.kernel - (axis.in + axis.pad_begin + axis.pad_end)));
  }
  if (spatial == 1) {
    add_unit_height(axes);
    out.insert(out.begin(), 1);
    extra_end.insert(extra_end.begin(), 0);
  }
  bool zero = true, same = true, extra = false;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    zero = zero && axes[i].pad_begin == 0 && axes[i].pad_end == 0;
    same = same && axes[i].same_matches(out[i]);
    extra = extra || extra_end[i] > 0;
  }
  const bool count_pad = a.i("count_include_pad", 0) != 0;
  tflite::Padding padding = tflite::Padding::VALID;
  std::int32_t source = input;
  if (zero && !extra) {
    padding = tflite::Padding::VALID;
  } else if (same && (is_max || !count_pad)) {
    // TFLite's SAME leaves padding out of the max and of the average's count, as ONNX's MaxPool
    // and count_include_pad=0 do.
    padding = tflite::Padding::SAME;
  } else if (is_max) {
    source = pad_spatial(im, input, axes, std::numeric_limits<float>::lowest(), extra_end);
  } else if (count_pad && !extra) {
    source = pad_spatial(im, input, axes, 0.0f);
  } else {
    im.fail(
        fmt::format("pads {} with count_include_pad={} and ceil_mode={} have no TFLite "
                    "equivalent",
                    fmt::join(a.ints("pads"), ","), count_pad ? 1 : 0, ceil_mode ? 1 : 0));
  }
  Shape out_logical{x.shape[0], x.shape[1]};
  if (spatial == 2) out_logical.push_back(out[0]);
  out_logical.push_back(out[1]);
  const Layout layout = conv_layout(out_logical);
  const std::int32_t output = im.add_tensor(im.output_name(0), direct_shape(layout));
  tflite::Pool2DOptionsT o;
  o.padding = padding;
  o.stride_h = axes[0].stride;
  o.stride_w = axes[1].stride;
  o.filter_height = axes[0].kernel;
  o.filter_width = axes[1].kernel;
  im.emit(is_max ? tflite::BuiltinOperator::MAX_POOL_2D : tflite::BuiltinOperator::AVERAGE_POOL_2D,
          {source}, {output}, options_of(o));
  im.define_output(0, out_logical, output, layout);
}

void convert_max_pool(Importer& im) { convert_pool(im, true); }
void convert_average_pool(Importer& im) { convert_pool(im, false); }

// MEAN over the stored positions of `axes` of `x` stored in `order`.
void emit_mean(Importer& im, Value& x, const std::vector<std::int32_t>& order,
               const std::vector<std::int32_t>& axes, bool keep_dims) {
  const std::int32_t input = im.stored_in_order(x, order);
  std::vector<std::int32_t> stored_axes;
  for (std::int32_t axis : axes) {
    stored_axes.push_back(
        static_cast<std::int32_t>(std::find(order.begin(), order.end(), axis) - order.begin()));
  }
  std::sort(stored_axes.begin(), stored_axes.end());
  Shape out_logical, out_stored;
  std::vector<std::int32_t> out_order;
  for (std::size_t a = 0; a < x.shape.size(); ++a) {
    const bool reduced =
        std::find(axes.begin(), axes.end(), static_cast<std::int32_t>(a)) != axes.end();
    if (!reduced || keep_dims) out_logical.push_back(reduced ? 1 : x.shape[a]);
  }
  for (std::int32_t axis : order) {
    const bool reduced = std::find(axes.begin(), axes.end(), axis) != axes.end();
    if (keep_dims) {
      out_order.push_back(axis);
    } else if (!reduced) {
      // Renumber: logical axes after removed ones move down.
      std::int32_t removed_before = 0;
      for (std::int32_t r : axes) removed_before += r < axis ? 1 : 0;
      out_order.push_back(axis - removed_before);
    }
  }
  const Layout layout = permuted_layout(out_logical, out_order);
  const std::int32_t output = im.add_tensor(im.output_name(0), direct_shape(layout));
  tflite::ReducerOptionsT o;
  o.keep_dims = keep_dims;
  im.emit(
      tflite::BuiltinOperator::MEAN,
      {input, im.add_int32_constant(im.output_name(0) + "/axes",
                                    {static_cast<std::int32_t>(stored_axes.size())}, stored_axes)},
      {output}, options_of(o));
  im.define_output(0, out_logical, output, layout);
}

void convert_global_average_pool(Importer& im) {
  Value& x = im.input(0);
  if (x.shape.size() < 3) im.fail("input needs at least one spatial axis");
  std::vector<std::int32_t> axes;
  for (std::size_t a = 2; a < x.shape.size(); ++a) axes.push_back(static_cast<std::int32_t>(a));
  emit_mean(im, x, channels_last_order(x.shape.size()), axes, true);
}

void convert_reduce_mean(Importer& im) {
  Value& x = im.input(0);
  std::vector<std::int64_t> requested = axes_argument(im, 1, "axes");
  std::vector<std::int32_t> axes;
  for (std::int64_t a : requested) axes.push_back(normalize_axis(a, x.shape.size()));
  if (axes.empty()) {
    if (im.attributes().i("noop_with_empty_axes", 0) != 0) {
      im.define_output(0, x);
      return;
    }
    for (std::size_t a = 0; a < x.shape.size(); ++a) axes.push_back(static_cast<std::int32_t>(a));
  }
  emit_mean(im, x, im.natural_order(x), axes, im.attributes().i("keepdims", 1) != 0);
}

}  // namespace

void register_pool_converters(ConverterTable& table) {
  table["MaxPool"] = convert_max_pool;
  table["AveragePool"] = convert_average_pool;
  table["GlobalAveragePool"] = convert_global_average_pool;
  table["ReduceMean"] = convert_reduce_mean;
}

}  // namespace mote::tools::onnx_import
