# Generates the C++ reader for mote's TFLite schema subset at build time, so that the generated
# header always matches the installed flatbuffers library. The object API (ModelT, ...) is
# generated too: the host tools read, edit and write models through it. One header for both keeps
# a single definition of every table; the runtime never uses the object API, and unused inline
# code costs compile time, not flash.
find_program(MOTE_FLATC flatc REQUIRED)

# flatbuffers' headers live in /usr/include, which a cross build must not search (it would find
# the host's C library). A folder holding only a link to them keeps the two apart.
find_path(MOTE_FLATBUFFERS_HEADERS flatbuffers/flatbuffers.h
          PATHS /usr/include NO_CMAKE_FIND_ROOT_PATH REQUIRED)
set(MOTE_FLATBUFFERS_INCLUDE "${CMAKE_BINARY_DIR}/third_party_include")
file(MAKE_DIRECTORY "${MOTE_FLATBUFFERS_INCLUDE}")
file(CREATE_LINK "${MOTE_FLATBUFFERS_HEADERS}/flatbuffers"
     "${MOTE_FLATBUFFERS_INCLUDE}/flatbuffers" SYMBOLIC)

set(MOTE_GENERATED_INCLUDE "${CMAKE_BINARY_DIR}/generated")

# mote_flatbuffers_schema(<target> <schema.fbs> <output dir relative to generated/>)
function(mote_flatbuffers_schema target schema out_subdir)
  get_filename_component(name "${schema}" NAME_WE)
  set(out_dir "${MOTE_GENERATED_INCLUDE}/${out_subdir}")
  set(header "${out_dir}/${name}_generated.h")
  add_custom_command(
    OUTPUT "${header}"
    COMMAND "${MOTE_FLATC}" --cpp --scoped-enums --gen-object-api --gen-compare -o "${out_dir}" "${schema}"
    DEPENDS "${schema}"
    COMMENT "flatc: generating ${out_subdir}/${name}_generated.h"
    VERBATIM)
  add_custom_target(${target} DEPENDS "${header}")
endfunction()
