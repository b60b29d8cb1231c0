#include "tracking/logged_values.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace traind::tracking {
namespace {

// Python's float repr: the shortest digits that read back the same, positional for
// exponents in [-4, 16), else d.ddde+XX; always a '.0' on whole numbers.
std::string python_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  if (ec != std::errc()) return fmt::format("{}", v);
  std::string sci(buf, end);  // "-1.2345e+16"
  const size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  const int exponent = std::atoi(sci.c_str() + e + 1);
  const bool negative = mantissa[0] == '-';
  std::string digits;
  for (char c : mantissa) {
    if (c >= '0' && c <= '9') digits += c;
  }
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exponent + 1) {
      out += digits + std::string(static_cast<size_t>(exponent + 1) - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exponent + 1)) + "." +
             digits.substr(static_cast<size_t>(exponent + 1));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out;
}

// Python's repr() of a str (or, with `bytes`, of bytes): single quotes unless the text has
// one and no double quote; backslash, the quote and control characters escaped (and, for
// bytes, everything outside ASCII).
std::string python_quoted(const std::string& s, bool bytes) {
  const bool use_double = s.find('\'') != std::string::npos && s.find('"') == std::string::npos;
  const char quote = use_double ? '"' : '\'';
  std::string out = bytes ? "b" : "";
  out += quote;
  for (unsigned char c : s) {
    if (c == '\\' || c == quote) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f || (bytes && c > 0x7f)) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

void flatten_into(const nlohmann::json& v, const std::string& prefix,
                  std::vector<std::pair<std::string, double>>& out) {
  if (v.is_number()) {
    out.emplace_back(prefix, v.get<double>());
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      flatten_into(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    }
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      flatten_into(v[i], prefix.empty() ? std::to_string(i) : prefix + "." + std::to_string(i),
                   out);
    }
  }
}

// RFC 3986 unreserved characters stay; everything else is %XX.
std::string percent_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::string python_str(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::string:
      return v.get<std::string>();
    case nlohmann::json::value_t::boolean:
      return v.get<bool>() ? "True" : "False";
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return "None";
    case nlohmann::json::value_t::number_integer:
      return std::to_string(v.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return std::to_string(v.get<uint64_t>());
    case nlohmann::json::value_t::number_float:
      return python_float(v.get<double>());
    case nlohmann::json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + python_repr(v[i]);
      return out + "]";
    }
    case nlohmann::json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        out +=
            (first ? "" : ", ") + python_quoted(it.key(), false) + ": " + python_repr(it.value());
        first = false;
      }
      return out + "}";
    }
    case nlohmann::json::value_t::binary:
      break;
  }
  return v.dump();
}

std::string python_repr(const nlohmann::json& v) {
  return v.is_string() ? python_quoted(v.get<std::string>(), false) : python_str(v);
}

std::string python_bytes_repr(const std::string& bytes) { return python_quoted(bytes, true); }

std::vector<std::pair<std::string, double>> flatten_metrics(const nlohmann::json& metrics) {
  std::vector<std::pair<std::string, double>> out;
  flatten_into(metrics, "", out);
  return out;
}

std::string dataset_origin(const std::string& tenant, const std::string& source,
                           const std::string& query) {
  return fmt::format("{}://{}/?query={}", source.empty() ? "sql" : percent_encode(source),
                     percent_encode(tenant), percent_encode(query));
}

}  // namespace traind::tracking
