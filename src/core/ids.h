// Identifiers and secrets: random ids for jobs, models and keys; SHA-256 for hashing.
#pragma once

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

// Compares two strings in time that depends only on their lengths.
bool constant_time_equals(const std::string& a, const std::string& b);

}  // namespace traind
