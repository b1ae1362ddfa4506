// Per golden model: arena bytes and time per invoke on this machine, beside TFLM's figures from
// ../shared/golden/manifest.csv (measured by TFLM on these 2-core machines), as ratios.
//
//   build/bin/golden_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Times are noisy on shared machines; compare ratios from one run, and read the medians.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "tests/support/golden_cases.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/io/file_io.h"

namespace {

using mote::testing::GoldenCase;

void run_case(benchmark::State& state, const GoldenCase& c) {
  std::unique_ptr<mote::tools::LoadedModel> model;
  std::unique_ptr<mote::tools::HostInterpreter> host;
  try {
    model = mote::tools::LoadedModel::from_file(c.model);
    host = std::make_unique<mote::tools::HostInterpreter>(*model);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  std::vector<mote::tools::AlignedBuffer> inputs;
  for (const auto& path : mote::testing::case_files(c, "input")) {
    inputs.push_back(mote::tools::read_file(path));
  }
  double seconds = 0;
  for (auto _ : state) {
    // Inputs may be overwritten by the plan: rewrite them, outside the timed part.
    state.PauseTiming();
    for (std::uint32_t i = 0; i < inputs.size(); ++i) host->set_input(i, inputs[i].bytes());
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    host->invoke();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const double us = 1e6 * seconds / static_cast<double>(state.iterations());
  const double arena = static_cast<double>(host->arena_bytes());
  state.counters["us"] = us;
  state.counters["tflm_us"] = c.tflm_us;
  state.counters["time_ratio"] = c.tflm_us > 0 ? us / c.tflm_us : 0.0;
  state.counters["arena"] = arena;
  state.counters["tflm_arena"] = static_cast<double>(c.tflm_arena);
  state.counters["arena_ratio"] =
      c.tflm_arena > 0 ? arena / static_cast<double>(c.tflm_arena) : 0.0;
  state.counters["lower_bound"] = host->interpreter().arena_report().lower_bound;
}

}  // namespace

int main(int argc, char** argv) {
  // One case per model: the inputs do not change the work done.
  std::map<std::string, GoldenCase> per_model;
  for (const GoldenCase& c : mote::testing::golden_cases()) {
    if (c.status != "OK") continue;
    per_model.emplace(c.model.string(), c);
  }
  for (const auto& [path, c] : per_model) {
    std::string name = std::filesystem::relative(c.model, mote::testing::golden_dir() / "models")
                           .replace_extension()
                           .string();
    benchmark::RegisterBenchmark(name.c_str(), [c](benchmark::State& s) { run_case(s, c); })
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(0.05);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
