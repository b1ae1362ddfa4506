#include "apps/seismic/model_source.h"

#include <cmath>

#include "dsp/window_normalize.h"

namespace mote::seismic {

Status ModelSource::init(Interpreter* interpreter, float* window, uint32_t window_capacity,
                         const ErrorReporter* reporter, uint32_t settle_samples) {
  interpreter_ = nullptr;
  if (interpreter == nullptr || window == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "model source: null argument");
  }
  if (interpreter->inputs_size() < 1 || interpreter->outputs_size() < 1) {
    return report_error(reporter, Status::kInvalidModel,
                        "model source: the model needs one input and one output");
  }
  const Tensor in = interpreter->input(0);
  const Tensor out = interpreter->output(0);
  if (in.data == nullptr || out.data == nullptr) {
    return report_error(reporter, Status::kNotAllocated,
                        "model source: allocate the interpreter first");
  }
  if (in.rank < 2 || in.dim(0) != 1 || in.dim(-1) != dsp::kComponents || in.elements == 0) {
    return report_error(reporter, Status::kInvalidModel,
                        "model source: input 0 must be [1, ..., 3] (W samples of E, N, Z)");
  }
  if (in.type != TensorType::FLOAT32 && !(in.type == TensorType::INT8 && in.num_scales == 1)) {
    return report_error(reporter, Status::kUnsupported,
                        "model source: input 0 must be float32 or per-tensor int8, not %s",
                        tensor_type_name(in.type));
  }
  if (in.type == TensorType::INT8 && !(in.scale() > 0.0f)) {
    return report_error(reporter, Status::kInvalidModel,
                        "model source: input 0 has quantization scale %f",
                        static_cast<double>(in.scale()));
  }
  if (out.rank < 1 || out.dim(-1) != kNumPhases || out.elements == 0) {
    return report_error(reporter, Status::kInvalidModel,
                        "model source: output 0 must end in 3 (noise, P, S probabilities)");
  }
  const bool quantized_out =
      (out.type == TensorType::INT8 || out.type == TensorType::INT16) && out.num_scales == 1;
  if (out.type != TensorType::FLOAT32 && !quantized_out) {
    return report_error(reporter, Status::kUnsupported,
                        "model source: output 0 must be float32 or per-tensor int8/int16, not %s",
                        tensor_type_name(out.type));
  }
  const uint32_t samples = in.elements / dsp::kComponents;
  if (samples > window_capacity) {
    return report_error(reporter, Status::kInvalidArgument,
                        "model source: the model reads %u samples, the window buffer holds %u",
                        static_cast<unsigned>(samples), static_cast<unsigned>(window_capacity));
  }
  interpreter_ = interpreter;
  window_ = window;
  window_samples_ = samples;
  frames_ = out.elements / kNumPhases;
  settle_samples_ = settle_samples;
  return Status::kOk;
}

FrameTiming ModelSource::timing(uint32_t hop_samples) const {
  const uint32_t frames = frames_ == 0 ? 1 : frames_;
  const float step = static_cast<float>(hop_samples) / static_cast<float>(frames);
  return {frames, 0.5f * (step - 1.0f), step};
}

Status ModelSource::score_hop(const dsp::SampleRing& ring, uint32_t hop_samples, float* scores,
                              const ErrorReporter* reporter) {
  if (interpreter_ == nullptr || scores == nullptr) {
    return report_error(reporter, Status::kNotAllocated, "model source: not initialised");
  }
  if (hop_samples % frames_ != 0) {
    return report_error(reporter, Status::kInvalidArgument,
                        "model source: a hop of %u samples does not split into %u frames",
                        static_cast<unsigned>(hop_samples), static_cast<unsigned>(frames_));
  }
  // Scores start with the first hop whose frames lie at or after the warm-up (the detector tells
  // the picker to ignore earlier frames).
  const double first_frame = static_cast<double>(ring.pushed()) - hop_samples +
                             static_cast<double>(timing(hop_samples).first_offset);
  if (first_frame < static_cast<double>(warmup_samples())) {
    for (uint32_t i = 0; i < frames_ * kNumPhases; ++i) scores[i] = 0.0f;
    return Status::kOk;
  }
  MOTE_RETURN_IF_ERROR(ring.copy_latest(window_samples_, window_, reporter));
  MOTE_RETURN_IF_ERROR(
      dsp::normalize_window(window_, window_samples_, dsp::kNormalizeEpsilon, window_, reporter));
  const Tensor in = interpreter_->input(0);
  const uint32_t n = window_samples_ * dsp::kComponents;
  if (in.type == TensorType::FLOAT32) {
    float* dst = in.data_as<float>();
    for (uint32_t i = 0; i < n; ++i) dst[i] = window_[i];
  } else {
    int8_t* dst = in.data_as<int8_t>();
    const float scale = in.scale();
    const int32_t zero_point = in.zero_point();
    for (uint32_t i = 0; i < n; ++i) {
      int32_t q = static_cast<int32_t>(std::round(window_[i] / scale)) + zero_point;
      if (q < -128) q = -128;
      if (q > 127) q = 127;
      dst[i] = static_cast<int8_t>(q);
    }
  }
  MOTE_RETURN_IF_ERROR(interpreter_->invoke());
  const Tensor out = interpreter_->output(0);
  const uint32_t m = frames_ * kNumPhases;
  if (out.type == TensorType::FLOAT32) {
    const float* src = out.data_as<const float>();
    for (uint32_t i = 0; i < m; ++i) scores[i] = src[i];
  } else {
    const float scale = out.scale();
    const int32_t zero_point = out.zero_point();
    for (uint32_t i = 0; i < m; ++i) {
      const int32_t q = out.type == TensorType::INT8
                            ? static_cast<int32_t>(out.data_as<const int8_t>()[i])
                            : static_cast<int32_t>(out.data_as<const int16_t>()[i]);
      scores[i] = static_cast<float>(q - zero_point) * scale;
    }
  }
  return Status::kOk;
}

}  // namespace mote::seismic
