#include "tracking/page_token.h"

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "tracking/logged_values.h"

namespace traind::tracking {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

// Decodes the way Python's base64.b64decode does by default (binascii's non-strict mode),
// since that is what decides which tokens MLflow accepts: characters outside the alphabet
// are skipped, a complete pad ends the input, and a partial final quantum is an error.
bool base64_decode_lenient(const std::string& text, std::string* out) {
  std::array<int, 256> value;
  value.fill(-1);
  for (int i = 0; i < 64; ++i) value[static_cast<uint8_t>(kAlphabet[i])] = i;
  int quad_pos = 0, pads = 0;
  uint32_t bits = 0;
  for (char ch : text) {
    if (ch == '=') {
      if (quad_pos >= 2 && quad_pos + ++pads >= 4) return true;
      continue;
    }
    int v = value[static_cast<uint8_t>(ch)];
    if (v < 0) continue;
    pads = 0;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (quad_pos > 0) out->push_back(static_cast<char>((bits >> (6 - 2 * quad_pos)) & 0xff));
    quad_pos = (quad_pos + 1) % 4;
  }
  return quad_pos == 0;
}

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidConfig, std::move(message));
}

// Python's truthiness, which is how MLflow tells a usable "offset" from a missing one.
bool truthy(const nlohmann::json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0.0;
  if (v.is_string() || v.is_array() || v.is_object()) return !v.empty();
  return true;
}

}  // namespace

std::string encode_offset_token(int64_t offset) {
  // json.dumps({"offset": N}) puts a space after the colon.
  return base64_encode("{\"offset\": " + std::to_string(offset) + "}");
}

Result<int64_t> decode_offset_token(const std::string& token) {
  if (token.empty()) return int64_t{0};
  std::string decoded;
  if (!base64_decode_lenient(token, &decoded)) {
    return invalid("Invalid page token, could not base64-decode");
  }
  nlohmann::json parsed = nlohmann::json::parse(decoded, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return invalid("Invalid page token, decoded value=" + python_bytes_repr(decoded));
  }
  const std::string parsed_message = "Invalid page token, parsed value=" + python_repr(parsed);
  if (!parsed.is_object()) return invalid(parsed_message);
  auto it = parsed.find("offset");
  if (it == parsed.end() || !truthy(*it)) return invalid(parsed_message);

  // MLflow takes int(offset): integers as they are, floats truncated, decimal strings parsed.
  int64_t offset = 0;
  const nlohmann::json& v = *it;
  if (v.is_number_integer()) {
    offset = v.get<int64_t>();
  } else if (v.is_number_float() && std::isfinite(v.get<double>()) &&
             std::abs(v.get<double>()) < 9.2e18) {
    offset = static_cast<int64_t>(v.get<double>());
  } else if (v.is_string()) {
    std::string s = v.get<std::string>();
    size_t b = s.find_first_not_of(" \t\n\r\f\v"), e = s.find_last_not_of(" \t\n\r\f\v");
    if (b != std::string::npos) s = s.substr(b, e - b + 1);
    if (!s.empty() && s[0] == '+') s.erase(0, 1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), offset);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
      return invalid("Invalid page token, not stringable " + v.get<std::string>());
    }
  } else {
    return invalid("Invalid page token, not stringable " + python_repr(v));
  }
  // MLflow would slice from the end with a negative offset; no token it issues has one.
  if (offset < 0) return invalid(parsed_message);
  return offset;
}

}  // namespace traind::tracking
