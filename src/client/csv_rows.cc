#include "client/csv_rows.h"

#include <cstdlib>
#include <regex>
#include <vector>

namespace traind::client {
namespace {

using nlohmann::json;

json cell_value(const std::string& cell, bool quoted) {
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kNumber("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  if (quoted) return cell;
  if (cell.empty()) return nullptr;
  if (std::regex_match(cell, kInteger) && cell.size() < 18) return std::stoll(cell);
  if (std::regex_match(cell, kNumber)) return std::strtod(cell.c_str(), nullptr);
  return cell;
}

}  // namespace

Result<json> parse_csv_rows(std::string_view text, const std::string& source) {
  std::vector<std::vector<std::pair<std::string, bool>>> records;
  std::vector<int> record_lines;
  std::vector<std::pair<std::string, bool>> record;
  std::string cell;
  bool quoted = false, in_quotes = false, cell_started = false;
  int line = 1, record_line = 1;
  auto end_cell = [&] {
    record.emplace_back(std::move(cell), quoted);
    cell.clear();
    quoted = false;
    cell_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"' && !cell_started) {
      in_quotes = quoted = cell_started = true;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_cell();
      if (!(record.size() == 1 && record[0].first.empty() && !record[0].second)) {
        records.push_back(std::move(record));
        record_lines.push_back(record_line);
      }
      record.clear();
      ++line;
      record_line = line;
    } else {
      cell += c;
      cell_started = true;
    }
  }
  if (in_quotes) {
    return Status(ErrorCode::kInvalidJson,
                  source + ":" + std::to_string(record_line) + ": unterminated quoted cell");
  }
  if (cell_started || !record.empty()) {
    end_cell();
    records.push_back(std::move(record));
    record_lines.push_back(record_line);
  }
  if (records.empty()) return Status(ErrorCode::kInvalidJson, source + ": the file is empty");
  const auto& header = records.front();
  json rows = json::array();
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != header.size()) {
      return Status(ErrorCode::kInvalidJson, source + ":" + std::to_string(record_lines[r]) + ": " +
                                                 std::to_string(records[r].size()) +
                                                 " cells, but the header names " +
                                                 std::to_string(header.size()) + " columns");
    }
    json row = json::object();
    for (size_t c = 0; c < header.size(); ++c) {
      row[header[c].first] = cell_value(records[r][c].first, records[r][c].second);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace traind::client
