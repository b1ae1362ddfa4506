// Runs one case of ../shared/golden/manifest.csv on the emulated board:
//
//   golden_device_test GOLDEN_DIR CASE RESULTS_DIR [reference|optimized]
//
// (the kernel set, AllOpsResolver's KernelSet; the build's default when left out)
// as firmware would: the model sits in the flash the test image leaves free (read there over
// semihosting, as if programmed with the image), the arena in the RAM the image leaves free. The
// outputs must equal TFLM's (tests/support/golden_compare.h, the host golden test's criterion),
// the arena must be exact (an arena of arena_used_bytes() is accepted, one byte less refused).
// It prints, and writes to RESULTS_DIR/CASE.result for tests/device/golden_summary.cmake: the
// verdict, arena bytes, instructions per invoke (and for allocate), the stack that allocate and
// invoke use beyond the caller, instructions per op, and the model's multiply-accumulates
// (convolutions and fully connected layers) for MACs per instruction.
//
// Exit status: 0 pass; 1 fail; 77 skip (CTest's SKIP_RETURN_CODE) with the reason stated: a
// kernel the runtime does not have yet, or a model or arena that does not fit the board profile.
#include <cstdarg>
#include <cstdint>
#include <cstring>

#include "runtime/core/format.h"
#include "runtime/interpreter/all_ops_resolver.h"
#include "runtime/interpreter/interpreter.h"
#include "runtime/interpreter/profiler.h"
#include "runtime/model/model.h"
#include "targets/cortex-m/board.h"
#include "tests/device/device_print.h"
#include "tests/device/line_reader.h"
#include "tests/support/golden_compare.h"

namespace mote::testing {
namespace {

constexpr int kPass = 0;
constexpr int kFail = 1;
constexpr int kSkip = 77;
constexpr size_t kAlignment = 16;
constexpr uint32_t kMaxProfiledOps = 128;

size_t align_up(size_t n) { return (n + kAlignment - 1) & ~(kAlignment - 1); }

// The last message the runtime reported.
struct LastMessage {
  char text[kMaxErrorMessage] = "";
  static void report(void* user, const char* message) {
    LastMessage* self = static_cast<LastMessage*>(user);
    std::strncpy(self->text, message, sizeof(self->text) - 1);
  }
};

// What the manifest says about a case.
struct ManifestRow {
  char model[192] = "";
  char status[64] = "";
  char tflm_ref_insns[24] = "";
  char tflm_cmsisnn_insns[24] = "";
};

void copy_field(char* out, size_t capacity, const char* value) {
  std::strncpy(out, value, capacity - 1);
  out[capacity - 1] = '\0';
}

int column(char* const* names, int count, const char* wanted) {
  for (int i = 0; i < count; ++i) {
    if (std::strcmp(names[i], wanted) == 0) return i;
  }
  return -1;
}

// Finds `name` in GOLDEN_DIR/manifest.csv; false (with `error` set) when it cannot.
bool find_case(const char* golden, const char* name, ManifestRow* row, char* error,
               size_t error_capacity) {
  char path[256];
  format_message(path, sizeof(path), "%s/manifest.csv", golden);
  const int file = board::open_file(path);
  if (file == board::kNoFile) {
    format_message(error, error_capacity, "cannot open %s", path);
    return false;
  }
  LineReader reader(file);
  static char header[1024];
  static char line[1024];
  constexpr int kMaxColumns = 32;
  char* names[kMaxColumns];
  char* fields[kMaxColumns];
  bool found = false;
  if (!reader.next(header, sizeof(header))) {
    format_message(error, error_capacity, "%s is empty", path);
  } else {
    const int count = split_csv(header, names, kMaxColumns);
    const int c_case = column(names, count, "case");
    const int c_model = column(names, count, "model");
    const int c_status = column(names, count, "status");
    const int c_ref = column(names, count, "tflm_m4_ref_insns");
    const int c_cmsis = column(names, count, "tflm_m4_cmsisnn_insns");
    if (c_case < 0 || c_model < 0 || c_status < 0) {
      format_message(error, error_capacity, "%s lacks the case, model or status column", path);
    } else {
      while (!found && reader.next(line, sizeof(line))) {
        const int n = split_csv(line, fields, kMaxColumns);
        if (n <= c_status || std::strcmp(fields[c_case], name) != 0) continue;
        copy_field(row->model, sizeof(row->model), fields[c_model]);
        copy_field(row->status, sizeof(row->status), fields[c_status]);
        if (c_ref >= 0 && c_ref < n) {
          copy_field(row->tflm_ref_insns, sizeof(row->tflm_ref_insns), fields[c_ref]);
        }
        if (c_cmsis >= 0 && c_cmsis < n) {
          copy_field(row->tflm_cmsisnn_insns, sizeof(row->tflm_cmsisnn_insns), fields[c_cmsis]);
        }
        found = true;
      }
      if (!found) format_message(error, error_capacity, "no case '%s' in %s", name, path);
    }
  }
  board::close_file(file);
  return found;
}

// Reads a whole host file into `buffer`; false when it cannot be opened or read.
bool read_whole(const char* path, uint8_t* buffer, size_t bytes) {
  const int file = board::open_file(path);
  if (file == board::kNoFile) return false;
  const bool ok = board::read_file(file, buffer, bytes) == bytes;
  board::close_file(file);
  return ok;
}

// The verdict and figures of one case, printed and written to RESULTS_DIR/CASE.result.
class Report {
 public:
  Report(const char* name, const char* results_dir) : name_(name), results_dir_(results_dir) {}

  void figure(const char* key, unsigned long long value) { append(" %s=%llu", key, value); }
  void text(const char* key, const char* value) { append(" %s=%s", key, value); }

  int pass() { return finish(kPass, "PASS", ""); }
  int fail(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    va_list args;
    va_start(args, format);
    format_message(reason_, sizeof(reason_), format, args);
    va_end(args);
    return finish(kFail, "FAIL", reason_);
  }
  int skip(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    va_list args;
    va_start(args, format);
    format_message(reason_, sizeof(reason_), format, args);
    va_end(args);
    return finish(kSkip, "SKIP", reason_);
  }

 private:
  void append(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    va_list args;
    va_start(args, format);
    length_ += format_message(figures_ + length_, sizeof(figures_) - length_, format, args);
    va_end(args);
  }

  int finish(int code, const char* verdict, const char* reason) {
    static char line[1024];
    const size_t n =
        format_message(line, sizeof(line), "case=%s result=%s board=%s%s%s%s\n", name_, verdict,
                       board::name(), figures_, reason[0] != '\0' ? " reason=" : "", reason);
    print("%s: %s%s%s\n", name_, verdict, reason[0] != '\0' ? ": " : "", reason);
    static char path[256];
    format_message(path, sizeof(path), "%s/%s.result", results_dir_, name_);
    const int file = board::create_file(path);
    if (file == board::kNoFile) {
      print("cannot write %s\n", path);
      return kFail;
    }
    board::write_file(file, line, n);
    board::close_file(file);
    return code;
  }

  const char* name_;
  const char* results_dir_;
  char figures_[320] = "";
  size_t length_ = 0;
  char reason_[256] = "";
};

// The ops of `model` that `resolver` has no kernel for, as "CONV_2D, SOFTMAX"; empty if none.
void missing_kernels(const Model& model, const OpResolver& resolver, char* out, size_t capacity) {
  size_t length = 0;
  out[0] = '\0';
  for (uint32_t o = 0; o < model.num_ops(); ++o) {
    const char* custom = model.op_custom_code(o);
    if (resolver.find(model.op_code(o), custom) >= 0) continue;
    bool listed = false;  // by an earlier op with the same code
    for (uint32_t p = 0; p < o && !listed; ++p) {
      const char* other = model.op_custom_code(p);
      listed = model.op_code(p) == model.op_code(o) &&
               (custom == nullptr ? other == nullptr
                                  : other != nullptr && std::strcmp(custom, other) == 0);
    }
    if (listed) continue;
    const char* name = custom != nullptr ? custom : builtin_op_name(model.op_code(o));
    length += format_message(out + length, capacity - length, "%s%s", length > 0 ? ", " : "", name);
  }
}

// Multiply-accumulates of one invoke in the ops that do nearly all of them: CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED (one per weight and output position).
uint64_t model_macs(const Model& model, const Interpreter& interpreter) {
  uint64_t macs = 0;
  for (uint32_t o = 0; o < model.num_ops(); ++o) {
    const auto* inputs = model.op(o).inputs();
    const auto* outputs = model.op(o).outputs();
    if (inputs == nullptr || inputs->size() < 2 || outputs == nullptr || outputs->size() < 1) {
      continue;
    }
    const Tensor weights = interpreter.tensor(static_cast<uint32_t>(inputs->Get(1)));
    const Tensor output = interpreter.tensor(static_cast<uint32_t>(outputs->Get(0)));
    uint64_t per_output = 0;
    switch (model.op_code(o)) {
      case tflite::BuiltinOperator::CONV_2D:
        if (weights.rank == 4)
          per_output = weights.elements / static_cast<uint32_t>(weights.dim(0));
        break;
      case tflite::BuiltinOperator::DEPTHWISE_CONV_2D:
        if (weights.rank == 4) per_output = static_cast<uint64_t>(weights.dim(1)) * weights.dim(2);
        break;
      case tflite::BuiltinOperator::FULLY_CONNECTED:
        if (weights.rank >= 1) per_output = static_cast<uint64_t>(weights.dim(-1));
        break;
      default:
        break;
    }
    macs += per_output * output.elements;
  }
  return macs;
}

int run(int argc, char** argv) {
  if (argc < 4) {
    print("usage: golden_device_test GOLDEN_DIR CASE RESULTS_DIR [reference|optimized]\n");
    return kFail;
  }
  KernelSet kernel_set = KernelSet::kDefault;
  if (argc > 4) {
    if (std::strcmp(argv[4], "reference") == 0) {
      kernel_set = KernelSet::kReference;
    } else if (std::strcmp(argv[4], "optimized") == 0) {
      kernel_set = KernelSet::kOptimized;
    } else {
      print("unknown kernel set %s (reference or optimized)\n", argv[4]);
      return kFail;
    }
  }
  const bool optimized_kernels =
      (kernel_set == KernelSet::kDefault ? default_kernel_set() : kernel_set) ==
      KernelSet::kOptimized;
  const char* golden = argv[1];
  const char* name = argv[2];
  Report report(name, argv[3]);

  // Buffers are static: the micro:bit build has a 16 KB RAM and a small stack.
  static ManifestRow row;
  static char error[256];
  if (!find_case(golden, name, &row, error, sizeof(error))) return report.fail("%s", error);

  // The model: in the free flash (as if programmed with the image), or in RAM on boards whose
  // flash the image cannot write.
  static char path[320];
  format_message(path, sizeof(path), "%s/%s", golden, row.model);
  const int model_file = board::open_file(path);
  if (model_file == board::kNoFile) return report.fail("cannot open %s", path);
  const long model_length = board::file_length(model_file);
  board::close_file(model_file);
  if (model_length <= 0) return report.fail("cannot read the length of %s", path);
  const size_t model_bytes = static_cast<size_t>(model_length);
  report.figure("model_bytes", model_bytes);
  board::Region flash = board::free_flash();
  board::Region ram = board::free_ram();
  uint8_t* model_data;
  if (flash.bytes > 0) {
    if (model_bytes > flash.bytes) {
      return report.skip(
          "the model (%zu B) does not fit the %zu B of flash the image leaves "
          "(flash profile %zu B)",
          model_bytes, flash.bytes, board::flash_bytes());
    }
    model_data = flash.start;
  } else {
    if (align_up(model_bytes) > ram.bytes) {
      return report.skip(
          "the model (%zu B) does not fit the %zu B of RAM the image leaves "
          "(RAM profile %zu B)",
          model_bytes, ram.bytes, board::ram_bytes());
    }
    model_data = ram.start;
    ram.start += align_up(model_bytes);
    ram.bytes -= align_up(model_bytes);
  }
  if (!read_whole(path, model_data, model_bytes)) return report.fail("cannot read %s", path);

  LastMessage last;
  const ErrorReporter reporter{&LastMessage::report, &last};
  Model model;
  if (Model::load(model_data, model_bytes, &reporter, &model) != Status::kOk) {
    return report.fail("the model is refused: %s", last.text);
  }
  AllOpsResolver resolver(kernel_set);

  // A case TFLM itself cannot run must be refused with a message naming the reason (the host
  // golden test's GoldenRefusal: an Ethos-U custom op).
  if (std::strcmp(row.status, "OK") != 0) {
    Interpreter interpreter(model, resolver, ram.start, ram.bytes, &reporter);
    const Status status = interpreter.allocate();
    if (status == Status::kUnsupported && std::strstr(last.text, "ethos-u") != nullptr) {
      report.text("expected_refusal", row.status);
      return report.pass();
    }
    return report.fail(
        "TFLM cannot run this case (%s); expected a refusal naming ethos-u, got %s: %s", row.status,
        status_name(status), last.text);
  }

  static char missing[160];
  missing_kernels(model, resolver, missing, sizeof(missing));
  if (missing[0] != '\0') return report.skip("kernel missing: %s", missing);

  // Plan in all the free RAM to learn the arena size, then run in an arena of exactly that size.
  // allocate() and invoke() are measured: instructions, and stack beyond this frame.
  uint32_t arena_bytes = 0;
  {
    Interpreter interpreter(model, resolver, ram.start, ram.bytes, &reporter);
    const Status status = interpreter.allocate();
    if (status == Status::kArenaTooSmall) {
      return report.skip(
          "the arena needs %lu B or more; the image leaves %zu B of RAM (RAM "
          "profile %zu B)",
          static_cast<unsigned long>(interpreter.arena_report().total), ram.bytes,
          board::ram_bytes());
    }
    if (status != Status::kOk) {
      return report.fail("allocate: %s: %s", status_name(status), last.text);
    }
    arena_bytes = static_cast<uint32_t>(interpreter.arena_used_bytes());
  }
  report.figure("arena", arena_bytes);
  {
    Interpreter too_small(model, resolver, ram.start, arena_bytes - 1, &reporter);
    const Status status = too_small.allocate();
    if (status != Status::kArenaTooSmall) {
      return report.fail("an arena of %lu B (one less than arena_used_bytes) gave %s",
                         static_cast<unsigned long>(arena_bytes - 1), status_name(status));
    }
    char needed[16];
    format_message(needed, sizeof(needed), "%lu", static_cast<unsigned long>(arena_bytes));
    if (std::strstr(last.text, needed) == nullptr) {
      return report.fail("the refusal of a smaller arena should name the %s B needed: %s", needed,
                         last.text);
    }
  }

  Interpreter interpreter(model, resolver, ram.start, arena_bytes, &reporter);
  const size_t setup_stack = board::stack_high_water();  // before the repaints below
  board::paint_stack();
  const size_t depth = board::stack_depth();
  const uint64_t allocate_start = board::instructions();
  const Status allocated = interpreter.allocate();
  const uint64_t allocate_end = board::instructions();
  const size_t allocate_stack = board::stack_high_water() - depth;
  if (allocated != Status::kOk) {
    return report.fail("allocate in an arena of exactly %lu B: %s: %s",
                       static_cast<unsigned long>(arena_bytes), status_name(allocated), last.text);
  }
  if (interpreter.arena_used_bytes() != arena_bytes) {
    return report.fail("arena_used_bytes() is %zu in an arena of %lu B",
                       interpreter.arena_used_bytes(), static_cast<unsigned long>(arena_bytes));
  }

  for (uint32_t i = 0;; ++i) {
    format_message(path, sizeof(path), "%s/cases/%s/input_%lu.bin", golden, name,
                   static_cast<unsigned long>(i));
    const int file = board::open_file(path);
    if (file == board::kNoFile) {
      if (i != interpreter.inputs_size()) {
        return report.fail("the case has %lu input files; the model has %lu inputs",
                           static_cast<unsigned long>(i),
                           static_cast<unsigned long>(interpreter.inputs_size()));
      }
      break;
    }
    const long length = board::file_length(file);
    const Tensor input = interpreter.input(i);
    const bool fits = input.present() && length == static_cast<long>(input.bytes);
    const bool read = fits && board::read_file(file, input.data, input.bytes) == input.bytes;
    board::close_file(file);
    if (!read) {
      return report.fail("%s holds %ld B; input %lu needs %lu B", path, length,
                         static_cast<unsigned long>(i), static_cast<unsigned long>(input.bytes));
    }
  }

  board::paint_stack();
  const uint64_t invoke_start = board::instructions();
  const Status invoked = interpreter.invoke();
  const uint64_t invoke_end = board::instructions();
  const size_t invoke_stack = board::stack_high_water() - depth;
  if (invoked != Status::kOk) {
    return report.fail("invoke: %s: %s", status_name(invoked), last.text);
  }
  const uint64_t overhead = board::instruction_overhead();
  report.figure("invoke_instructions", invoke_end - invoke_start - overhead);
  report.figure("allocate_instructions", allocate_end - allocate_start - overhead);
  report.figure("invoke_stack", invoke_stack);
  const uint64_t macs = model_macs(model, interpreter);
  report.figure("macs", macs);
  report.text("kernels", optimized_kernels ? "optimized" : "reference");
  report.figure("allocate_stack", allocate_stack);
  const size_t image_stack = board::stack_high_water();
  report.figure("image_stack", image_stack > setup_stack ? image_stack : setup_stack);
  report.text("tflm_m4_ref_insns", row.tflm_ref_insns[0] != '\0' ? row.tflm_ref_insns : "-");
  report.text("tflm_m4_cmsisnn_insns",
              row.tflm_cmsisnn_insns[0] != '\0' ? row.tflm_cmsisnn_insns : "-");
  print(
      "%s: arena %lu B, %llu instructions per invoke (TFLM reference %s, CMSIS-NN %s), "
      "%llu for allocate; stack beyond the caller: invoke %zu B, allocate %zu B\n",
      name, static_cast<unsigned long>(arena_bytes),
      static_cast<unsigned long long>(invoke_end - invoke_start - overhead), row.tflm_ref_insns,
      row.tflm_cmsisnn_insns,
      static_cast<unsigned long long>(allocate_end - allocate_start - overhead), invoke_stack,
      allocate_stack);
  print("%s: %s kernels, %llu multiply-accumulates\n", name,
        optimized_kernels ? "optimized" : "reference", static_cast<unsigned long long>(macs));

  int failures = 0;
  static char first_failure[288];
  for (uint32_t o = 0; o < interpreter.outputs_size(); ++o) {
    format_message(path, sizeof(path), "%s/cases/%s/output_%lu.bin", golden, name,
                   static_cast<unsigned long>(o));
    const Tensor output = interpreter.output(o);
    const int file = board::open_file(path);
    if (file == board::kNoFile) return report.fail("cannot open %s", path);
    const long length = board::file_length(file);
    if (length != static_cast<long>(output.bytes)) {
      board::close_file(file);
      return report.fail("output %lu has %lu B; TFLM's %s has %ld B", static_cast<unsigned long>(o),
                         static_cast<unsigned long>(output.bytes), path, length);
    }
    OutputComparison comparison(output.type == TensorType::FLOAT32);
    static uint8_t expected[512];
    const uint8_t* actual = static_cast<const uint8_t*>(output.data);
    for (size_t done = 0; done < output.bytes;) {
      const size_t chunk =
          output.bytes - done < sizeof(expected) ? output.bytes - done : sizeof(expected);
      if (board::read_file(file, expected, chunk) != chunk) break;
      comparison.add(actual + done, expected, chunk);
      done += chunk;
    }
    board::close_file(file);
    static char description[256];
    comparison.describe(description, sizeof(description));
    print("%s: output %lu: %s\n", name, static_cast<unsigned long>(o), description);
    if (comparison.bytes() != output.bytes) {
      return report.fail("cannot read %s", path);
    }
    if (!comparison.passed() && failures++ == 0) {
      format_message(first_failure, sizeof(first_failure), "output %lu: %s",
                     static_cast<unsigned long>(o), description);
    }
  }

  // Instructions per op, with the runtime's profiler on the board's instruction clock: a second
  // invoke (its outputs are not checked: inputs may have been overwritten by the first).
  static uint64_t op_instructions[kMaxProfiledOps];
  Profiler profiler(&board::instruction_clock, nullptr, op_instructions, kMaxProfiledOps);
  interpreter.set_profiler(&profiler);
  if (interpreter.invoke() == Status::kOk) {
    const uint32_t ops = model.num_ops() < kMaxProfiledOps ? model.num_ops() : kMaxProfiledOps;
    for (uint32_t o = 0; o < ops; ++o) {
      print("%s: op %lu %s: %llu instructions\n", name, static_cast<unsigned long>(o),
            builtin_op_name(model.op_code(o)),
            static_cast<unsigned long long>(profiler.op_ticks(o) - overhead));
    }
  }

  if (failures > 0)
    return report.fail("%d output(s) differ from TFLM's; %s", failures, first_failure);
  return report.pass();
}

}  // namespace
}  // namespace mote::testing

int main(int argc, char** argv) { return mote::testing::run(argc, argv); }
