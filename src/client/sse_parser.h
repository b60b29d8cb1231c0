// Splits a Server-Sent Events byte stream into events' data (the WHATWG "event stream"
// format as traind writes it: `data:` lines, a blank line ends an event, `:` lines are
// comments such as keep-alives). Bytes may arrive cut anywhere. Thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace traind::client {

class SseParser {
 public:
  // Feeds the next bytes; appends the data of every event they complete to `events`.
  void feed(std::string_view bytes, std::vector<std::string>& events);

 private:
  void take_line(std::string_view line, std::vector<std::string>& events);

  std::string pending_;  // bytes of an unfinished line
  std::string data_;     // data lines of the event being read, joined by '\n'
  bool has_data_ = false;
};

}  // namespace traind::client
