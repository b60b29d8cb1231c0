// Identifiers and secrets: random ids for jobs, models and keys; SHA-256 for hashing.
#pragma once

#include <cstddef>
#include <string>

namespace traind {

// `bytes` random bytes from the OS, as lowercase hex (2 * bytes characters).
std::string random_hex(int bytes);

// e.g. make_id("train") -> "train-3f9a0c51d2e4b7a8"
std::string make_id(const std::string& prefix);

// Lowercase hex SHA-256 of the data.
std::string sha256_hex(const std::string& data);

// SHA-256 of a file's contents, or "" when it cannot be read.
std::string sha256_file_hex(const std::string& path);

// SHA-256 fed piece by piece, for data too large to gather into one string.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t size);
  void update(const std::string& s) { update(s.data(), s.size()); }
  // Lowercase hex of the digest; the object is spent afterwards.
  std::string hex_digest();

 private:
  void* ctx_;  // EVP_MD_CTX, kept out of this header
};

// Compares two strings in time that depends only on their lengths.
bool constant_time_equals(const std::string& a, const std::string& b);

}  // namespace traind
