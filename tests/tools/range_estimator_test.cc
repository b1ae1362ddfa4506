// Range methods: min/max is the converter's; percentile drops rare outliers; the MSE search never
// does worse than min/max on the error it minimises and clips long tails.
#include "tools/quantize/range_estimator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace mote::testing {
namespace {

tools::TensorStats two_pass(const std::vector<float>& values, std::size_t bins = 2048) {
  tools::TensorStats s;
  s.observe_range(values);
  s.start_histogram(bins);
  s.observe_histogram(values);
  return s;
}

TEST(RangeEstimator, MinMaxIsTheObservedRange) {
  tools::TensorStats s;
  s.observe_range(std::vector<float>{0.5f, -2.0f, 3.0f});
  s.observe_range(std::vector<float>{4.0f});
  const tools::RealRange r = s.choose({}, TensorType::INT8);
  EXPECT_EQ(r.min, -2.0f);
  EXPECT_EQ(r.max, 4.0f);
  EXPECT_EQ(s.count(), 4u);
}

TEST(RangeEstimator, PercentileIgnoresRareOutliers) {
  std::vector<float> values;
  for (int i = 0; i < 100000; ++i) values.push_back(static_cast<float>(i % 1000) / 1000.0f);
  values.push_back(1000.0f);  // one outlier in 100001
  const tools::TensorStats s = two_pass(values);
  tools::RangeOptions options;
  options.method = tools::RangeMethod::kPercentile;
  options.percentile = 99.9;
  const tools::RealRange r = s.choose(options, TensorType::INT8);
  EXPECT_NEAR(r.min, 0.0f, 0.01f);
  // The bins are 1000/2048 wide: the upper quantile lands in the third bin, far below 1000.
  EXPECT_LT(r.max, 1.5f);
  EXPECT_GT(r.max, 0.0f);
  options.percentile = 100.0;
  EXPECT_FLOAT_EQ(s.choose(options, TensorType::INT8).max, 1000.0f);
  options.percentile = 30.0;
  EXPECT_THROW(s.choose(options, TensorType::INT8), std::runtime_error);
}

// Squared error weighs a far outlier heavily, so the MSE range keeps isolated outliers; it clips
// a long dense tail (Laplace: for 8 bits the optimum lies near 10 b, below the largest of 200,000
// samples at about 12 b), and it never does worse than min/max on the error it minimises.
TEST(RangeEstimator, MseClipsALongTailAndNeverLosesToMinMax) {
  std::mt19937 rng(4);
  std::exponential_distribution<float> exponential(1.0f);
  std::bernoulli_distribution sign(0.5);
  std::vector<float> values(200000);
  for (float& v : values) v = sign(rng) ? exponential(rng) : -exponential(rng);
  const tools::TensorStats s = two_pass(values);
  tools::RangeOptions options;
  options.method = tools::RangeMethod::kMse;
  for (TensorType type : {TensorType::INT8, TensorType::INT16}) {
    const tools::RealRange mse = s.choose(options, type);
    const tools::RealRange minmax = s.choose({}, type);
    std::vector<float> centers(s.histogram().size());
    const double width =
        (static_cast<double>(s.max()) - s.min()) / static_cast<double>(centers.size());
    for (std::size_t b = 0; b < centers.size(); ++b) {
      centers[b] = static_cast<float>(s.min() + (static_cast<double>(b) + 0.5) * width);
    }
    auto error = [&](tools::RealRange r) {
      const tools::QuantParams p = type == TensorType::INT16
                                       ? tools::symmetric_params(r, 32767)
                                       : tools::asymmetric_params(r, -128, 127);
      return tools::expected_quantization_error(centers, s.histogram(), p, type);
    };
    EXPECT_LE(error(mse), error(minmax)) << tensor_type_name(type);
    if (type == TensorType::INT8) {
      EXPECT_LT(error(mse), 0.9 * error(minmax));
      EXPECT_LT(mse.max, 0.9f * s.max());
      EXPECT_GT(mse.max, 6.0f);
      EXPECT_GT(mse.min, 0.9f * s.min());
    }
  }
}

TEST(RangeEstimator, ExpectedErrorCountsRoundingInsideAndDistanceOutside) {
  // Scale 1, zero point 0 in int8: representable [-128, 127].
  const tools::QuantParams p = tools::per_tensor(1.0f, 0);
  const std::vector<float> centers = {0.0f, 130.0f};
  const std::vector<std::uint64_t> counts = {12, 1};
  // 12 values inside at 1/12 each, one value 3 beyond the top.
  EXPECT_DOUBLE_EQ(tools::expected_quantization_error(centers, counts, p, TensorType::INT8),
                   1.0 + 9.0);
}

TEST(RangeEstimator, ParsesMethodNames) {
  EXPECT_EQ(tools::parse_range_method("mse"), tools::RangeMethod::kMse);
  EXPECT_EQ(tools::parse_range_method("percentile"), tools::RangeMethod::kPercentile);
  EXPECT_THROW(tools::parse_range_method("kl"), std::runtime_error);
}

}  // namespace
}  // namespace mote::testing
