// The pieces of `mote firmware`, `mote run --target` and `mote size` that need no cross
// toolchain: the kernel list, the generated sources, the firmware's printed report and the
// linker map parser with its grouping.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/support/golden_cases.h"
#include "tools/firmware/firmware_output.h"
#include "tools/firmware/firmware_sources.h"
#include "tools/firmware/image_size.h"
#include "tools/firmware/kernel_list.h"
#include "tools/firmware/map_file.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::tools {
namespace {

TEST(KernelList, OneKernelPerDistinctOpInFirstUseOrder) {
  const auto hello =
      LoadedModel::from_file(testing::golden_dir() / "models/hello_world_int8.tflite");
  EXPECT_EQ(kernel_functions(hello->model()), std::vector<std::string>{"fully_connected"});
  const auto person = LoadedModel::from_file(testing::golden_dir() / "models/person_detect.tflite");
  auto kernels = kernel_functions(person->model());
  const Model& model = person->model();
  EXPECT_EQ(kernels.front(), std::string(builtin_op_name(model.op_code(0))) == "CONV_2D"
                                 ? "conv_2d"
                                 : "depthwise_conv_2d");
  std::sort(kernels.begin(), kernels.end());
  EXPECT_EQ(kernels, (std::vector<std::string>{"average_pool_2d", "conv_2d", "depthwise_conv_2d",
                                               "reshape", "softmax"}));
}

TEST(KernelList, RuntimePartsFollowTheModelsTensorTypes) {
  const auto person = LoadedModel::from_file(testing::golden_dir() / "models/person_detect.tflite");
  const RuntimeParts int8 = runtime_parts(person->model());
  EXPECT_FALSE(int8.float_kernels);
  EXPECT_FALSE(int8.int16_kernels);
  EXPECT_FALSE(int8.sparse_weights);
  EXPECT_EQ(runtime_parts_tag(int8), "int8");
  const auto hello_float =
      LoadedModel::from_file(testing::golden_dir() / "models/hello_world_float.tflite");
  EXPECT_EQ(runtime_parts_tag(runtime_parts(hello_float->model())), "int8+float");
  // Int8 SVDF with int16 activations.
  const auto keyword =
      LoadedModel::from_file(testing::golden_dir() / "models/keyword_scrambled.tflite");
  EXPECT_TRUE(runtime_parts(keyword->model()).int16_kernels);
  EXPECT_EQ(runtime_parts_tag({}), "all");
  EXPECT_EQ(runtime_parts_tag({false, true, true}), "int8+int16+sparse");
}

TEST(FirmwareSources, CMakeListsSetTheRuntimeParts) {
  FirmwareSpec spec;
  spec.symbol = "m";
  spec.model_name = "m.tflite";
  spec.kernels = {"conv_2d"};
  spec.op_count = 1;
  spec.parts = {false, true, false};
  const std::string cmake = firmware_cmake_lists(spec);
  EXPECT_NE(cmake.find("set(MOTE_FLOAT_KERNELS OFF CACHE BOOL"), std::string::npos) << cmake;
  EXPECT_NE(cmake.find("set(MOTE_INT16_KERNELS ON CACHE BOOL"), std::string::npos) << cmake;
  EXPECT_NE(cmake.find("set(MOTE_SPARSE_WEIGHTS OFF CACHE BOOL"), std::string::npos) << cmake;
  // Before the runtime's option() calls, which would otherwise set them ON.
  EXPECT_LT(cmake.find("MOTE_SPARSE_WEIGHTS"), cmake.find("add_subdirectory"));
  // Only the registered kernels are compiled.
  EXPECT_NE(cmake.find("set(MOTE_FIRMWARE_KERNELS \"conv_2d\" CACHE STRING"), std::string::npos)
      << cmake;
}

TEST(FirmwareSources, CortexM4FirmwareTakesTheOptimizedKernelsWhereTheyExist) {
  FirmwareSpec spec;
  spec.symbol = "m";
  spec.model_name = "m.tflite";
  spec.kernels = {"conv_2d", "depthwise_conv_2d", "fully_connected", "softmax"};
  spec.op_count = 4;
  spec.target = FirmwareTarget::kCortexM4;
  const std::string main = firmware_main_source(spec);
  EXPECT_NE(main.find("mote::kernels::optimized::conv_2d()"), std::string::npos);
  EXPECT_NE(main.find("mote::kernels::optimized::depthwise_conv_2d()"), std::string::npos);
  EXPECT_NE(main.find("mote::kernels::optimized::fully_connected()"), std::string::npos);
  EXPECT_NE(main.find("mote::kernels::softmax()"), std::string::npos);  // no optimized softmax
}

TEST(FirmwareSources, MainRegistersOnlyTheGivenKernels) {
  FirmwareSpec spec;
  spec.symbol = "hello_model";
  spec.model_name = "hello.tflite";
  spec.kernels = {"fully_connected", "softmax"};
  spec.op_count = 3;
  spec.target = FirmwareTarget::kHost;
  const std::string main = firmware_main_source(spec);
  EXPECT_NE(main.find("MutableOpResolver<kKernelCount>"), std::string::npos);
  EXPECT_NE(main.find("kKernelCount = 2;"), std::string::npos);
  EXPECT_NE(main.find("kOpCount = 3;"), std::string::npos);
  EXPECT_NE(main.find("mote::kernels::fully_connected()"), std::string::npos);
  EXPECT_NE(main.find("mote::kernels::softmax()"), std::string::npos);
  EXPECT_EQ(main.find("mote::kernels::conv_2d()"), std::string::npos);
  EXPECT_EQ(main.find("AllOpsResolver"), std::string::npos);
  EXPECT_NE(main.find("mote_firmware_arena[HELLO_MODEL_ARENA_BYTES]"), std::string::npos);
  EXPECT_EQ(main.find('@'), std::string::npos);  // every placeholder replaced

  spec.mote_source_dir = "/src/mote";
  const std::string cmake = firmware_cmake_lists(spec);
  EXPECT_NE(cmake.find("set(MOTE_SOURCE_DIR \"/src/mote\" CACHE PATH"), std::string::npos);
  EXPECT_NE(cmake.find("targets/cortex-m4/toolchain.cmake"), std::string::npos);
  EXPECT_NE(cmake.find("main.cc hello_model.cc mote_firmware_inputs.cc"), std::string::npos);
  EXPECT_EQ(cmake.find('@'), std::string::npos);
}

TEST(FirmwareSources, InputsAreBakedInOrLeftToZeros) {
  const std::string none = firmware_inputs_source({});
  EXPECT_NE(none.find("mote_firmware_input_count = 0u"), std::string::npos);
  const std::string two = firmware_inputs_source({{0x01, 0xff}, {0x7f}});
  EXPECT_NE(two.find("input_0[2] = {\n    0x01, 0xff,\n}"), std::string::npos);
  EXPECT_NE(two.find("{input_1, 1u}"), std::string::npos);
  EXPECT_NE(two.find("mote_firmware_input_count = 2u"), std::string::npos);
}

TEST(FirmwareSources, TargetNames) {
  EXPECT_EQ(parse_firmware_target("host"), FirmwareTarget::kHost);
  EXPECT_EQ(parse_firmware_target("cortex-m4"), FirmwareTarget::kCortexM4);
  EXPECT_THROW(parse_firmware_target("cortex-m7"), std::runtime_error);
}

TEST(FirmwareOutput, ReadsFiguresOutputsAndErrors) {
  const FirmwareReport report = parse_firmware_output(
      "model: hello_world_int8.tflite (2704 bytes)\n"
      "arena_bytes: 788\n"
      "board: mps2-an386\n"
      "instructions: 5123\r\n"
      "stack_bytes: 640\n"
      "output: 0 int8 3 7f0080\n"
      "output: 1 float32 0 \n"
      "op: 0 FULLY_CONNECTED 1200\n"
      "error: something\n"
      "done: ok\n"
      "   text    data     bss     dec     hex filename\n");
  EXPECT_EQ(report.board, "mps2-an386");
  EXPECT_EQ(report.figures.at("arena_bytes"), 788u);
  EXPECT_EQ(report.figures.at("instructions"), 5123u);
  EXPECT_EQ(report.figures.at("stack_bytes"), 640u);
  EXPECT_EQ(report.figures.count("model"), 0u);
  ASSERT_EQ(report.outputs.size(), 2u);
  EXPECT_EQ(report.outputs[0].type, "int8");
  EXPECT_EQ(report.outputs[0].bytes, (std::vector<std::uint8_t>{0x7f, 0x00, 0x80}));
  EXPECT_TRUE(report.outputs[1].bytes.empty());
  ASSERT_EQ(report.ops.size(), 1u);
  EXPECT_EQ(report.ops[0].op, "FULLY_CONNECTED");
  EXPECT_EQ(report.ops[0].instructions, 1200u);
  EXPECT_EQ(report.errors, std::vector<std::string>{"something"});
  EXPECT_TRUE(report.done);
  EXPECT_FALSE(parse_firmware_output("arena_bytes: 1\n").done);
  EXPECT_THROW(parse_firmware_output("output: 0 int8 2 7f\n"), std::runtime_error);
}

// A map in GNU ld's layout, with a wrapped long section name, padding, symbols and an archive.
constexpr const char* kMap = R"(Archive member included to satisfy reference by file (symbol)

Memory Configuration

Linker script and memory map

LOAD CMakeFiles/firmware.dir/main.cc.obj
                0x00002000                        __stack_size = 0x2000

.vectors        0x00000000       0xc0
 *(.vectors)
 .vectors       0x00000000       0xc0 mote/targets/CMakeFiles/mote_board.dir/cortex-m/vectors.cc.obj

.text           0x000000c0      0x1a0
 *(.text .text.*)
 .text.main     0x000000c0       0x40 CMakeFiles/firmware.dir/main.cc.obj
                0x000000c0                main
 .text._ZN4mote7kernels15fully_connectedEv
                0x00000100       0x60 lib/libmote_runtime.a(fully_connected.cc.obj)
 .text._ZN4mote11Interpreter6invokeEv
                0x00000160       0x50 lib/libmote_runtime.a(interpreter.cc.obj)
 *fill*         0x000001b0        0x4 
 .rodata.mote_model
                0x000001b4       0x20 CMakeFiles/firmware.dir/mote_model.cc.obj
 .text.memcpy   0x000001d4        0x8 /usr/lib/arm-none-eabi/lib/libc_nano.a(libc_a-memcpy.o)
 .rodata.op_table
                0x000001dc        0x4 lib/libmote_runtime.a(quantization.cc.obj)

.stack          0x20000000     0x2000
                0x20000000                __stack_limit = .

.data           0x20002000        0x8 load address 0x00000260
 .data.x        0x20002000        0x8 CMakeFiles/firmware.dir/main.cc.obj

.bss            0x20002008      0x330 load address 0x00000268
 .bss.mote_firmware_arena
                0x20002008      0x320 CMakeFiles/firmware.dir/main.cc.obj
 .bss.y         0x20002328       0x10 mote/targets/CMakeFiles/mote_board.dir/cortex-m/stack.cc.obj

.ARM.attributes
                0x00000000       0x2e
 .ARM.attributes
                0x00000000       0x2e CMakeFiles/firmware.dir/main.cc.obj
)";

TEST(MapFile, ReadsOutputAndInputSectionsWithWrappedNames) {
  const MapFile map = parse_map_file(kMap);
  ASSERT_GE(map.output_sections.size(), 5u);
  EXPECT_EQ(map.output_sections[1].name, ".text");
  EXPECT_EQ(map.output_sections[1].size, 0x1a0u);
  bool found_wrapped = false;
  bool found_fill = false;
  for (const auto& input : map.input_sections) {
    if (input.name == ".text._ZN4mote7kernels15fully_connectedEv") {
      found_wrapped = true;
      EXPECT_EQ(input.size, 0x60u);
      EXPECT_EQ(input.file, "lib/libmote_runtime.a(fully_connected.cc.obj)");
      EXPECT_EQ(input.output_section, ".text");
    }
    if (input.name == "*fill*") {
      found_fill = true;
      EXPECT_EQ(input.size, 4u);
      EXPECT_TRUE(input.file.empty());
    }
  }
  EXPECT_TRUE(found_wrapped);
  EXPECT_TRUE(found_fill);
  EXPECT_THROW(parse_map_file("not a map"), std::runtime_error);
}

TEST(ImageSize, GroupsFlashByFolderAndRamByKind) {
  // The real source tree tells which runtime folder an archive member comes from.
  const ImageSize size = measure_image(parse_map_file(kMap), "mote_model", "mote_firmware_arena",
                                       MOTE_FIRMWARE_TEST_SOURCE_DIR);
  EXPECT_EQ(size.flash_total, 0xc0u + 0x1a0u + 0x8u);
  EXPECT_EQ(size.flash_kernels, 0x60u + 0x4u);  // kernels/internal/quantization.cc counts too
  EXPECT_EQ(size.flash_runtime_core, 0x50u);
  EXPECT_EQ(size.flash_model, 0x20u);
  EXPECT_EQ(size.flash_other, size.flash_total - 0x64u - 0x50u - 0x20u);
  EXPECT_EQ(size.kernels, std::vector<std::string>{"fully_connected.cc"});
  EXPECT_EQ(size.ram_data, 8u);
  EXPECT_EQ(size.ram_arena, 0x320u);
  EXPECT_EQ(size.ram_bss, 0x10u);
  EXPECT_EQ(size.ram_stack, 0x2000u);
  EXPECT_EQ(size.ram_total, 8u + 0x320u + 0x10u + 0x2000u);
  std::uint64_t board = 0;
  for (const auto& folder : size.folders) {
    if (folder.folder == "targets/cortex-m") board = folder.flash;
  }
  EXPECT_EQ(board, 0xc0u);
}

TEST(ImageSize, MergedStringSectionsCountOnce) {
  // The map lists a mergeable string section with its size before merging: here the second
  // starts 8 bytes into the first's 12, so the first occupies 8.
  const ImageSize size =
      measure_image(parse_map_file(R"(Linker script and memory map

.text           0x00000000       0x10
 .rodata.a.str1.4
                0x00000000        0xc CMakeFiles/firmware.dir/main.cc.obj
 .rodata.b.str1.4
                0x00000008        0x8 lib/libmote_runtime.a(interpreter.cc.obj)
)"),
                    "mote_model", "mote_firmware_arena", MOTE_FIRMWARE_TEST_SOURCE_DIR);
  EXPECT_EQ(size.flash_total, 16u);
  EXPECT_EQ(size.flash_other, 8u);
  EXPECT_EQ(size.flash_runtime_core, 8u);
}

}  // namespace
}  // namespace mote::tools
