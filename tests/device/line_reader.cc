#include "tests/device/line_reader.h"

#include "targets/cortex-m/board.h"

namespace mote::testing {

int LineReader::get() {
  if (position_ == end_) {
    end_ = board::read_file(file_, buffer_, sizeof(buffer_));
    position_ = 0;
    if (end_ == 0) return -1;
  }
  return static_cast<unsigned char>(buffer_[position_++]);
}

bool LineReader::next(char* line, size_t capacity) {
  size_t length = 0;
  int c = get();
  if (c < 0) return false;
  for (; c >= 0 && c != '\n'; c = get()) {
    if (length + 1 < capacity) line[length++] = static_cast<char>(c);
  }
  if (length > 0 && line[length - 1] == '\r') --length;
  line[length] = '\0';
  return true;
}

int split_csv(char* line, char** fields, int max_fields) {
  int count = 0;
  char* read = line;
  while (count < max_fields) {
    char* const start = read;  // fields are rewritten in place, never longer than the input
    char* write = read;
    bool quoted = false;
    for (; *read != '\0'; ++read) {
      if (*read == '"') {
        if (quoted && read[1] == '"') {
          *write++ = '"';
          ++read;
        } else {
          quoted = !quoted;
        }
      } else if (*read == ',' && !quoted) {
        break;
      } else {
        *write++ = *read;
      }
    }
    const bool more = *read == ',';
    *write = '\0';
    fields[count++] = start;
    if (!more) break;
    ++read;
  }
  return count;
}

}  // namespace mote::testing
