// trainctl's exit codes, the contract scripts rely on (docs/CLI.md lists them).
#pragma once

#include "core/status.h"

namespace traind::client {

enum ExitCode : int {
  kExitOk = 0,         // done; for watch: the job completed
  kExitJobFailed = 1,  // the job ended failed or cancelled
  kExitUsage = 2,      // bad command line, unreadable file or config
  kExitRefused = 3,  // the request was refused: invalid config or JSON, not found, conflict, quota
  kExitAuth = 4,     // missing, unknown or insufficient API key (401/403)
  kExitUnavailable = 5,  // server unreachable, timed out or answered 5xx
};

// The exit code for a failed call.
ExitCode exit_code_for(const Status& status);

// The footer of `trainctl --help`.
const char* exit_codes_help();

}  // namespace traind::client
