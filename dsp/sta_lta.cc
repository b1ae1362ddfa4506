#include "dsp/sta_lta.h"

namespace mote::dsp {
namespace {

// round(seconds * rate) for positive values that fit in 32 bits, else 0.
uint32_t samples_for(double seconds, double rate) {
  const double n = seconds * rate + 0.5;
  if (!(n >= 1.0) || n > 4.0e9) return 0;
  return static_cast<uint32_t>(n);
}

}  // namespace

Status RecursiveStaLta::init(const StaLtaConfig& config, const ErrorReporter* reporter) {
  if (!(config.sample_rate_hz > 0.0)) {
    return report_error(reporter, Status::kInvalidArgument, "STA/LTA: sample rate %f Hz",
                        config.sample_rate_hz);
  }
  const uint32_t n_sta = samples_for(config.sta_s, config.sample_rate_hz);
  const uint32_t n_lta = samples_for(config.lta_s, config.sample_rate_hz);
  if (n_sta == 0 || n_lta <= n_sta) {
    return report_error(reporter, Status::kInvalidArgument,
                        "STA/LTA: STA %f s and LTA %f s at %f Hz give %u and %u samples; need "
                        "0 < STA < LTA",
                        config.sta_s, config.lta_s, config.sample_rate_hz,
                        static_cast<unsigned>(n_sta), static_cast<unsigned>(n_lta));
  }
  sta_samples_ = n_sta;
  lta_samples_ = n_lta;
  sta_coefficient_ = 1.0f / static_cast<float>(n_sta);
  lta_coefficient_ = 1.0f / static_cast<float>(n_lta);
  unbiased_ = config.unbiased;
  reset();
  return Status::kOk;
}

float RecursiveStaLta::step(float x) {
  const float square = x * x;
  sta_ += sta_coefficient_ * (square - sta_);
  lta_ += lta_coefficient_ * (square - lta_);
  sta_weight_ += sta_coefficient_ * (1.0f - sta_weight_);
  lta_weight_ += lta_coefficient_ * (1.0f - lta_weight_);
  if (seen_ < lta_samples_) {
    ++seen_;
    return 0.0f;
  }
  if (!unbiased_) return lta_ > 0.0f ? sta_ / lta_ : 0.0f;
  const float lta = lta_ / lta_weight_;
  return lta > 0.0f ? (sta_ / sta_weight_) / lta : 0.0f;
}

void RecursiveStaLta::reset() {
  sta_ = 0.0f;
  lta_ = 0.0f;
  sta_weight_ = 0.0f;
  lta_weight_ = 0.0f;
  seen_ = 0;
}

}  // namespace mote::dsp
