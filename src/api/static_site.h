// StaticSite: the web page's files (web/, built by esbuild), served at `/` without a key.
//
// Every file is read into memory when traind starts: the page is a few hundred KiB, a
// request then never touches the file system, and no request path can reach a file that
// was not in the directory at start (no traversal, no symlink surprises).
#pragma once

#include <map>
#include <string>

#include "api/http_message.h"
#include "core/status.h"

namespace traind::api {

class StaticSite {
 public:
  StaticSite() = default;  // empty: every path is absent

  // Reads the regular files under `dir` (recursively). kNotFound when `dir` is not a
  // directory; kInvalidConfig when it holds more than the size limit (64 MiB).
  static Result<StaticSite> load(const std::string& dir);

  bool empty() const { return files_.empty(); }
  size_t file_count() const { return files_.size(); }

  // Whether GET `path` names a file ("/" is "/index.html").
  bool has(const std::string& path) const { return find(path) != nullptr; }
  // The answer to GET `path`: the file, 304 without a body when `if_none_match` (the
  // request's If-None-Match header) names the file's ETag, 404 when there is no such file.
  Response answer(const std::string& path, const std::string& if_none_match) const;

 private:
  const Response* find(const std::string& path) const;
  std::map<std::string, Response> files_;  // by URL path ("/app.js")
};

}  // namespace traind::api
