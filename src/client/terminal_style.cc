#include "client/terminal_style.h"

namespace traind::client {

std::string paint(std::string_view text, Color color, bool enabled) {
  if (!enabled || color == Color::kNone) return std::string(text);
  const char* code = "";
  switch (color) {
    case Color::kGreen:
      code = "32";
      break;
    case Color::kRed:
      code = "31";
      break;
    case Color::kYellow:
      code = "33";
      break;
    case Color::kCyan:
      code = "36";
      break;
    case Color::kDim:
      code = "2";
      break;
    case Color::kBold:
      code = "1";
      break;
    case Color::kNone:
      break;
  }
  return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
}

Color status_color(std::string_view status) {
  if (status == "completed") return Color::kGreen;
  if (status == "failed") return Color::kRed;
  if (status == "cancelled") return Color::kYellow;
  if (status == "running") return Color::kCyan;
  return Color::kNone;
}

size_t display_width(std::string_view text) {
  size_t width = 0;
  bool escape = false;
  for (unsigned char c : text) {
    // ANSI colour sequences take no room: ESC [ ... m.
    if (c == 0x1b) {
      escape = true;
      continue;
    }
    if (escape) {
      if (c == 'm') escape = false;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

}  // namespace traind::client
