// Files the service must find again after a crash or power loss: private directories,
// secret files written atomically, and directory trees synced before they are renamed
// into place (a rename is only durable once the directory holding it is synced).
#pragma once

#include <string>

#include "core/status.h"

namespace traind::jobs {

// Creates `path` and any missing parents; the directories it creates get mode 0700, and
// `path` itself is set to 0700 even when it existed.
Status make_private_dir(const std::string& path);

// Writes `content` to `path` with mode 0600: a temporary file beside it, fsync, rename,
// fsync of the directory. Readers never see a partial file.
Status write_private_file(const std::string& path, const std::string& content);

// fsyncs every regular file and directory under `dir`, and `dir` itself.
Status sync_tree(const std::string& dir);

// Renames `from` to `to` and syncs the directories of both.
Status durable_rename(const std::string& from, const std::string& to);

}  // namespace traind::jobs
