#include "jobs/model_publish.h"

#include <filesystem>

#include "core/clock.h"
#include "core/ids.h"
#include "jobs/durable_files.h"
#include "jobs/json_fields.h"

namespace traind::jobs {
namespace fs = std::filesystem;

Result<ModelRecord> publish_model(const std::string& bundle_dir, const std::string& models_root,
                                  const JobRecord& job, const nlohmann::json& result) {
  std::error_code ec;
  if (!fs::is_directory(bundle_dir, ec)) {
    return Status(ErrorCode::kTrainingError,
                  "the worker reported success but wrote no model bundle");
  }
  nlohmann::json model =
      result.is_object() && result.contains("model") && result["model"].is_object()
          ? result["model"]
          : nlohmann::json::object();
  ModelRecord record;
  record.model_id = make_id("model");
  record.tenant_id = job.tenant_id;
  record.job_id = job.job_id;
  record.algorithm = json_string(model, "algorithm", job.algorithm);
  record.format = json_string(model, "format");
  record.file = json_string(model, "file");
  record.size_bytes = json_int(model, "size_bytes", 0);
  record.sha256 = json_string(model, "sha256");
  record.feature_schema =
      model.contains("feature_schema") ? model["feature_schema"] : nlohmann::json::object();
  record.created_at_ms = now_ms();
  // The artifact file must be a plain name inside the bundle, never a path out of it.
  if (record.file.find('/') != std::string::npos || record.file == "..") {
    return Status(ErrorCode::kTrainingError,
                  "the worker named an artifact outside its model bundle");
  }
  if (!record.file.empty()) {
    std::string artifact = bundle_dir + "/" + record.file;
    if (!fs::is_regular_file(artifact, ec)) {
      return Status(ErrorCode::kTrainingError,
                    "the model bundle lacks its artifact file \"" + record.file + "\"");
    }
    if (record.size_bytes <= 0)
      record.size_bytes = static_cast<int64_t>(fs::file_size(artifact, ec));
    if (record.sha256.empty()) record.sha256 = sha256_file_hex(artifact);
  }
  std::string target = models_root + "/" + record.model_id;
  record.dir = target;
  TRAIND_RETURN_IF_ERROR(sync_tree(bundle_dir));
  TRAIND_RETURN_IF_ERROR(durable_rename(bundle_dir, target));
  return record;
}

}  // namespace traind::jobs
