#include "runtime/kernels/internal/activation_int16.h"

#include <cmath>

#include "runtime/kernels/internal/kernel_util.h"

namespace mote {
namespace kernels {

const uint16_t kSigmoidTableQ16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794,
    41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443,
    48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374,
    54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544,
    58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279,
    61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990,
    63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030,
    64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652,
    64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019,
    65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
    65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
    65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476,
    65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516,
    65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529,
    65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532,
    65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

bool checked_log2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(x_log2);
  *log2_result = static_cast<int>(rounded);
  return std::fabs(x_log2 - rounded) < 1e-3f;
}

bool int16_activation_scaling(bool is_tanh, float input_scale, Int16TableScaling* scaling) {
  // The table wants Q3.12 inputs times 3; a Q3.12 input (or Q4.11 for tanh, whose doubled
  // argument the table absorbs) needs only the factor 3.
  int log2_scale = 0;
  const bool power_of_two = checked_log2(input_scale, &log2_scale);
  const int pot_shift = 12 + log2_scale;
  if (power_of_two && (pot_shift == 0 || (is_tanh && pot_shift == 1))) {
    *scaling = int16_table_scaling(0, pot_shift);
    return true;
  }
  // Otherwise TFLM doubles the multiplier into (16383.5, 32767] and truncates it.
  double multiplier = static_cast<double>(input_scale) * 4096.0 * 3.0;
  int32_t left_shift = 0;
  while (multiplier <= 32767.0 / 2.0 && left_shift <= 30) {
    ++left_shift;
    multiplier *= 2.0;
  }
  if (multiplier >= 32768.0) return false;
  *scaling = int16_table_scaling(static_cast<int32_t>(multiplier), left_shift);
  return true;
}

Status check_int16_activation_io(const OpContext& ctx, const Tensor& input, const Tensor& output,
                                 bool is_tanh) {
  MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
  if (input.zero_point() != 0 || output.zero_point() != 0) {
    return ctx.fail(Status::kUnsupported,
                    "int16 input and output need zero point 0 (they have %d and %d)",
                    input.zero_point(), output.zero_point());
  }
  int output_log2 = 0;
  if (!checked_log2(output.scale(), &output_log2) || output_log2 != -15) {
    return ctx.fail(Status::kUnsupported,
                    "int16 output tensor %d '%s' has scale %g; TFLite's int16 %s writes 2^-15",
                    output.index, output.name, static_cast<double>(output.scale()),
                    is_tanh ? "tanh" : "logistic");
  }
  Int16TableScaling scaling{};
  if (!int16_activation_scaling(is_tanh, input.scale(), &scaling)) {
    return ctx.fail(Status::kUnsupported,
                    "int16 input tensor %d '%s' has scale %g, too large for TFLite's int16 table "
                    "(its multiplier would exceed 32767)",
                    input.index, input.name, static_cast<double>(input.scale()));
  }
  return Status::kOk;
}

}  // namespace kernels
}  // namespace mote
