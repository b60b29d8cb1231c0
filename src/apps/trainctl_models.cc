// The model and result commands: download, predict, bom.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "apps/trainctl_commands.h"
#include "client/csv_rows.h"
#include "client/job_file.h"
#include "client/job_summary.h"
#include "core/ids.h"
#include "tracking/http_client.h"

namespace traind::trainctl {
namespace {

using nlohmann::json;

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The file name a Content-Disposition header offers, reduced to a plain name so a server
// cannot make trainctl write outside the chosen directory.
std::string offered_file_name(const std::string* disposition, const std::string& fallback) {
  if (disposition == nullptr) return fallback;
  size_t at = disposition->find("filename=");
  if (at == std::string::npos) return fallback;
  std::string name = disposition->substr(at + 9);
  if (!name.empty() && name.front() == '"') {
    size_t close = name.find('"', 1);
    name = name.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  } else {
    name = name.substr(0, name.find(';'));
  }
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  if (name.empty() || name == "." || name == "..") return fallback;
  return name;
}

// The model a DOWNLOAD argument names: a model id as is, a job id through its record.
Result<std::string> model_id_for(const Session& session, const std::string& id) {
  if (id.starts_with("model-")) return id;
  Result<client::ApiResponse> answer = session.call("GET", job_path(id));
  if (!answer) return answer.status();
  json job = answer->json();
  if (job.contains("model_artifact_id") && job["model_artifact_id"].is_string()) {
    return job["model_artifact_id"].get<std::string>();
  }
  return Status(ErrorCode::kConflict,
                "job " + id + " has no model (status: " + job.value("status", "?") + ")");
}

// Reads predict's input: CSV rows, or a JSON/YAML document that is either the request body
// itself ({"rows": ...}, {"texts": ...}, {"horizon": ...}), a list of rows, or one row.
Result<json> load_predict_body(const std::string& file) {
  std::string lower = file;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  json doc;
  if (lower.size() > 4 && lower.substr(lower.size() - 4) == ".csv") {
    Result<std::string> text = client::read_text_file(file);
    if (!text) return text.status();
    Result<json> rows = client::parse_csv_rows(*text, file);
    if (!rows) return rows.status();
    return json{{"rows", std::move(*rows)}};
  }
  Result<json> loaded = client::load_document_file(file);
  if (!loaded) return loaded.status();
  doc = std::move(*loaded);
  if (doc.is_array()) return json{{"rows", std::move(doc)}};
  if (doc.is_object()) {
    for (const char* key : {"rows", "texts", "text", "horizon"}) {
      if (doc.contains(key)) return doc;
    }
    return json{{"rows", json::array({std::move(doc)})}};
  }
  return Status(ErrorCode::kInvalidJson,
                file + ": expected rows (a list of objects) or a predict request object");
}

}  // namespace

int run_download(const Session& session, const DownloadArgs& args) {
  Result<std::string> model_id = model_id_for(session, args.id);
  if (!model_id) return session.fail(model_id.status());

  client::ApiResponse error_answer;
  std::string path;
  std::string temp_path;
  std::ofstream file;
  bool to_stdout = args.output == "-";
  std::string expected_sha;
  Sha256 sha;
  size_t bytes = 0;
  Status local_error;
  Status transfer = session.client().stream_get(
      "/api/v1/ml/models/" + tracking::url_encode(*model_id) + "/download", {},
      session.client().config().timeout_ms,
      [&](const client::StreamHead& head) {
        error_answer.status = head.status;
        error_answer.headers = head.headers;
        if (head.status < 200 || head.status >= 300) return true;
        if (const std::string* h = head.header("X-Model-Sha256")) expected_sha = *h;
        if (to_stdout) return true;
        std::string name = offered_file_name(head.header("Content-Disposition"), *model_id);
        if (args.output.empty()) {
          path = name;
        } else if (is_directory(args.output)) {
          path = args.output + (args.output.ends_with('/') ? "" : "/") + name;
        } else {
          path = args.output;
        }
        temp_path = path + ".part";
        file.open(temp_path, std::ios::binary | std::ios::trunc);
        if (!file) {
          local_error = Status(ErrorCode::kNotFound,
                               "cannot write " + temp_path + ": " + std::strerror(errno));
          return false;
        }
        return true;
      },
      [&](std::string_view chunk) {
        if (error_answer.status < 200 || error_answer.status >= 300) {
          error_answer.body.append(chunk);
          return true;
        }
        sha.update(chunk.data(), chunk.size());
        bytes += chunk.size();
        if (to_stdout) {
          std::cout.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
          return bool(std::cout);
        }
        file.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        return bool(file);
      });
  if (file.is_open()) file.close();
  auto discard = [&] {
    if (!temp_path.empty()) std::remove(temp_path.c_str());
  };
  if (!local_error.is_ok()) {
    discard();
    return session.usage_error(local_error.message());
  }
  if (!transfer) {
    discard();
    return session.fail(transfer);
  }
  if (error_answer.status < 200 || error_answer.status >= 300) {
    discard();
    if (session.json() && error_answer.json().is_object()) session.print_body(error_answer.body);
    return session.fail(client::status_from_error_answer(error_answer));
  }
  std::string digest = sha.hex_digest();
  if (!expected_sha.empty() && expected_sha != digest) {
    discard();
    return session.fail(Status(ErrorCode::kInternal, "the download of " + *model_id +
                                                         " is corrupt: sha256 " + digest +
                                                         ", the server said " + expected_sha));
  }
  if (to_stdout) return client::kExitOk;
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    discard();
    return session.usage_error("cannot write " + path + ": " + std::strerror(errno));
  }
  if (session.json()) {
    json out{{"model_artifact_id", *model_id},
             {"path", path},
             {"size_bytes", bytes},
             {"sha256", digest}};
    std::cout << out.dump() << '\n';
  } else {
    std::cout << "saved " << path << " (" << *model_id << ", " << bytes << " bytes"
              << (expected_sha.empty() ? "" : ", sha256 verified") << ")\n";
  }
  return client::kExitOk;
}

int run_predict(const Session& session, const PredictArgs& args) {
  Result<json> body = load_predict_body(args.file);
  if (!body) {
    return body.status().code() == ErrorCode::kNotFound
               ? session.usage_error(body.status().message())
               : session.fail(body.status());
  }
  Result<client::ApiResponse> answer =
      session.call("POST", "/api/v1/ml/models/" + tracking::url_encode(args.model_id) + "/predict",
                   body->dump());
  if (!answer) return session.fail(answer.status());
  if (session.json()) {
    session.print_body(answer->body);
  } else {
    std::cout << client::render_predictions(answer->json());
  }
  return client::kExitOk;
}

int run_bom(const Session& session, const OutputArgs& args) {
  Result<client::ApiResponse> answer = session.call("GET", job_path(args.id, "/bom"));
  if (!answer) return session.fail(answer.status());
  if (args.output.empty() || args.output == "-") {
    session.print_body(answer->body);
    return client::kExitOk;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  out << answer->body;
  out.close();
  if (!out) return session.usage_error("cannot write " + args.output + ": " + std::strerror(errno));
  if (!session.json())
    std::cout << "saved " << args.output << " (training BOM of " << args.id << ")\n";
  return client::kExitOk;
}

}  // namespace traind::trainctl
