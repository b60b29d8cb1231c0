#include "apps/trainctl_session.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "client/client_config.h"
#include "client/job_summary.h"

namespace traind::trainctl {

Result<client::ApiResponse> Session::call(const std::string& method, const std::string& path,
                                          const std::string& body,
                                          const tracking::HttpHeaders& headers) const {
  Result<client::ApiResponse> answer = client_.send(method, path, body, headers);
  if (!answer) return answer;
  if (answer->ok()) return answer;
  if (json_ && answer->json().is_object()) print_body(answer->body);
  return client::status_from_error_answer(*answer);
}

int Session::fail(const Status& status) const {
  std::cout.flush();
  bool color = color_ && isatty(STDERR_FILENO);
  std::cerr << client::render_error(status, color);
  if (status.code() == ErrorCode::kUnauthenticated) {
    const std::string& source = client_.config().api_key_source;
    std::cerr << (source == "none" ? std::string("hint: no API key was given; ")
                                   : "hint: the key came from " + source + "; ")
              << "pass --api-key, set TRAIND_API_KEY, or put `api_key = ...` in "
                 "~/.config/traind/config\n";
  }
  return client::exit_code_for(status);
}

int Session::usage_error(const std::string& message) const {
  std::cout.flush();
  std::cerr << "error: " << message << "\n";
  return client::kExitUsage;
}

void Session::print_body(const std::string& body) const {
  std::cout << body;
  if (body.empty() || body.back() != '\n') std::cout << '\n';
  std::cout.flush();
}

Result<Session> open_session(const GlobalOptions& options) {
  client::ConfigFlags flags{options.url, options.api_key, options.timeout_seconds};
  Result<client::ClientConfig> config = client::resolve_client_config(flags, client::process_env);
  if (!config) return config.status();
  bool tty = isatty(STDOUT_FILENO);
  bool color = tty && !options.no_color && !client::process_env("NO_COLOR");
  return Session(client::ApiClient(std::move(*config)), options.json, color, tty);
}

}  // namespace traind::trainctl
