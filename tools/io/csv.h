// Comma-separated tables with a header row (RFC 4180 quoting), as labels and manifests come.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mote::tools {

class CsvTable {
 public:
  // Parses `text`; throws std::runtime_error naming `what` and the line of an unterminated quote.
  static CsvTable parse(std::string_view text, const std::string& what);
  static CsvTable read(const std::filesystem::path& path);

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }
  // Index of column `name`; throws when the table has no such column.
  std::size_t column(const std::string& name) const;
  // Cell of row `row` in column `name`.
  const std::string& at(std::size_t row, const std::string& name) const;

 private:
  std::string what_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace mote::tools
