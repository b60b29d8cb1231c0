#include "jobs/run_exporter.h"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace traind::jobs {
namespace fs = std::filesystem;
namespace {

constexpr const char* kExportedTag = "traind.export.run_id";
constexpr const char* kExportErrorTag = "traind.export.error";

}  // namespace

RunExporter::RunExporter(tracking::TrackingStore& store, tracking::ExportTarget target)
    : store_(store), target_(std::move(target)), thread_([this] { loop(); }) {}

RunExporter::~RunExporter() { shutdown(); }

void RunExporter::shutdown() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RunExporter::enqueue(const std::string& tenant, const std::string& run_id) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    queue_.emplace_back(tenant, run_id);
  }
  cv_.notify_one();
}

void RunExporter::reconcile(const std::vector<std::pair<std::string, std::string>>& runs) {
  for (const auto& [tenant, run_id] : runs) {
    auto run = store_.run(tenant, run_id);
    if (!run.is_ok() || !tracking::is_final_run_status(run->info.status)) continue;
    if (run->tag(kExportedTag) || run->tag(kExportErrorTag)) continue;
    enqueue(tenant, run_id);
  }
}

void RunExporter::loop() {
  while (true) {
    std::pair<std::string, std::string> next;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    export_one(next.first, next.second);
  }
}

void RunExporter::export_one(const std::string& tenant, const std::string& run_id) {
  auto run = store_.run(tenant, run_id);
  if (!run.is_ok()) return;
  auto experiment = store_.experiment(tenant, run->info.experiment_id);
  auto history = store_.full_metric_history(tenant, run_id);
  if (!experiment.is_ok() || !history.is_ok()) return;
  tracking::RunExport out;
  out.experiment_name = experiment->name;
  out.run = *run;
  // Our own bookkeeping tags stay here.
  std::erase_if(out.run.tags, [](const tracking::Tag& t) {
    return t.key == kExportedTag || t.key == kExportErrorTag;
  });
  out.metric_history = std::move(history).value();
  const std::string root = store_.artifact_dir(tenant, run->info);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    out.artifacts.emplace_back(fs::relative(it->path(), root, ec).string(), it->path().string());
  }
  auto remote = tracking::export_run(target_, out);
  tracking::Tag tag = remote.is_ok() ? tracking::Tag{kExportedTag, *remote}
                                     : tracking::Tag{kExportErrorTag, remote.status().message()};
  if (remote.is_ok()) {
    spdlog::info("run {}: exported to {} as run {}", run_id, target_.tracking_uri, *remote);
  } else {
    spdlog::warn("run {}: export to {} failed: {}", run_id, target_.tracking_uri,
                 remote.status().message());
  }
  Status st = store_.log_batch(tenant, run_id, {}, {}, {tag});
  if (!st.is_ok()) spdlog::warn("run {}: the export outcome could not be tagged", run_id);
}

}  // namespace traind::jobs
