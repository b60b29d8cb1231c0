// What every trainctl command works with: the resolved client, the output mode, and the
// one place that turns a failed call into a message and an exit code.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "client/api_client.h"
#include "client/exit_code.h"
#include "core/status.h"

namespace traind::trainctl {

struct GlobalOptions {
  std::optional<std::string> url;
  std::optional<std::string> api_key;
  std::optional<double> timeout_seconds;
  bool json = false;
  bool no_color = false;
};

class Session {
 public:
  Session(client::ApiClient client, bool json, bool color, bool tty)
      : client_(std::move(client)), json_(json), color_(color), tty_(tty) {}

  const client::ApiClient& client() const { return client_; }
  bool json() const { return json_; }    // machine output: the server's JSON as is
  bool color() const { return color_; }  // ANSI colours on stdout
  bool tty() const { return tty_; }      // stdout is a terminal

  // Sends a request. A non-2xx answer becomes its Status (with --json its body is printed
  // to stdout first, as the server sent it, so scripts can read the error too).
  Result<client::ApiResponse> call(const std::string& method, const std::string& path,
                                   const std::string& body = "",
                                   const tracking::HttpHeaders& headers = {}) const;

  // Prints the error for a person (stderr) and returns the exit code it maps to.
  int fail(const Status& status) const;
  // The same for problems with the command line or local files: exit code 2.
  int usage_error(const std::string& message) const;

  // Prints a JSON answer body (with --json) as is, ending with a newline.
  void print_body(const std::string& body) const;

 private:
  client::ApiClient client_;
  bool json_;
  bool color_;
  bool tty_;
};

// Resolves the configuration (flags > env > config file > default) and opens the session.
Result<Session> open_session(const GlobalOptions& options);

}  // namespace traind::trainctl
