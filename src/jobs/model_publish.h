// Moving a finished job's model bundle into the artifact store.
//
// The worker writes its bundle into DIR/jobs/<job_id>/model.tmp. Once the job succeeded,
// the bundle is synced and renamed to DIR/models/<model_id>, and described by a
// ModelRecord built from the result's "model" object (the artifact file, its format,
// size, sha256 and feature schema). The record is registered by the caller, in the same
// transaction that completes the job.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "jobs/job_record.h"
#include "jobs/metadata_store.h"

namespace traind::jobs {

// Syncs `bundle_dir`, renames it into `models_root` under a new model id and returns the
// record. Size and sha256 are measured from the artifact file when the result lacks them.
Result<ModelRecord> publish_model(const std::string& bundle_dir, const std::string& models_root,
                                  const JobRecord& job, const nlohmann::json& result);

}  // namespace traind::jobs
