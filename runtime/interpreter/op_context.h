// What a kernel sees of its op in each phase (see kernel_registration.h): the op's tensors and
// options in all phases, memory requests while planning, op data while initialising, and tensor
// data, op data and scratch buffers while evaluating.
#pragma once

#include <cstdint>

#include "runtime/core/error_reporter.h"
#include "runtime/interpreter/graph_state.h"
#include "runtime/interpreter/tensor.h"
#include "runtime/model/model.h"

namespace mote {

// Most scratch buffers one op may ask for.
constexpr int kMaxScratchPerOp = 8;

class OpContext {
 public:
  uint32_t op_index() const { return op_index_; }
  BuiltinOperator op_code() const { return state_.model->op_code(op_index_); }
  const char* op_name() const;
  int version() const { return state_.model->op_version(op_index_); }
  const Model& model() const { return *state_.model; }
  const tflite::Operator& op() const { return op_; }

  int num_inputs() const { return op_.inputs() == nullptr ? 0 : op_.inputs()->size(); }
  int num_outputs() const { return op_.outputs() == nullptr ? 0 : op_.outputs()->size(); }
  // Input `i`; an absent optional input, or `i` past the end, gives a tensor with index -1.
  Tensor input(int i) const;
  Tensor output(int i) const;
  // Model tensor index of input / output `i` (-1 when absent).
  int32_t input_index(int i) const;
  int32_t output_index(int i) const;

  // The op's builtin options as `T`, or null when the model stores none (or another type).
  template <typename T>
  const T* options() const {
    return op_.template builtin_options_as<T>();
  }

  // Reports "op N (NAME): <message>" and returns `status`.
  Status fail(Status status, const char* format, ...) const __attribute__((format(printf, 3, 4)));

 protected:
  OpContext(const GraphState& state, uint32_t op_index)
      : state_(state), op_index_(op_index), op_(state.model->op(op_index)) {}

  Tensor tensor_view(int32_t index) const;

  const GraphState& state_;
  uint32_t op_index_;
  const tflite::Operator& op_;
};

// What plan() asked for; collected by the interpreter.
struct PlanRequest {
  uint32_t op_data_bytes = 0;
  int num_scratch = 0;
  uint32_t scratch_bytes[kMaxScratchPerOp] = {};
  int8_t in_place_input = -1;      // output 0 may reuse this input's bytes if the input dies here
  bool in_place_any_size = false;  // ... even when the two differ in size
  int8_t alias_input = -1;         // output 0 is this input reinterpreted (same bytes, always)
  // Bit i: the kernel reads input i in its sparse storage. The interpreter refuses an op with a
  // sparse input its kernel did not accept, so no kernel ever reads compressed values as dense.
  uint32_t sparse_inputs = 0;
};

class PlanContext : public OpContext {
 public:
  PlanContext(const GraphState& state, uint32_t op_index, PlanRequest* request)
      : OpContext(state, op_index), request_(request) {}

  // Reserves `bytes` of op data, kept for the interpreter's life and filled by init().
  void set_op_data_bytes(uint32_t bytes) { request_->op_data_bytes = bytes; }
  // Asks for a buffer of `bytes` valid only during this op's eval; `handle` names it in eval.
  Status request_scratch(uint32_t bytes, int* handle);
  // Lets output 0 take over input `input`'s bytes when nothing reads that input later. Only for
  // kernels that read element i of the input before writing element i of a same-size output.
  void allow_in_place(int input) { request_->in_place_input = static_cast<int8_t>(input); }
  // As allow_in_place, for a kernel that handles input `input` starting at its output's first
  // byte whatever their sizes (PAD writes back to front, so no input byte is overwritten before
  // it is read).
  void allow_in_place_any_size(int input) {
    request_->in_place_input = static_cast<int8_t>(input);
    request_->in_place_any_size = true;
  }
  // Declares output 0 to be input `input` with another shape: both share the same bytes.
  void alias_output(int input) { request_->alias_input = static_cast<int8_t>(input); }
  // Declares that this kernel reads input `input` (0..31) in its sparse storage.
  void accept_sparse_input(int input) { request_->sparse_inputs |= 1u << input; }

 private:
  PlanRequest* request_;
};

class InitContext : public OpContext {
 public:
  InitContext(const GraphState& state, uint32_t op_index) : OpContext(state, op_index) {}

  // The op data reserved in plan(); null when none was reserved.
  template <typename T>
  T* op_data() const {
    return static_cast<T*>(raw_op_data());
  }

 private:
  void* raw_op_data() const;
};

class EvalContext : public OpContext {
 public:
  EvalContext(const GraphState& state, uint32_t op_index) : OpContext(state, op_index) {}

  template <typename T>
  const T* op_data() const {
    return static_cast<const T*>(raw_op_data());
  }
  // Mutable op data, for kernels that keep state between invokes.
  template <typename T>
  T* mutable_op_data() const {
    return static_cast<T*>(raw_op_data());
  }
  // Scratch buffer `handle` from plan(); valid until eval returns.
  void* scratch(int handle) const;

  // Data of input / output `i`; null for an absent optional input.
  template <typename T>
  const T* input_data(int i) const {
    return static_cast<const T*>(state_.tensor_data(input_index(i)));
  }
  template <typename T>
  T* output_data(int i) const {
    return static_cast<T*>(state_.tensor_data(output_index(i)));
  }
  // Writable data of input `i`, for variable tensors (recurrent state) that ops update.
  template <typename T>
  T* variable_data(int i) const {
    return static_cast<T*>(state_.tensor_data(input_index(i)));
  }

 private:
  void* raw_op_data() const;
};

}  // namespace mote
