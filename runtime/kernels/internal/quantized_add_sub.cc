#include "runtime/kernels/internal/quantized_add_sub.h"

#include <algorithm>

namespace mote {
namespace kernels {

int add_sub_left_shift(TensorType type) { return type == TensorType::INT16 ? 15 : 20; }

AddSubScales add_scales(const Tensor& input1, const Tensor& input2, const Tensor& output) {
  const double twice_max_input_scale =
      2 * static_cast<double>(std::max(input1.scale(), input2.scale()));
  const double shifted_output_scale = static_cast<double>(1 << add_sub_left_shift(output.type)) *
                                      static_cast<double>(output.scale());
  return {static_cast<double>(input1.scale()) / twice_max_input_scale,
          static_cast<double>(input2.scale()) / twice_max_input_scale,
          twice_max_input_scale / shifted_output_scale};
}

AddSubScales sub_scales(const Tensor& input1, const Tensor& input2, const Tensor& output) {
  const float twice_max_input_scale = 2 * std::max(input1.scale(), input2.scale());
  const float shifted_output_scale =
      static_cast<float>(1 << add_sub_left_shift(output.type)) * output.scale();
  return {static_cast<double>(input1.scale() / twice_max_input_scale),
          static_cast<double>(input2.scale() / twice_max_input_scale),
          static_cast<double>(twice_max_input_scale / shifted_output_scale)};
}

Status check_add_sub_scales(const OpContext& ctx, const AddSubScales& scales) {
  const double factors[3] = {scales.input1, scales.input2, scales.output};
  const char* names[3] = {"input 1", "input 2", "output"};
  for (int i = 0; i < 3; ++i) {
    int32_t multiplier;
    int shift;
    quantize_multiplier(factors[i], &multiplier, &shift);
    if (!(factors[i] > 0.0 && factors[i] < 1.0) || shift > 0) {
      return ctx.fail(Status::kUnsupported,
                      "the %s rescaling factor %f is not below one: the output scale is too small "
                      "for the input scales",
                      names[i], factors[i]);
    }
  }
  return Status::kOk;
}

AddSubParams make_add_sub_params(const AddSubScales& scales, const Tensor& input1,
                                 const Tensor& input2, const Tensor& output,
                                 Activation activation) {
  AddSubParams p = {};
  p.input1_offset = -input1.zero_point();
  p.input2_offset = -input2.zero_point();
  p.output_offset = output.zero_point();
  p.left_shift = add_sub_left_shift(output.type);
  int shift;
  quantize_multiplier(scales.input1, &p.input1_multiplier, &shift);
  p.input1_shift = shift;
  quantize_multiplier(scales.input2, &p.input2_multiplier, &shift);
  p.input2_shift = shift;
  quantize_multiplier(scales.output, &p.output_multiplier, &shift);
  p.output_shift = shift;
  int32_t qmin, qmax;
  integer_type_range(output.type, &qmin, &qmax);
  quantized_activation_range(activation, output.scale(), output.zero_point(), qmin, qmax,
                             &p.act_min, &p.act_max);
  return p;
}

}  // namespace kernels
}  // namespace mote
