// Representative data: the shapes accepted for an input, and clear refusals of malformed data.
#include "tools/quantize/representative_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

#include <unistd.h>

#include "tools/io/npy.h"

namespace mote::testing {
namespace {

namespace fs = std::filesystem;

tools::NpyArray float_array(std::vector<std::int64_t> shape, std::vector<float> values) {
  tools::NpyArray a;
  a.type = TensorType::FLOAT32;
  a.shape = std::move(shape);
  a.data = tools::AlignedBuffer(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(values.data()), values.size() * sizeof(float)));
  return a;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("mote_data_test_" + std::to_string(::getpid()))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path file(const std::string& name, const std::string& text = "") const {
    const fs::path p = path_ / name;
    if (!text.empty()) std::ofstream(p) << text;
    return p;
  }

 private:
  fs::path path_;
};

TEST(RepresentativeData, AcceptsSamplesWithOrWithoutUnitDimensions) {
  const tools::InputSpec input{"x", {1, 1}};
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{{3}, {3, 1}, {3, 1, 1}}) {
    std::size_t count = 0;
    const auto values =
        tools::samples_from_array(float_array(shape, {1.0f, 2.0f, 3.0f}), input, "x.npy", &count);
    EXPECT_EQ(count, 3u);
    EXPECT_EQ(values, (std::vector<float>{1.0f, 2.0f, 3.0f}));
  }
  const tools::InputSpec image{"image", {1, 2, 2}};
  std::size_t count = 0;
  tools::samples_from_array(float_array({2, 2, 2}, std::vector<float>(8, 0.5f)), image, "i.npy",
                            &count);
  EXPECT_EQ(count, 2u);
}

TEST(RepresentativeData, RefusesTheWrongShapeNamingWhatFits) {
  const tools::InputSpec input{"serving_default_input:0", {1, 28, 28}};
  const std::string message = error_of([&] {
    std::size_t count = 0;
    tools::samples_from_array(float_array({2, 28, 27}, std::vector<float>(2 * 28 * 27, 0.0f)),
                              input, "digits.npy", &count);
  });
  EXPECT_NE(message.find("digits.npy"), std::string::npos) << message;
  EXPECT_NE(message.find("[2,28,27]"), std::string::npos) << message;
  EXPECT_NE(message.find("serving_default_input:0"), std::string::npos) << message;
  EXPECT_NE(message.find("[N,1,28,28]"), std::string::npos) << message;
}

TEST(RepresentativeData, RefusesNaNAndInfinityNamingTheFirst) {
  const tools::InputSpec input{"x", {1, 2}};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::string message = error_of([&] {
    std::size_t count = 0;
    tools::samples_from_array(float_array({3, 2}, {0.0f, 1.0f, 2.0f, nan, inf, 5.0f}), input,
                              "x.npy", &count);
  });
  EXPECT_NE(message.find("sample 1, element 1 is nan"), std::string::npos) << message;
  EXPECT_NE(message.find("2 NaN or infinite"), std::string::npos) << message;
}

TEST(RepresentativeData, ReadsCsvAndRefusesBadCells) {
  TempDir dir;
  const tools::InputSpec input{"x", {1, 2}};
  const std::vector<tools::InputSpec> inputs{input};
  const fs::path good = dir.file("good.csv", "a,b\n1,2\n3.5, -4\n");
  const std::vector<fs::path> files{good};
  const tools::SampleSet set = tools::read_samples(files, inputs);
  EXPECT_EQ(set.count, 2u);
  EXPECT_EQ(set.inputs[0], (std::vector<float>{1.0f, 2.0f, 3.5f, -4.0f}));

  const fs::path word = dir.file("word.csv", "a,b\n1,2\n3,abc\n");
  std::string message = error_of([&] {
    const std::vector<fs::path> f{word};
    tools::read_samples(f, inputs);
  });
  EXPECT_NE(message.find("row 2"), std::string::npos) << message;
  EXPECT_NE(message.find("'abc' is not a number"), std::string::npos) << message;

  const fs::path wide = dir.file("wide.csv", "a,b,c\n1,2,3\n");
  message = error_of([&] {
    const std::vector<fs::path> f{wide};
    tools::read_samples(f, inputs);
  });
  EXPECT_NE(message.find("3 columns"), std::string::npos) << message;
}

TEST(RepresentativeData, NeedsOneFilePerInputWithEqualCounts) {
  TempDir dir;
  const std::vector<tools::InputSpec> inputs{{"a", {1}}, {"b", {1}}};
  const fs::path a = dir.file("a.csv", "a\n1\n2\n");
  const fs::path b = dir.file("b.csv", "b\n1\n");
  std::string message = error_of([&] {
    const std::vector<fs::path> f{a};
    tools::read_samples(f, inputs);
  });
  EXPECT_NE(message.find("2 input(s)"), std::string::npos) << message;
  message = error_of([&] {
    const std::vector<fs::path> f{a, b};
    tools::read_samples(f, inputs);
  });
  EXPECT_NE(message.find("same number"), std::string::npos) << message;
  const fs::path txt = dir.file("x.txt", "1\n");
  message = error_of([&] {
    const std::vector<fs::path> f{txt, b};
    tools::read_samples(f, inputs);
  });
  EXPECT_NE(message.find(".npy or .csv"), std::string::npos) << message;
}

TEST(RepresentativeData, KeepsTheFirstSamplesWhenLimited) {
  TempDir dir;
  const std::vector<tools::InputSpec> inputs{{"x", {1, 2}}};
  const std::vector<float> values = {1, 2, 3, 4, 5, 6};
  const std::vector<std::int64_t> shape = {3, 2};
  const fs::path npy = dir.file("x.npy");
  tools::write_npy(npy, TensorType::FLOAT32, shape,
                   {reinterpret_cast<const std::uint8_t*>(values.data()), 24});
  const std::vector<fs::path> files{npy};
  const tools::SampleSet set = tools::read_samples(files, inputs, 2);
  EXPECT_EQ(set.count, 2u);
  EXPECT_EQ(set.inputs[0], (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(std::vector<float>(set.sample(0, 1).begin(), set.sample(0, 1).end()),
            (std::vector<float>{3, 4}));
}

}  // namespace
}  // namespace mote::testing
