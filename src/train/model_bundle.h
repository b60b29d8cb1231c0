// Model bundle files: what run_training writes into the model directory and
// load_predictor reads back.
//
//   <artifact>        the library's native model (Model::save)
//   preprocess.json   Preprocessor::to_json(): everything /predict needs to encode rows
//   model_meta.json   algorithm, task, num_classes, labels, artifact file, format,
//                     feature schema and Model::metadata() (what load_model needs)
// Every file is written completely and fsynced, then the directory itself, so a bundle
// the jobs layer registers survives a crash.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace traind::train {

constexpr const char* kPreprocessFile = "preprocess.json";
constexpr const char* kModelMetaFile = "model_meta.json";

// Writes `content` to `path` (truncating) and fsyncs it.
Status write_file_synced(const std::string& path, const std::string& content);

// fsyncs every regular file directly inside `dir`, then `dir` itself.
Status sync_directory_tree(const std::string& dir);

Result<nlohmann::json> read_json_file(const std::string& path);

}  // namespace traind::train
