// Where trainctl finds its server and key: a flag, else the environment (TRAIND_URL,
// TRAIND_API_KEY), else the user's config file ($XDG_CONFIG_HOME/traind/config or
// ~/.config/traind/config), else the local default. Each setting is resolved on its own, so
// a flag may override the URL while the key still comes from the file.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace traind::client {

inline constexpr const char* kDefaultUrl = "http://127.0.0.1:8080";

struct ClientConfig {
  std::string url = kDefaultUrl;  // base URL, without a trailing slash
  std::string api_key;            // empty: requests go without Authorization
  int timeout_ms = 30000;         // one request, whole exchange
  // Where each setting came from ("flag", "env TRAIND_URL", "<file>:<line>", "default"),
  // so an error can say which value to fix.
  std::string url_source = "default";
  std::string api_key_source = "none";
};

// What the command line said; unset means "not given".
struct ConfigFlags {
  std::optional<std::string> url;
  std::optional<std::string> api_key;
  std::optional<double> timeout_seconds;
};

// Reads an environment variable; injected so tests need not touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// The process environment.
std::optional<std::string> process_env(const char* name);

// The config file's path for this environment ("" when neither XDG_CONFIG_HOME nor HOME
// is set).
std::string config_file_path(const EnvLookup& env);

// One setting read from a config file, with the line it came from.
struct FileSettings {
  std::optional<std::string> url;
  std::optional<std::string> api_key;
  std::optional<double> timeout_seconds;
  int url_line = 0;
  int api_key_line = 0;
};

// Parses the file's text: `key = value` lines (also `key: value`), `#` comments, blank
// lines, `[section]` headers ignored, values optionally in double or single quotes. Keys:
// url, api_key, timeout (seconds). Unknown keys and malformed lines are errors naming
// `source`:line, so a typo does not silently send requests elsewhere.
Result<FileSettings> parse_config_file(std::string_view text, const std::string& source);

// Resolves every setting (flag > env > file > default). A missing config file is fine; an
// unreadable or malformed one is kInvalidConfig.
Result<ClientConfig> resolve_client_config(const ConfigFlags& flags, const EnvLookup& env);

}  // namespace traind::client
