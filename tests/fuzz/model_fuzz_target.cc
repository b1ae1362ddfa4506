#include "tests/fuzz/model_fuzz_target.h"

#include <cstring>
#include <vector>

#include "runtime/interpreter/all_ops_resolver.h"
#include "runtime/interpreter/interpreter.h"
#include "tools/analysis/op_cost.h"
#include "tools/io/aligned_buffer.h"

namespace mote::testing {
namespace {

// Big enough for the small golden models the corpus starts from.
constexpr std::size_t kArenaBytes = 256 * 1024;
// Keeps each execution short: a mutated shape can ask for billions of MACs.
constexpr std::uint64_t kMaxMacs = 20'000'000;

}  // namespace

void run_model_bytes(const std::uint8_t* data, std::size_t size) {
  // Models must be 16-byte aligned; the fuzzer's buffer is not.
  tools::AlignedBuffer model_bytes(std::span<const std::uint8_t>(data, size));
  Model model;
  if (Model::load(model_bytes.data(), model_bytes.size(), nullptr, &model) != Status::kOk) return;

  static AllOpsResolver resolver;
  static std::vector<std::uint8_t> arena(kArenaBytes);
  Interpreter interpreter(model, resolver, arena.data(), arena.size());
  if (interpreter.allocate() != Status::kOk) return;
  if (tools::model_macs(model) > kMaxMacs) return;
  for (std::uint32_t i = 0; i < interpreter.inputs_size(); ++i) {
    const Tensor t = interpreter.input(i);
    if (t.data != nullptr) std::memset(t.data, static_cast<int>(i * 37 + 1), t.bytes);
  }
  interpreter.invoke();
  // Read every output so that a bad location shows up under the sanitizers.
  volatile std::uint8_t sink = 0;
  for (std::uint32_t o = 0; o < interpreter.outputs_size(); ++o) {
    const Tensor t = interpreter.output(o);
    const auto* p = static_cast<const std::uint8_t*>(t.data);
    for (std::uint32_t k = 0; p != nullptr && k < t.bytes; ++k) sink = sink + p[k];
  }
}

}  // namespace mote::testing
