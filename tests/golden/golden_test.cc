// Every case of ../shared/golden/manifest.csv through the runtime: integer outputs must equal
// TFLM's byte for byte, float outputs within 1e-5; the arena must be no larger than TFLM's and
// exactly the size the planner reports.
#include <gtest/gtest.h>

#include <string>

#include "runtime/interpreter/all_ops_resolver.h"
#include "runtime/interpreter/interpreter.h"
#include "tests/support/golden_cases.h"
#include "tests/support/golden_compare.h"
#include "tools/host_runtime/error_collector.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/io/file_io.h"

namespace mote::testing {
namespace {

std::vector<GoldenCase> runnable_cases() {
  std::vector<GoldenCase> cases;
  for (auto& c : golden_cases()) {
    if (c.status == "OK") cases.push_back(c);
  }
  return cases;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, OutputsMatchTflm) {
  const GoldenCase& c = GetParam();
  const auto model = tools::LoadedModel::from_file(c.model);
  tools::HostInterpreter host(*model);
  const auto inputs = case_files(c, "input");
  const auto outputs = case_files(c, "output");
  ASSERT_EQ(inputs.size(), model->model().num_inputs());
  ASSERT_EQ(outputs.size(), model->model().num_outputs());
  for (std::uint32_t i = 0; i < inputs.size(); ++i) {
    host.set_input(i, tools::read_file(inputs[i]).bytes());
  }
  host.invoke();
  for (std::uint32_t o = 0; o < outputs.size(); ++o) {
    const tools::AlignedBuffer expected = tools::read_file(outputs[o]);
    const auto actual = host.output_bytes(o);
    ASSERT_EQ(actual.size(), expected.size()) << "output " << o;
    const Tensor t = host.interpreter().output(o);
    // The criterion the device runner (tests/device) applies too.
    OutputComparison comparison(t.type == TensorType::FLOAT32);
    comparison.add(actual.data(), expected.data(), actual.size());
    if (t.type == TensorType::FLOAT32) {
      RecordProperty("max_float_difference", std::to_string(comparison.worst_float_difference()));
    }
    char description[256];
    comparison.describe(description, sizeof(description));
    EXPECT_TRUE(comparison.passed()) << "output " << o << ": " << description;
  }
}

TEST_P(GoldenTest, ArenaIsExactAndNoLargerThanTflm) {
  const GoldenCase& c = GetParam();
  const auto model = tools::LoadedModel::from_file(c.model);
  const ArenaReport report = tools::measure_arena(model->model());
  if (c.tflm_arena > 0) {
    EXPECT_LE(report.total, static_cast<std::uint64_t>(c.tflm_arena));
    RecordProperty("arena_ratio", std::to_string(double(report.total) / double(c.tflm_arena)));
  }
  AllOpsResolver resolver;
  {
    tools::AlignedBuffer arena(report.total);
    tools::ErrorCollector errors;
    Interpreter interpreter(model->model(), resolver, arena.data(), arena.size(),
                            errors.reporter());
    ASSERT_EQ(interpreter.allocate(), Status::kOk) << errors.last();
    EXPECT_EQ(interpreter.arena_used_bytes(), report.total);
  }
  {
    tools::AlignedBuffer arena(report.total - 1);
    tools::ErrorCollector errors;
    Interpreter interpreter(model->model(), resolver, arena.data(), arena.size(),
                            errors.reporter());
    EXPECT_EQ(interpreter.allocate(), Status::kArenaTooSmall);
    EXPECT_NE(errors.last().find(std::to_string(report.total)), std::string::npos)
        << "the refusal should name the " << report.total << " bytes needed: " << errors.last();
  }
}

INSTANTIATE_TEST_SUITE_P(Manifest, GoldenTest, ::testing::ValuesIn(runnable_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return sanitized(info.param.name);
                         });

// The one case TFLM cannot run: a model compiled by Vela into a single Ethos-U custom op.
TEST(GoldenRefusal, EthosUModelIsRefusedByName) {
  for (const GoldenCase& c : golden_cases()) {
    if (c.status == "OK") continue;
    const auto model = tools::LoadedModel::from_file(c.model);
    AllOpsResolver resolver;
    tools::AlignedBuffer arena(1 << 20);
    tools::ErrorCollector errors;
    Interpreter interpreter(model->model(), resolver, arena.data(), arena.size(),
                            errors.reporter());
    EXPECT_EQ(interpreter.allocate(), Status::kUnsupported) << c.name;
    EXPECT_NE(errors.last().find("ethos-u"), std::string::npos) << errors.last();
  }
}

}  // namespace
}  // namespace mote::testing
