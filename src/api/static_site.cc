#include "api/static_site.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/ids.h"

namespace traind::api {
namespace {

namespace fs = std::filesystem;

constexpr uintmax_t kMaxSiteBytes = uintmax_t{64} << 20;

std::string content_type(const fs::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

Result<StaticSite> StaticSite::load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status(ErrorCode::kNotFound, fmt::format("web directory '{}' does not exist", dir));
  }
  StaticSite site;
  uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    total += it->file_size(ec);
    if (total > kMaxSiteBytes) {
      return Status(
          ErrorCode::kInvalidConfig,
          fmt::format("web directory '{}' holds more than {} MiB", dir, kMaxSiteBytes >> 20));
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in.good() && !in.eof()) continue;
    Response r;
    r.body = body.str();
    r.set_header("Content-Type", content_type(it->path()));
    // Revalidated on every load (no-cache), so a rebuilt page is picked up at once while an
    // unchanged one costs a 304.
    r.set_header("Cache-Control", "no-cache");
    r.set_header("ETag", "\"" + sha256_hex(r.body).substr(0, 32) + "\"");
    r.set_header("X-Content-Type-Options", "nosniff");
    if (it->path().extension() == ".html") {
      // Only traind itself: no script, style, image or connection elsewhere, no framing.
      r.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                   "'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'");
      r.set_header("Referrer-Policy", "no-referrer");
    }
    std::string url = "/" + fs::relative(it->path(), dir, ec).generic_string();
    site.files_.emplace(std::move(url), std::move(r));
  }
  if (ec) {
    return Status(ErrorCode::kInternal,
                  fmt::format("cannot read web directory '{}': {}", dir, ec.message()));
  }
  return site;
}

const Response* StaticSite::find(const std::string& path) const {
  auto it = files_.find(path == "/" ? "/index.html" : path);
  return it == files_.end() ? nullptr : &it->second;
}

Response StaticSite::answer(const std::string& path, const std::string& if_none_match) const {
  const Response* file = find(path);
  if (file == nullptr) return Response{.status = 404};
  if (!if_none_match.empty() && if_none_match == file->header("ETag")) {
    Response not_modified{.status = 304};
    not_modified.set_header("ETag", file->header("ETag"));
    not_modified.set_header("Cache-Control", "no-cache");
    return not_modified;
  }
  return *file;
}

}  // namespace traind::api
