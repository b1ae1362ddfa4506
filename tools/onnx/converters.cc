#include "tools/onnx/converters.h"

#include "tools/onnx/convert_util.h"

namespace mote::tools::onnx_import {
namespace {

ConverterTable make_table() {
  ConverterTable table;
  register_conv_converters(table);
  register_pool_converters(table);
  register_dense_converters(table);
  register_elementwise_converters(table);
  register_shape_converters(table);
  return table;
}

}  // namespace

Converter find_converter(const std::string& op_type) {
  static const ConverterTable table = make_table();
  auto found = table.find(op_type);
  return found == table.end() ? nullptr : found->second;
}

std::vector<std::int64_t> axes_argument(Importer& im, std::size_t input, const std::string& attr) {
  if (im.attributes().has(attr)) return im.attributes().ints(attr);
  if (im.has_input(input)) return im.constant_input(input, attr).as_ints();
  return {};
}

std::vector<float> to_floats(const std::vector<double>& values) {
  return std::vector<float>(values.begin(), values.end());
}

std::vector<double> float_constant(Importer& im, std::size_t input, const std::string& what) {
  const ConstantValue& c = im.constant_input(input, what);
  if (!c.is_float()) {
    im.fail(what + " is " + elem_type_name(c.elem_type) + ", not float");
  }
  return c.values;
}

}  // namespace mote::tools::onnx_import
