// traind: the training service's server. `traind serve` opens the data directory, prints
// the keys created on first start, serves the HTTP API until SIGINT/SIGTERM, then stops
// gracefully.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "api/api.h"
#include "api/error_response.h"
#include "api/http_server.h"
#include "jobs/job_service.h"

namespace {

namespace fs = std::filesystem;

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "var";
  bool no_demo = false;
  bool no_standby_worker = false;
  int http_threads = 0;
  std::string worker;
  std::string log_level = "info";
  std::string mlflow_export_uri;
  std::string web_dir;
};

// traind-worker next to this binary (/proc/self/exe), which is where the build puts it.
std::string default_worker_path() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "traind-worker";
  return (self.parent_path() / "traind-worker").string();
}

// The built web page beside the binaries' directory (build/bin/traind -> build/web).
std::string default_web_dir() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (self.parent_path().parent_path() / "web").string();
}

// Writes atomically (temp file + rename) so a test polling for the file never reads half.
bool write_text_file(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return false;
    out << text;
    if (!out.flush()) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

int serve(const ServeFlags& flags) {
  auto level = spdlog::level::from_str(flags.log_level);
  spdlog::set_level(level);

  auto address = traind::api::parse_listen_address(flags.listen);
  if (!address.is_ok()) {
    fmt::print(stderr, "traind: {}\n", address.status().message());
    return 2;
  }

  // Bind first: a taken port must fail before the data directory is touched. Requests
  // arriving before the service is open get 503.
  std::atomic<traind::api::Api*> api{nullptr};
  traind::api::HttpServerOptions http;
  http.host = address->first;
  http.port = address->second;
  http.threads = flags.http_threads;
  traind::api::HttpServer server(http, [&api](traind::api::Request& r) {
    if (traind::api::Api* a = api.load()) return a->handle(r);
    traind::api::Response starting =
        traind::api::json_response({{"error",
                                     {{"code", "UNAVAILABLE"},
                                      {"message", "traind is starting; retry shortly"},
                                      {"details", nlohmann::json::array()}}}},
                                   503);
    starting.set_header("Retry-After", "1");
    return starting;
  });
  traind::Status started = server.start();
  if (!started.is_ok()) {
    fmt::print(stderr, "traind: {}\n", started.message());
    return 1;
  }

  std::error_code ec;
  fs::create_directories(flags.data_dir, ec);
  if (ec || !fs::is_directory(flags.data_dir) || access(flags.data_dir.c_str(), W_OK) != 0) {
    fmt::print(stderr,
               "traind: the data directory '{}' cannot be created or written ({}); pass a "
               "writable --data-dir\n",
               flags.data_dir, ec ? ec.message() : "not writable");
    server.stop();
    return 1;
  }
  fs::path data_dir = fs::absolute(flags.data_dir, ec);

  traind::jobs::JobServiceOptions options;
  options.data_dir = data_dir.string();
  options.worker_binary = flags.worker.empty() ? default_worker_path() : flags.worker;
  options.create_demo_tenant = !flags.no_demo;
  options.standby_worker = !flags.no_standby_worker;
  options.mlflow_export_uri = flags.mlflow_export_uri;
  // The token comes from the environment, never the command line (visible in ps).
  if (const char* token = std::getenv("TRAIND_MLFLOW_EXPORT_TOKEN")) {
    options.mlflow_export_token = token;
  }
  if (access(options.worker_binary.c_str(), X_OK) != 0) {
    spdlog::warn(
        "the worker binary '{}' is not executable: jobs will fail until it is; "
        "pass --worker PATH",
        options.worker_binary);
  }

  traind::jobs::BootstrapReport report;
  auto opened = traind::jobs::JobService::open(options, &report);
  if (!opened.is_ok()) {
    fmt::print(stderr, "traind: cannot open the data directory '{}': {}\n", options.data_dir,
               opened.status().to_string());
    server.stop();
    return 1;
  }
  std::unique_ptr<traind::jobs::JobService> service = std::move(opened).value();
  traind::api::ApiOptions api_options;
  const std::string web_dir = flags.web_dir.empty() ? default_web_dir() : flags.web_dir;
  if (auto site = traind::api::StaticSite::load(web_dir); site.is_ok()) {
    api_options.web = std::move(site).value();
    spdlog::info("web page: {} files from {}", api_options.web.file_count(), web_dir);
  } else if (!flags.web_dir.empty()) {
    fmt::print(stderr, "traind: --web-dir: {}\n", site.status().message());
    server.stop();
    return 2;
  } else {
    spdlog::warn("no web page at {} (build it: cmake --build <dir> --target traind_web)", web_dir);
  }
  traind::api::Api api_impl(*service, std::move(api_options));
  api.store(&api_impl);

  // Keys are shown once, on the start that created them.
  if (!report.admin_key.empty()) {
    fmt::print("admin key (also in {}): {}\n", (data_dir / "admin.key").string(), report.admin_key);
  }
  if (!report.demo_tenant_key.empty()) {
    fmt::print("demo tenant acme-corp key (also in {}): {}\n",
               (data_dir / "acme-corp.key").string(), report.demo_tenant_key);
  }
  if (report.admin_key.empty() && report.demo_tenant_key.empty()) {
    fmt::print("keys created on first start are in {}/*.key\n", data_dir.string());
  }
  const std::string host_text =
      http.host.find(':') != std::string::npos ? "[" + http.host + "]" : http.host;
  if (!write_text_file(data_dir / "traind.port", std::to_string(server.port()) + "\n")) {
    spdlog::warn("cannot write {}", (data_dir / "traind.port").string());
  }
  fmt::print("traind listening on http://{}:{}\n", host_text, server.port());
  std::fflush(stdout);

  int signal = server.wait_for_stop_signal();
  spdlog::info("signal {} received: stopping", signal);
  server.stop();
  service->shutdown();
  spdlog::info("traind stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"traind: a training service for ML models (HTTP API, one worker process per job)"};
  app.require_subcommand(1);
  ServeFlags flags;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Run the HTTP API server");
  serve_cmd
      ->add_option("--listen", flags.listen,
                   "HOST:PORT to listen on; port 0 picks a free port, printed and written "
                   "to DATA_DIR/traind.port")
      ->capture_default_str();
  serve_cmd
      ->add_option("--data-dir", flags.data_dir,
                   "Directory holding the metadata store, jobs, models and tenants' data "
                   "(created if missing)")
      ->capture_default_str();
  serve_cmd->add_flag("--no-demo", flags.no_demo,
                      "Do not create the demo tenant acme-corp and its data on first start");
  serve_cmd->add_flag("--no-standby-worker", flags.no_standby_worker,
                      "Start each job's worker process when the job starts, instead of keeping "
                      "one worker started ahead of need");
  serve_cmd
      ->add_option("--http-threads", flags.http_threads,
                   "Threads for HTTP IO and for request handlers (each); 0 = one per "
                   "hardware thread, at least 2")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  serve_cmd->add_option("--worker", flags.worker,
                        "Path of the traind-worker binary (default: next to traind)");
  serve_cmd->add_option(
      "--mlflow-export-uri", flags.mlflow_export_uri,
      "Also log every finished job's run on this MLflow tracking server (http(s)://host:port); "
      "its bearer token is read from $TRAIND_MLFLOW_EXPORT_TOKEN");
  serve_cmd->add_option("--web-dir", flags.web_dir,
                        "Directory of the built web page served at / (default: ../web beside "
                        "the binary's directory, where the build puts it)");
  serve_cmd->add_option("--log-level", flags.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (serve_cmd->parsed()) return serve(flags);
  return 0;
}
