// serde_json's writer as pydantic-core drives it. Sources read (2026-11):
//  - pydantic-core src/serializers/type_serializers/float.rs: non-finite floats follow
//    ser_json_inf_nan, whose default 'null' calls serialize_none; finite ones go to
//    serde_json's serialize_f64 -> Formatter::write_f64 -> ryu::Buffer::format_finite.
//  - ryu src/pretty/mod.rs (d2s_buffered_n) and src/pretty/exponent.rs (write_exponent3).
//    With the shortest digits d1..dn (n = length) and value = digits * 10^k, kk = n + k
//    (so 10^(kk-1) <= |v| < 10^kk), ryu picks the layout by these thresholds:
//      zero                    -> "0.0" (or "-0.0")
//      k >= 0 and kk <= 21     -> digits, kk - n zeros, ".0"        1e16 -> 10000000000000000.0
//      0 < kk <= 21            -> digits with '.' after kk of them   1234e-2 -> 12.34
//      -6 < kk <= 0            -> "0.", -kk zeros, digits           1e-6 -> 0.000001
//      otherwise, n == 1       -> d "e" exponent                    1e-7, 1e21
//      otherwise               -> d1 "." d2..dn "e" exponent        1.5e-7, 1.2345e22
//    The exponent (kk - 1) is written with '-' when negative, never '+', no leading zeros.
//    This differs from Python's repr, which switches to exponents at 1e16 and below 1e-4.
//  - serde_json src/ser.rs: compact separators "," ":"; PrettyFormatter writes "[" or "{",
//    then per element "\n" (first) or ",\n" plus indentation, ": " between key and value,
//    and "\n" plus indentation before the closer only when the container had elements.
//    Strings: '"' '\\' and \b \f \n \r \t escaped by name, other bytes below 0x20 as
//    \u00XX with lowercase hex, everything else (DEL, '/', non-ASCII) written raw.
#include "tracking/pydantic_json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace traind::tracking {
namespace {

using nlohmann::ordered_json;

// Length of the valid UTF-8 sequence starting at s[i], or 0 when the bytes there are not
// one (overlong forms, surrogates and code points above U+10FFFF included).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t j) { return static_cast<unsigned char>(s[j]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t j = 1; j < n; ++j) {
    if ((byte(i + j) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + j) & 0x3F);
  }
  static constexpr uint32_t kMinForLength[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

void write_string(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = utf8_sequence_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for a byte no Python str could hold
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

void write_float(double v, std::string& out) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  out += ryu_float_text(v);
}

class Writer {
 public:
  Writer(int indent, std::string& out) : indent_(indent), out_(out) {}

  void write(const ordered_json& v, int depth) {
    switch (v.type()) {
      case ordered_json::value_t::object: {
        if (v.empty()) {
          out_ += "{}";
          return;
        }
        out_.push_back('{');
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
          begin_element(first, depth + 1);
          write_string(it.key(), out_);
          out_ += indent_ < 0 ? ":" : ": ";
          write(it.value(), depth + 1);
        }
        end_container(depth);
        out_.push_back('}');
        return;
      }
      case ordered_json::value_t::array: {
        if (v.empty()) {
          out_ += "[]";
          return;
        }
        out_.push_back('[');
        bool first = true;
        for (const ordered_json& element : v) {
          begin_element(first, depth + 1);
          write(element, depth + 1);
        }
        end_container(depth);
        out_.push_back(']');
        return;
      }
      case ordered_json::value_t::string:
        write_string(v.get_ref<const std::string&>(), out_);
        return;
      case ordered_json::value_t::boolean:
        out_ += v.get<bool>() ? "true" : "false";
        return;
      case ordered_json::value_t::number_integer:
        out_ += std::to_string(v.get<int64_t>());
        return;
      case ordered_json::value_t::number_unsigned:
        out_ += std::to_string(v.get<uint64_t>());
        return;
      case ordered_json::value_t::number_float:
        write_float(v.get<double>(), out_);
        return;
      case ordered_json::value_t::binary: {
        // pydantic's default ser_json_bytes='utf8': bytes are written as a string.
        const auto& bytes = v.get_binary();
        write_string(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                     out_);
        return;
      }
      case ordered_json::value_t::null:
      case ordered_json::value_t::discarded:
        out_ += "null";
        return;
    }
  }

 private:
  void begin_element(bool& first, int depth) {
    if (!first) out_.push_back(',');
    first = false;
    if (indent_ < 0) return;
    out_.push_back('\n');
    out_.append(static_cast<size_t>(indent_) * static_cast<size_t>(depth), ' ');
  }
  void end_container(int depth) {
    if (indent_ < 0) return;
    out_.push_back('\n');
    out_.append(static_cast<size_t>(indent_) * static_cast<size_t>(depth), ' ');
  }

  int indent_;
  std::string& out_;
};

}  // namespace

std::string ryu_float_text(double value) {
  if (value == 0.0) return std::signbit(value) ? "-0.0" : "0.0";
  // Scientific form without a precision gives the shortest round-trip digits, the same
  // digits ryu finds: "-d.ddde+XX". Take them apart and lay them out as ryu does.
  char buf[64];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  if (ec != std::errc()) return "null";  // cannot happen for a finite double
  std::string_view text(buf, static_cast<size_t>(end - buf));
  std::string out;
  if (text.front() == '-') {
    out.push_back('-');
    text.remove_prefix(1);
  }
  const size_t e_pos = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  const int sci_exponent = std::atoi(std::string(text.substr(e_pos + 1)).c_str());
  const int length = static_cast<int>(digits.size());
  const int kk = sci_exponent + 1;
  const int k = kk - length;
  if (k >= 0 && kk <= 21) {
    out += digits;
    out.append(static_cast<size_t>(k), '0');
    out += ".0";
  } else if (kk > 0 && kk <= 21) {
    out.append(digits, 0, static_cast<size_t>(kk));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(kk));
  } else if (kk > -6 && kk <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-kk), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (length > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out += std::to_string(kk - 1);
  }
  return out;
}

std::string dump_pydantic_json(const nlohmann::ordered_json& value, int indent) {
  std::string out;
  Writer(indent, out).write(value, 0);
  return out;
}

}  // namespace traind::tracking
