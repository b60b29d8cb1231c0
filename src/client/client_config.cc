#include "client/client_config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tracking/http_client.h"

namespace traind::client {
namespace {

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

Status file_error(const std::string& source, int line, const std::string& why) {
  return Status(ErrorCode::kInvalidConfig, source + ":" + std::to_string(line) + ": " + why);
}

// A value with its quotes removed; an unquoted value may carry a trailing `# comment`.
Result<std::string> unquote(std::string_view value, const std::string& source, int line) {
  if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
    size_t close = value.find(value.front(), 1);
    if (close == std::string_view::npos) return file_error(source, line, "unterminated quote");
    std::string_view rest = trim(value.substr(close + 1));
    if (!rest.empty() && rest.front() != '#') {
      return file_error(source, line, "unexpected text after the quoted value");
    }
    return std::string(value.substr(1, close - 1));
  }
  size_t hash = value.find(" #");
  if (hash != std::string_view::npos) value = value.substr(0, hash);
  return std::string(trim(value));
}

std::string strip_trailing_slashes(std::string url) {
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return url;
}

Result<double> parse_seconds(const std::string& text, const std::string& source) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v > 0)) {
    return Status(ErrorCode::kInvalidConfig,
                  source + ": timeout must be a positive number of seconds, not '" + text + "'");
  }
  return v;
}

}  // namespace

std::optional<std::string> process_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::string config_file_path(const EnvLookup& env) {
  if (auto xdg = env("XDG_CONFIG_HOME")) return *xdg + "/traind/config";
  if (auto home = env("HOME")) return *home + "/.config/traind/config";
  return "";
}

Result<FileSettings> parse_config_file(std::string_view text, const std::string& source) {
  FileSettings out;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        trim(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') continue;
    size_t sep = line.find_first_of("=:");
    if (sep == std::string_view::npos) {
      return file_error(source, line_no, "expected `key = value`, got '" + std::string(line) + "'");
    }
    std::string key(trim(line.substr(0, sep)));
    Result<std::string> value = unquote(trim(line.substr(sep + 1)), source, line_no);
    if (!value) return value.status();
    if (key == "url") {
      out.url = *value;
      out.url_line = line_no;
    } else if (key == "api_key") {
      out.api_key = *value;
      out.api_key_line = line_no;
    } else if (key == "timeout") {
      Result<double> seconds = parse_seconds(*value, source + ":" + std::to_string(line_no));
      if (!seconds) return seconds.status();
      out.timeout_seconds = *seconds;
    } else {
      return file_error(source, line_no,
                        "unknown setting '" + key + "' (known: url, api_key, timeout)");
    }
  }
  return out;
}

Result<ClientConfig> resolve_client_config(const ConfigFlags& flags, const EnvLookup& env) {
  FileSettings file;
  std::string path = config_file_path(env);
  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      Result<FileSettings> parsed = parse_config_file(text.str(), path);
      if (!parsed) return parsed.status();
      file = std::move(*parsed);
    }
  }

  ClientConfig config;
  if (flags.url) {
    config.url = *flags.url;
    config.url_source = "--url";
  } else if (auto url = env("TRAIND_URL")) {
    config.url = *url;
    config.url_source = "TRAIND_URL";
  } else if (file.url) {
    config.url = *file.url;
    config.url_source = path + ":" + std::to_string(file.url_line);
  }
  config.url = strip_trailing_slashes(config.url);
  Result<tracking::Url> parsed = tracking::parse_url(config.url);
  if (!parsed) {
    return Status(ErrorCode::kInvalidConfig,
                  parsed.status().message() + " (from " + config.url_source + ")");
  }

  if (flags.api_key) {
    config.api_key = *flags.api_key;
    config.api_key_source = "--api-key";
  } else if (auto key = env("TRAIND_API_KEY")) {
    config.api_key = *key;
    config.api_key_source = "TRAIND_API_KEY";
  } else if (file.api_key) {
    config.api_key = *file.api_key;
    config.api_key_source = path + ":" + std::to_string(file.api_key_line);
  }

  std::optional<double> timeout = flags.timeout_seconds;
  if (!timeout) {
    if (auto text = env("TRAIND_TIMEOUT")) {
      Result<double> seconds = parse_seconds(*text, "TRAIND_TIMEOUT");
      if (!seconds) return seconds.status();
      timeout = *seconds;
    }
  }
  if (!timeout) timeout = file.timeout_seconds;
  if (timeout) {
    if (!(*timeout > 0)) {
      return Status(ErrorCode::kInvalidConfig, "--timeout must be a positive number of seconds");
    }
    config.timeout_ms = static_cast<int>(*timeout * 1000.0 + 0.5);
  }
  return config;
}

}  // namespace traind::client
