#include "jobs/durable_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/ids.h"

namespace traind::jobs {
namespace fs = std::filesystem;
namespace {

Status io_error(const std::string& what, const std::string& path) {
  return Status(ErrorCode::kInternal, fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

Status fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return io_error("open", path);
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return io_error("fsync", path);
  return Status::ok();
}

std::string parent_of(const std::string& path) {
  std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

Status make_private_dir(const std::string& path) {
  std::error_code ec;
  fs::path p(path);
  // Create parent by parent so that every directory we create is private from the start.
  fs::path partial;
  for (const auto& part : p) {
    partial /= part;
    if (partial.string().empty() || fs::exists(partial, ec)) continue;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      return io_error("mkdir", partial.string());
  }
  if (::chmod(path.c_str(), 0700) != 0) return io_error("chmod", path);
  return Status::ok();
}

Status write_private_file(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp-" + random_hex(4);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("create", tmp);
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = io_error("write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return st;
    }
    written += static_cast<size_t>(n);
  }
  // The umask may have narrowed the mode; it must be exactly 0600 either way.
  if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
    Status st = io_error("sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return st;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = io_error("rename to " + path, tmp);
    ::unlink(tmp.c_str());
    return st;
  }
  return fsync_path(parent_of(path), true);
}

Status sync_tree(const std::string& dir) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_symlink(ec)) continue;
    if (it->is_regular_file(ec)) {
      TRAIND_RETURN_IF_ERROR(fsync_path(it->path().string(), false));
    } else if (it->is_directory(ec)) {
      TRAIND_RETURN_IF_ERROR(fsync_path(it->path().string(), true));
    }
  }
  if (ec) return Status(ErrorCode::kInternal, fmt::format("list {}: {}", dir, ec.message()));
  return fsync_path(dir, true);
}

Status durable_rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return io_error("rename to " + to, from);
  TRAIND_RETURN_IF_ERROR(fsync_path(parent_of(to), true));
  if (parent_of(from) != parent_of(to)) TRAIND_RETURN_IF_ERROR(fsync_path(parent_of(from), true));
  return Status::ok();
}

}  // namespace traind::jobs
