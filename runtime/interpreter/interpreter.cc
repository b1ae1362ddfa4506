#include "runtime/interpreter/interpreter.h"

#include <cstring>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"

namespace mote {
namespace {

constexpr uint32_t kArenaAlignment = 16;
constexpr uint32_t kBlockAlignment = 8;
// Arena offsets share 32 bits with kConstantBit; larger arenas are used only up to this size.
constexpr size_t kMaxArenaBytes = 0x7FFFFFFF;
constexpr uint16_t kNoStep = 0xFFFF;

uint32_t align_up(uint32_t value, uint32_t align) { return (value + align - 1) & ~(align - 1); }

uint8_t buffer_alignment(TensorType type) { return tensor_type_size(type) >= 8 ? 8 : 4; }

const char* custom_op_hint(const char* custom_code) {
  if (std::strcmp(custom_code, "ethos-u") == 0) {
    return " (an Arm Ethos-U NPU command stream compiled by Vela: it runs only on a device with "
           "that NPU; run the model from before Vela compilation instead)";
  }
  return "";
}

// Refuses op `o` when one of its inputs is stored sparse and its kernel did not declare that it
// reads sparse storage (the buffer then holds fewer bytes than the shape says).
Status check_sparse_inputs(const Model& model, const ErrorReporter* reporter, uint32_t o,
                           const PlanRequest& request) {
  const auto* inputs = model.op(o).inputs();
  const uint32_t n = inputs == nullptr ? 0 : inputs->size();
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t t = inputs->Get(i);
    if (t < 0 || model.tensor(static_cast<uint32_t>(t)).sparsity() == nullptr) continue;
    if (i < 32 && (request.sparse_inputs & (1u << i)) != 0) continue;
    return report_error(reporter, Status::kUnsupported,
                        "op %u (%s): input %u (tensor %d) is stored sparse, which this kernel "
                        "does not read (mote runs sparse int8 weights of FULLY_CONNECTED and "
                        "CONV_2D)",
                        o, builtin_op_name(model.op_code(o)), i, t);
  }
  return Status::kOk;
}

// Refuses op `o` when one of its tensors has a type whose kernel paths this build left out
// (runtime/core/build_options.h), before its kernel could reach a path that is not there.
Status check_build_types(const Model& model, const ErrorReporter* reporter, uint32_t o) {
  if (kFloatKernels && kInt16Kernels) return Status::kOk;
  const tflite::Operator& op = model.op(o);
  const flatbuffers::Vector<int32_t>* lists[2] = {op.inputs(), op.outputs()};
  for (const flatbuffers::Vector<int32_t>* list : lists) {
    const uint32_t n = list == nullptr ? 0 : list->size();
    for (uint32_t i = 0; i < n; ++i) {
      const int32_t t = list->Get(i);
      if (t < 0) continue;
      const TensorType type = model.tensor(static_cast<uint32_t>(t)).type();
      const char* option = option_missing_for(type);
      if (option == nullptr) continue;
      return report_error(reporter, Status::kUnsupported,
                          "op %u (%s): tensor %d is %s, whose kernels this runtime was built "
                          "without; rebuild it with -D%s=ON (mote firmware does so when the "
                          "model needs it)",
                          o, builtin_op_name(model.op_code(o)), t, tensor_type_name(type), option);
    }
  }
  return Status::kOk;
}

// Union-find over planner buffers; `link` is the parent.
uint16_t root_of(const PlannerBuffer* buffers, uint16_t b) {
  while (buffers[b].link != b) b = buffers[b].link;
  return b;
}

}  // namespace

// Where each part of the arena's head starts, from the first planning pass.
struct Interpreter::Layout {
  uint32_t num_tensors = 0;
  uint32_t num_ops = 0;
  uint32_t num_scratch = 0;
  uint32_t num_activations = 0;  // tensors that get a planned buffer
  uint32_t op_data_bytes = 0;
  uint32_t variable_bytes = 0;
  uint32_t tensor_table = 0;
  uint32_t op_table = 0;
  uint32_t scratch_table = 0;
  uint32_t op_data = 0;
  uint32_t variables = 0;
  uint32_t head = 0;
  uint32_t workspace = 0;
};

Interpreter::Interpreter(const Model& model, const OpResolver& resolver, void* arena,
                         size_t arena_bytes, const ErrorReporter* reporter,
                         const InterpreterOptions& options)
    : model_(model),
      resolver_(resolver),
      arena_start_(static_cast<uint8_t*>(arena)),
      arena_bytes_(arena_bytes),
      options_(options) {
  state_.model = &model_;
  state_.reporter = reporter;
}

Status Interpreter::resolve_and_measure(Layout* layout) {
  layout->num_tensors = model_.num_tensors();
  layout->num_ops = model_.num_ops();
  for (uint32_t o = 0; o < layout->num_ops; ++o) {
    const BuiltinOperator code = model_.op_code(o);
    const char* custom = model_.op_custom_code(o);
    const int k = resolver_.find(code, custom);
    if (k < 0) {
      if (custom != nullptr) {
        return report_error(state_.reporter, Status::kUnsupported,
                            "op %u is custom op '%s', which the op resolver has no kernel for%s", o,
                            custom, custom_op_hint(custom));
      }
      return report_error(state_.reporter, Status::kUnsupported,
                          "op %u uses %s (builtin %d), which the op resolver has no kernel for", o,
                          builtin_op_name(code), static_cast<int>(code));
    }
    const KernelRegistration& kernel = resolver_.kernel(static_cast<uint32_t>(k));
    if (model_.op_version(o) > kernel.max_version) {
      return report_error(state_.reporter, Status::kUnsupported,
                          "op %u (%s) is version %d; mote's kernel implements versions up to %d", o,
                          builtin_op_name(code), model_.op_version(o), kernel.max_version);
    }
    MOTE_RETURN_IF_ERROR(check_build_types(model_, state_.reporter, o));
    PlanRequest request;
    PlanContext ctx(state_, o, &request);
    MOTE_RETURN_IF_ERROR(kernel.plan(ctx));
    MOTE_RETURN_IF_ERROR(check_sparse_inputs(model_, state_.reporter, o, request));
    layout->op_data_bytes += align_up(request.op_data_bytes, kBlockAlignment);
    layout->num_scratch += static_cast<uint32_t>(request.num_scratch);
  }

  for (uint32_t t = 0; t < layout->num_tensors; ++t) {
    if (model_.constant_data(t) != nullptr) continue;
    if (model_.is_variable(t)) {
      layout->variable_bytes += align_up(model_.tensor_bytes(t), kBlockAlignment);
    } else {
      ++layout->num_activations;
    }
  }
  const uint32_t num_buffers = layout->num_activations + layout->num_scratch;
  if (num_buffers > kMaxTensors) {
    return report_error(state_.reporter, Status::kUnsupported,
                        "model needs %u buffers; mote plans at most %u", num_buffers, kMaxTensors);
  }

  layout->tensor_table = 0;
  layout->op_table = align_up(4 * layout->num_tensors, kBlockAlignment);
  layout->scratch_table =
      layout->op_table + static_cast<uint32_t>(sizeof(OpRecord)) * layout->num_ops;
  layout->op_data = align_up(layout->scratch_table + 4 * layout->num_scratch, kBlockAlignment);
  layout->variables = layout->op_data + layout->op_data_bytes;
  layout->head = align_up(layout->variables + layout->variable_bytes, kBlockAlignment);
  layout->workspace =
      align_up(static_cast<uint32_t>(sizeof(PlannerBuffer)) * num_buffers + 3 * layout->num_ops,
               kBlockAlignment);

  report_.tensor_table = 4 * layout->num_tensors;
  report_.op_table = static_cast<uint32_t>(sizeof(OpRecord)) * layout->num_ops;
  report_.scratch_table = 4 * layout->num_scratch;
  report_.op_data = layout->op_data_bytes;
  report_.variables = layout->variable_bytes;
  report_.head = layout->head;
  report_.workspace = layout->workspace;
  return Status::kOk;
}

Status Interpreter::plan_memory(const Layout& layout, uint8_t* workspace) {
  const uint32_t num_ops = layout.num_ops;
  const uint32_t num_buffers = layout.num_activations + layout.num_scratch;
  auto* buffers = reinterpret_cast<PlannerBuffer*>(workspace);
  auto* op_flags = reinterpret_cast<int8_t*>(buffers + num_buffers);
  uint32_t* locations = state_.tensor_locations;

  // Constants point into the model, variables into their own region; every other tensor gets a
  // planner buffer whose index its location holds until the plan is made.
  uint32_t next_buffer = 0;
  uint32_t variable_cursor = layout.variables;
  for (uint32_t t = 0; t < layout.num_tensors; ++t) {
    const uint8_t* constant = model_.constant_data(t);
    if (constant != nullptr) {
      locations[t] = kConstantBit | static_cast<uint32_t>(constant - model_.data());
    } else if (model_.is_variable(t)) {
      locations[t] = variable_cursor;
      variable_cursor += align_up(model_.tensor_bytes(t), kBlockAlignment);
    } else {
      PlannerBuffer& b = buffers[next_buffer];
      b = PlannerBuffer();
      b.align = buffer_alignment(model_.tensor(t).type());
      b.size = align_up(model_.tensor_bytes(t), b.align);
      b.first = kNoStep;
      b.last = 0;
      b.link = static_cast<uint16_t>(next_buffer);
      b.skip = 1;  // until some op uses it
      locations[t] = next_buffer++;
    }
  }

  // Second planning pass: now that the head has room, record each op's kernel, op data and
  // scratch buffers. Kernels plan against a state without locations, as in the first pass.
  GraphState planning = state_;
  planning.arena = nullptr;
  planning.tensor_locations = nullptr;
  uint32_t op_data_cursor = layout.op_data;
  uint32_t scratch_cursor = 0;
  for (uint32_t o = 0; o < num_ops; ++o) {
    const int k = resolver_.find(model_.op_code(o), model_.op_custom_code(o));
    const KernelRegistration& kernel = resolver_.kernel(static_cast<uint32_t>(k));
    PlanRequest request;
    PlanContext ctx(planning, o, &request);
    MOTE_RETURN_IF_ERROR(kernel.plan(ctx));
    OpRecord& record = state_.ops[o];
    record.kernel = static_cast<uint16_t>(k);
    record.first_scratch = static_cast<uint16_t>(scratch_cursor);
    record.op_data = request.op_data_bytes > 0 ? op_data_cursor : kNoLocation;
    op_data_cursor += align_up(request.op_data_bytes, kBlockAlignment);
    for (int s = 0; s < request.num_scratch; ++s) {
      const uint32_t index = layout.num_activations + scratch_cursor + static_cast<uint32_t>(s);
      PlannerBuffer& b = buffers[index];
      b = PlannerBuffer();
      b.align = kBlockAlignment;
      b.size = align_up(request.scratch_bytes[s], kBlockAlignment);
      b.first = static_cast<uint16_t>(o);
      b.last = static_cast<uint16_t>(o);
      b.link = static_cast<uint16_t>(index);
      state_.scratch_offsets[scratch_cursor + static_cast<uint32_t>(s)] = index;
    }
    scratch_cursor += static_cast<uint32_t>(request.num_scratch);
    op_flags[3 * o] = options_.in_place_ops ? request.in_place_input : -1;
    op_flags[3 * o + 1] = request.alias_input;
    op_flags[3 * o + 2] = request.in_place_any_size ? 1 : 0;
  }

  // Lifetimes: from the op that writes a tensor (step 0 for model inputs) to the last op that
  // reads it (the last step for model outputs).
  const uint16_t last_step = static_cast<uint16_t>(num_ops == 0 ? 0 : num_ops - 1);
  auto is_activation = [&](int32_t t) {
    return t >= 0 && model_.constant_data(static_cast<uint32_t>(t)) == nullptr &&
           !model_.is_variable(static_cast<uint32_t>(t));
  };
  auto use = [&](int32_t t, uint16_t step) {
    if (!is_activation(t)) return;
    PlannerBuffer& b = buffers[locations[t]];
    b.skip = 0;
    if (b.first == kNoStep || step < b.first) b.first = step;
    if (step > b.last) b.last = step;
  };
  for (uint32_t i = 0; i < model_.num_inputs(); ++i) {
    use(model_.input_tensor(i), 0);
    if (options_.preserve_inputs) use(model_.input_tensor(i), last_step);
  }
  for (uint32_t o = 0; o < num_ops; ++o) {
    const tflite::Operator& op = model_.op(o);
    const auto step = static_cast<uint16_t>(o);
    if (op.inputs() != nullptr) {
      for (uint32_t k = 0; k < op.inputs()->size(); ++k) use(op.inputs()->Get(k), step);
    }
    if (op.outputs() != nullptr) {
      for (uint32_t k = 0; k < op.outputs()->size(); ++k) use(op.outputs()->Get(k), step);
    }
  }
  for (uint32_t i = 0; i < model_.num_outputs(); ++i) use(model_.output_tensor(i), last_step);

  uint32_t activations_sum = 0;
  for (uint32_t b = 0; b < num_buffers; ++b) {
    if (!buffers[b].skip) activations_sum += buffers[b].size;
  }

  // Sharing: an aliasing op's output is its input; an in-place op's output takes its input's
  // bytes (both start at the same offset) when that input, with everything already sharing its
  // bytes, is read by no later op and is not a model output. Unless the kernel says it handles
  // different sizes, in-place needs equal sizes.
  auto group_last = [&](uint16_t root) {
    uint16_t last = 0;
    for (uint32_t b = 0; b < layout.num_activations; ++b) {
      if (!buffers[b].skip && root_of(buffers, static_cast<uint16_t>(b)) == root &&
          buffers[b].last > last) {
        last = buffers[b].last;
      }
    }
    return last;
  };
  auto holds_model_io = [&](uint16_t root) {
    for (uint32_t t = 0; t < layout.num_tensors; ++t) {
      if (!is_activation(static_cast<int32_t>(t))) continue;
      if (root_of(buffers, static_cast<uint16_t>(locations[t])) != root) continue;
      if (model_.is_model_output(static_cast<int32_t>(t))) return true;
      if (options_.preserve_inputs && model_.is_model_input(static_cast<int32_t>(t))) {
        return true;
      }
    }
    return false;
  };
  for (uint32_t o = 0; o < num_ops; ++o) {
    const tflite::Operator& op = model_.op(o);
    const int8_t in_place = op_flags[3 * o];
    const int8_t alias = op_flags[3 * o + 1];
    const bool any_size = op_flags[3 * o + 2] != 0;
    const int8_t shared_input = alias >= 0 ? alias : in_place;
    if (shared_input < 0 || op.outputs() == nullptr || op.outputs()->size() == 0) continue;
    if (op.inputs() == nullptr || static_cast<uint32_t>(shared_input) >= op.inputs()->size()) {
      continue;
    }
    const int32_t in = op.inputs()->Get(static_cast<uint32_t>(shared_input));
    const int32_t out = op.outputs()->Get(0);
    if (!is_activation(in) || !is_activation(out)) continue;
    const uint16_t in_root = root_of(buffers, static_cast<uint16_t>(locations[in]));
    const uint16_t out_root = root_of(buffers, static_cast<uint16_t>(locations[out]));
    if (in_root == out_root) continue;
    if (alias < 0) {
      if (!any_size && model_.tensor_bytes(static_cast<uint32_t>(in)) !=
                           model_.tensor_bytes(static_cast<uint32_t>(out))) {
        continue;
      }
      if (group_last(in_root) != o || holds_model_io(in_root)) continue;
    }
    buffers[out_root].link = in_root;
  }

  // Each alias set becomes one buffer: the union of its lifetimes, the largest of its sizes.
  for (uint32_t b = 0; b < layout.num_activations; ++b) {
    const uint16_t root = root_of(buffers, static_cast<uint16_t>(b));
    if (root == b || buffers[b].skip) continue;
    PlannerBuffer& r = buffers[root];
    if (r.skip) {
      r.skip = 0;
      r.first = buffers[b].first;
      r.last = buffers[b].last;
    }
    if (buffers[b].first < r.first) r.first = buffers[b].first;
    if (buffers[b].last > r.last) r.last = buffers[b].last;
    if (buffers[b].size > r.size) r.size = buffers[b].size;
    if (buffers[b].align > r.align) r.align = buffers[b].align;
  }
  for (uint32_t b = 0; b < layout.num_activations; ++b) {
    if (root_of(buffers, static_cast<uint16_t>(b)) != b) buffers[b].skip = 2;  // merged
  }

  const PlanResult plan = plan_offsets(buffers, num_buffers);
  report_.planned = plan.bytes;
  report_.lower_bound = plan.lower_bound;
  report_.activations_sum = activations_sum;
  report_.order = plan.order;

  // Final locations. A merged buffer takes its root's offset.
  for (uint32_t t = 0; t < layout.num_tensors; ++t) {
    if (!is_activation(static_cast<int32_t>(t))) continue;
    const uint16_t b = static_cast<uint16_t>(locations[t]);
    const uint16_t root = root_of(buffers, b);
    const bool used = buffers[b].skip != 1 && buffers[root].skip == 0;
    locations[t] = used ? layout.head + buffers[root].offset : kNoLocation;
  }
  for (uint32_t s = 0; s < layout.num_scratch; ++s) {
    state_.scratch_offsets[s] = layout.head + buffers[state_.scratch_offsets[s]].offset;
  }
  return Status::kOk;
}

Status Interpreter::initialise_ops() {
  for (uint32_t o = 0; o < model_.num_ops(); ++o) {
    const KernelRegistration& k = kernel(o);
    if (k.init == nullptr) continue;
    InitContext ctx(state_, o);
    MOTE_RETURN_IF_ERROR(k.init(ctx));
  }
  return Status::kOk;
}

void Interpreter::zero_variables() {
  for (uint32_t t = 0; t < model_.num_tensors(); ++t) {
    if (model_.constant_data(t) != nullptr || !model_.is_variable(t)) continue;
    const Tensor v = tensor_view(state_, static_cast<int32_t>(t));
    // As TFLM: an int8 state starts at its zero point, everything else at 0.
    const int value = v.type == TensorType::INT8 ? v.zero_point() : 0;
    std::memset(v.data, value, v.bytes);
  }
}

Status Interpreter::allocate() {
  allocated_ = false;
  report_ = ArenaReport();
  state_.arena = nullptr;
  state_.tensor_locations = nullptr;
  state_.ops = nullptr;
  state_.scratch_offsets = nullptr;
  if (arena_start_ == nullptr) {
    return report_error(state_.reporter, Status::kInvalidArgument, "allocate: the arena is null");
  }

  const uintptr_t start = reinterpret_cast<uintptr_t>(arena_start_);
  const uint32_t padding =
      static_cast<uint32_t>((kArenaAlignment - (start % kArenaAlignment)) % kArenaAlignment);
  report_.alignment_padding = padding;
  size_t usable = arena_bytes_ > padding ? arena_bytes_ - padding : 0;
  if (usable > kMaxArenaBytes) usable = kMaxArenaBytes;

  Layout layout;
  MOTE_RETURN_IF_ERROR(resolve_and_measure(&layout));

  // Planning works in the arena's last bytes. Only the tables are written while it runs, so its
  // workspace may overlap the op data, the variables and the planned region.
  const uint32_t planning_end = layout.op_data + layout.workspace;
  const uint32_t lower_bound = planning_end > layout.head ? planning_end : layout.head;
  if (usable < lower_bound) {
    report_.total = padding + lower_bound;
    return report_error(state_.reporter, Status::kArenaTooSmall,
                        "arena of %zu bytes is too small: this model needs at least %u bytes "
                        "(%u for tensor, op and scratch tables, op data and variables, %u to "
                        "plan the rest); run `mote inspect` on the model for the exact size",
                        arena_bytes_, report_.total, layout.head, layout.workspace);
  }

  uint8_t* arena = arena_start_ + padding;
  state_.arena = arena;
  state_.tensor_locations = reinterpret_cast<uint32_t*>(arena + layout.tensor_table);
  state_.ops = reinterpret_cast<OpRecord*>(arena + layout.op_table);
  state_.scratch_offsets = reinterpret_cast<uint32_t*>(arena + layout.scratch_table);
  const uint32_t workspace_offset =
      static_cast<uint32_t>(usable - layout.workspace) & ~(kBlockAlignment - 1);

  Status status = plan_memory(layout, arena + workspace_offset);
  if (status != Status::kOk) {
    state_.arena = nullptr;
    return status;
  }
  const uint32_t used = layout.head + report_.planned;
  report_.total = padding + (used > planning_end ? used : planning_end);
  if (usable < static_cast<size_t>(layout.head) + report_.planned) {
    state_.arena = nullptr;
    return report_error(state_.reporter, Status::kArenaTooSmall,
                        "arena of %zu bytes is too small: this model needs exactly %u bytes (%u "
                        "for tensor, op and scratch tables, op data and variables, %u for "
                        "activations)",
                        arena_bytes_, report_.total, layout.head, report_.planned);
  }

  status = initialise_ops();
  if (status != Status::kOk) {
    state_.arena = nullptr;
    return status;
  }
  zero_variables();
  allocated_ = true;
  return Status::kOk;
}

Status Interpreter::invoke() {
  if (!allocated_) {
    return report_error(state_.reporter, Status::kNotAllocated,
                        "invoke: call allocate() first (and check that it succeeded)");
  }
  if (profiler_ != nullptr) profiler_->begin_invoke();
  const uint32_t num_ops = model_.num_ops();
  for (uint32_t o = 0; o < num_ops; ++o) {
    const KernelRegistration& k = kernel(o);
    EvalContext ctx(state_, o);
    if (profiler_ != nullptr) profiler_->begin_op();
    const Status status = k.eval(ctx);
    if (profiler_ != nullptr) profiler_->end_op(o);
    if (status != Status::kOk) return status;
    if (observer_ != nullptr) observer_(observer_user_, o);
  }
  if (profiler_ != nullptr) profiler_->end_invoke();
  return Status::kOk;
}

Status Interpreter::reset_variables() {
  if (!allocated_) {
    return report_error(state_.reporter, Status::kNotAllocated,
                        "reset_variables: call allocate() first");
  }
  zero_variables();
  return Status::kOk;
}

Tensor Interpreter::input(uint32_t i) const {
  if (i >= inputs_size()) return Tensor();
  return tensor_view(state_, model_.input_tensor(i));
}

Tensor Interpreter::output(uint32_t i) const {
  if (i >= outputs_size()) return Tensor();
  return tensor_view(state_, model_.output_tensor(i));
}

Tensor Interpreter::tensor(uint32_t index) const {
  if (index >= model_.num_tensors()) return Tensor();
  return tensor_view(state_, static_cast<int32_t>(index));
}

uint32_t Interpreter::tensor_location(uint32_t index) const {
  if (!allocated_ || index >= model_.num_tensors()) return kNoLocation;
  return state_.tensor_locations[index];
}

const KernelRegistration& Interpreter::kernel(uint32_t op_index) const {
  return resolver_.kernel(state_.ops[op_index].kernel);
}

}  // namespace mote
