// Plain-text tables for human output: a header row, columns padded to their widest cell
// (colour sequences take no room), two spaces between columns, no trailing blanks.
#pragma once

#include <string>
#include <vector>

namespace traind::client {

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right_aligned;  // per column; numbers read better aligned right
};

std::string render_table(const Table& table);

}  // namespace traind::client
