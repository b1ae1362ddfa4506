// Reading a host text file line by line over semihosting, and splitting CSV lines, with fixed
// buffers (device tests read ../shared/golden/manifest.csv this way).
#pragma once

#include <cstddef>

namespace mote::testing {

class LineReader {
 public:
  // Reads from `file`, a handle from board::open_file; the caller closes it.
  explicit LineReader(int file) : file_(file) {}

  // The next line without its line ending (\n or \r\n), NUL-terminated in `line`. False at the
  // end of the file; a line longer than `capacity` - 1 is cut.
  bool next(char* line, size_t capacity);

 private:
  int get();

  int file_;
  char buffer_[256];
  size_t position_ = 0;
  size_t end_ = 0;
};

// Splits a CSV line in place into at most `max_fields` fields: commas inside double quotes do not
// split, the quotes are removed and "" inside quotes is one quote. Returns the number of fields.
int split_csv(char* line, char** fields, int max_fields);

}  // namespace mote::testing
