// trainctl's subcommands. Each takes the session and its own arguments and returns the exit
// code (see client/exit_code.h).
#pragma once

#include <optional>
#include <string>

#include "apps/trainctl_session.h"

namespace traind::trainctl {

struct SubmitArgs {
  std::string file;
  bool watch = false;
  std::string idempotency_key;
};
struct ListArgs {
  std::string status;
  std::string algorithm;
  std::string name;
  int limit = 0;  // 0: the server's default
};
struct DownloadArgs {
  std::string id;  // a job id or a model id
  std::string output;
};
struct PredictArgs {
  std::string model_id;
  std::string file;
};
struct OutputArgs {
  std::string id;
  std::string output;
};
struct LogsArgs {
  std::string job_id;
  long tail_bytes = 0;
};

int run_submit(const Session& session, const SubmitArgs& args);
int run_status(const Session& session, const std::string& job_id);
int run_list(const Session& session, const ListArgs& args);
int run_watch(const Session& session, const std::string& job_id);
int run_cancel(const Session& session, const std::string& job_id);
int run_logs(const Session& session, const LogsArgs& args);
int run_download(const Session& session, const DownloadArgs& args);
int run_predict(const Session& session, const PredictArgs& args);
int run_bom(const Session& session, const OutputArgs& args);
int run_validate(const Session& session, const std::string& file);

// The path of a job's resource: /api/v1/ml/train/<id><suffix>.
std::string job_path(const std::string& job_id, const std::string& suffix = "");

}  // namespace traind::trainctl
