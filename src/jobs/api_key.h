// API keys: "tdk_<key id>_<secret>". Only SHA-256 of the secret is stored; the key id
// finds the record without scanning, and the secret is compared in constant time.
#pragma once

#include <optional>
#include <string>

namespace traind::jobs {

struct IssuedKey {
  std::string key_id;
  std::string secret_hash;
  std::string token;  // shown to the user once, never stored
};

IssuedKey issue_key();

struct ParsedKey {
  std::string key_id;
  std::string secret;
};
std::optional<ParsedKey> parse_key(const std::string& token);

}  // namespace traind::jobs
