#include "tools/io/csv.h"

#include <stdexcept>

#include "tools/io/file_io.h"

namespace mote::tools {

CsvTable CsvTable::parse(std::string_view text, const std::string& what) {
  CsvTable table;
  table.what_ = what;
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        quoted = true;
        field_started = true;
        break;
      case ',':
        record.push_back(std::move(field));
        field.clear();
        field_started = true;
        break;
      case '\r':
        break;
      case '\n':
        ++line;
        if (field_started || !field.empty() || !record.empty()) {
          record.push_back(std::move(field));
          records.push_back(std::move(record));
        }
        field.clear();
        record.clear();
        field_started = false;
        break;
      default:
        field += c;
        field_started = true;
    }
  }
  if (quoted)
    throw std::runtime_error(what + ": unterminated quote before line " + std::to_string(line));
  if (field_started || !field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  if (records.empty()) throw std::runtime_error(what + ": empty CSV file (no header row)");
  table.header_ = std::move(records.front());
  table.rows_.assign(std::make_move_iterator(records.begin() + 1),
                     std::make_move_iterator(records.end()));
  for (std::size_t r = 0; r < table.rows_.size(); ++r) {
    if (table.rows_[r].size() != table.header_.size()) {
      throw std::runtime_error(what + ": row " + std::to_string(r + 1) + " has " +
                               std::to_string(table.rows_[r].size()) + " fields, the header has " +
                               std::to_string(table.header_.size()));
    }
  }
  return table;
}

CsvTable CsvTable::read(const std::filesystem::path& path) {
  const AlignedBuffer bytes = read_file(path);
  return parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
               path.string());
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  throw std::runtime_error(what_ + ": no column '" + name + "'");
}

const std::string& CsvTable::at(std::size_t row, const std::string& name) const {
  return rows_.at(row).at(column(name));
}

}  // namespace mote::tools
