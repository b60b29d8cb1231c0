#include "client/table.h"

#include <algorithm>

#include "client/terminal_style.h"

namespace traind::client {

std::string render_table(const Table& table) {
  size_t columns = table.headers.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  std::vector<size_t> widths(columns, 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(table.headers);
  for (const auto& row : table.rows) measure(row);

  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < columns; ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      std::string pad(widths[i] - display_width(cell), ' ');
      bool right = i < table.right_aligned.size() && table.right_aligned[i];
      if (i > 0) line += "  ";
      line += right ? pad + cell : cell + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  if (!table.headers.empty()) emit(table.headers);
  for (const auto& row : table.rows) emit(row);
  return out;
}

}  // namespace traind::client
