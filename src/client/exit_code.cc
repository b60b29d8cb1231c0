#include "client/exit_code.h"

namespace traind::client {

ExitCode exit_code_for(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kOk:
      return kExitOk;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kForbidden:
      return kExitAuth;
    case ErrorCode::kInternal:
    case ErrorCode::kTimeout:
      return kExitUnavailable;
    default:
      return kExitRefused;
  }
}

const char* exit_codes_help() {
  return "Exit codes:\n"
         "  0  success (watch, submit --watch: the job completed)\n"
         "  1  the job ended failed or cancelled\n"
         "  2  usage error: bad arguments, unreadable file, bad ~/.config/traind/config\n"
         "  3  the request was refused: invalid configuration or JSON, unknown job or model,\n"
         "     conflict (e.g. cancelling a finished job), quota exceeded\n"
         "  4  authentication: missing, unknown or insufficient API key\n"
         "  5  traind unreachable, timed out or failed (HTTP 5xx)\n"
         "\n"
         "Server and key: --url/--api-key, else TRAIND_URL/TRAIND_API_KEY, else\n"
         "~/.config/traind/config (`url = ...`, `api_key = ...`), else http://127.0.0.1:8080.\n";
}

}  // namespace traind::client
