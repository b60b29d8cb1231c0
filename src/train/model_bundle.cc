// Durable writes and reads of model bundle files.
#include "train/model_bundle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace traind::train {
namespace {

Status io_error(const std::string& what, const std::string& path) {
  return Status(ErrorCode::kInternal, what + " " + path + ": " + std::strerror(errno));
}

Status fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error("cannot fsync", path);
  return Status::ok();
}

}  // namespace

Status write_file_synced(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create", path);
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const Status st = io_error("cannot write", path);
      ::close(fd);
      return st;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const Status st = io_error("cannot fsync", path);
    ::close(fd);
    return st;
  }
  if (::close(fd) != 0) return io_error("cannot close", path);
  return Status::ok();
}

Status sync_directory_tree(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec))
      TRAIND_RETURN_IF_ERROR(fsync_path(entry.path().string(), O_RDONLY));
  }
  if (ec) return Status(ErrorCode::kInternal, "cannot list " + dir + ": " + ec.message());
  return fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

Result<nlohmann::json> read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, "cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  auto j = nlohmann::json::parse(buf.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status(ErrorCode::kInternal, path + " is not valid JSON");
  return j;
}

}  // namespace traind::train
