// ANSI colours for human output, off when the output is not a terminal, NO_COLOR is set or
// --no-color was given.
#pragma once

#include <string>
#include <string_view>

namespace traind::client {

enum class Color { kNone, kGreen, kRed, kYellow, kCyan, kDim, kBold };

std::string paint(std::string_view text, Color color, bool enabled);

// The colour a job status is shown in.
Color status_color(std::string_view status);

// Display width of UTF-8 text (one column per code point; traind's text is Latin or ASCII).
size_t display_width(std::string_view text);

}  // namespace traind::client
