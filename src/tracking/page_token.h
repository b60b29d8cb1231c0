// Page tokens for MLflow's paginated searches (search_runs, search_experiments).
//
// A token is what MLflow's own stores hand out: standard base64 of the JSON {"offset": N},
// where N is how many results earlier pages already returned. Clients treat it as opaque;
// keeping MLflow's format means a token from either server reads the same. Stateless and
// thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace traind::tracking {

// The token that resumes a search after `offset` results (offset > 0).
std::string encode_offset_token(int64_t offset);

// The offset a token stands for; "" (no token: the first page) is 0. Garbage is refused with
// ErrorCode::kInvalidConfig and MLflow's messages ("Invalid page token, could not
// base64-decode", "Invalid page token, decoded value=...", "... parsed value=...").
Result<int64_t> decode_offset_token(const std::string& token);

}  // namespace traind::tracking
