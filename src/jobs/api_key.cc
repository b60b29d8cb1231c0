#include "jobs/api_key.h"

#include "core/ids.h"

namespace traind::jobs {

IssuedKey issue_key() {
  IssuedKey k;
  k.key_id = random_hex(8);
  std::string secret = random_hex(24);
  k.secret_hash = sha256_hex(secret);
  k.token = "tdk_" + k.key_id + "_" + secret;
  return k;
}

std::optional<ParsedKey> parse_key(const std::string& token) {
  // tdk_ + 16 hex + _ + 48 hex
  if (token.size() != 4 + 16 + 1 + 48 || token.compare(0, 4, "tdk_") != 0 || token[20] != '_') {
    return std::nullopt;
  }
  for (size_t i = 4; i < token.size(); ++i) {
    if (i == 20) continue;
    char c = token[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return ParsedKey{token.substr(4, 16), token.substr(21)};
}

}  // namespace traind::jobs
