#include "dsp/sample_ring.h"

#include <gtest/gtest.h>

#include <vector>

namespace mote::dsp {
namespace {

void push_index(SampleRing& ring, int i) {
  const float s[kComponents] = {float(i), float(100 + i), float(200 + i)};
  ring.push(s);
}

TEST(SampleRing, KeepsTheNewestSamplesInOrderAcrossTheWrap) {
  SampleRingWithStorage<5> ring;
  EXPECT_EQ(ring.size(), 0u);
  EXPECT_EQ(ring.at_age(0), nullptr);
  for (int i = 0; i < 13; ++i) push_index(ring, i);
  EXPECT_EQ(ring.size(), 5u);
  EXPECT_EQ(ring.pushed(), 13u);
  EXPECT_EQ(ring.at_age(0)[0], 12.0f);
  EXPECT_EQ(ring.at_age(4)[2], 208.0f);
  EXPECT_EQ(ring.at_age(5), nullptr);
  std::vector<float> out(4 * kComponents);
  ASSERT_EQ(ring.copy_latest(4, out.data(), nullptr), Status::kOk);
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(out[t * 3 + 0], float(9 + t));
    EXPECT_EQ(out[t * 3 + 1], float(109 + t));
    EXPECT_EQ(out[t * 3 + 2], float(209 + t));
  }
}

TEST(SampleRing, RefusesMoreThanItHolds) {
  SampleRingWithStorage<8> ring;
  for (int i = 0; i < 3; ++i) push_index(ring, i);
  std::vector<float> out(8 * kComponents);
  std::string message;
  ErrorReporter reporter{[](void* u, const char* m) { *static_cast<std::string*>(u) = m; },
                         &message};
  EXPECT_EQ(ring.copy_latest(4, out.data(), &reporter), Status::kInvalidArgument);
  EXPECT_NE(message.find("4 samples asked for, 3 held"), std::string::npos) << message;
  EXPECT_EQ(ring.copy_latest(3, nullptr, nullptr), Status::kInvalidArgument);
  ring.reset();
  EXPECT_EQ(ring.size(), 0u);
  EXPECT_EQ(ring.pushed(), 0u);
}

}  // namespace
}  // namespace mote::dsp
