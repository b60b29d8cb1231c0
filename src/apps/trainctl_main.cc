// trainctl: the command-line client of a traind server. Parses the command line (CLI11),
// resolves the server and key, and runs one subcommand; the exit code is the contract
// described in docs/CLI.md and in the --help footer.
#include <CLI/CLI.hpp>
#include <iostream>

#include "apps/trainctl_commands.h"
#include "client/exit_code.h"

namespace {

using namespace traind::trainctl;
using traind::client::kExitUsage;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trainctl: submit, watch and inspect training jobs on a traind server."};
  app.footer(traind::client::exit_codes_help());
  app.require_subcommand(1);
  app.fallthrough();

  GlobalOptions global;
  std::string url, api_key;
  double timeout = 0;
  app.add_option("--url", url,
                 "traind's base URL (else TRAIND_URL, the config file, " +
                     std::string(traind::client::kDefaultUrl) + ")");
  app.add_option("--api-key", api_key, "API key (else TRAIND_API_KEY or the config file)");
  app.add_option("--timeout", timeout, "seconds one request may take (default 30)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--json", global.json, "machine output: the server's JSON as is");
  app.add_flag("--no-color", global.no_color, "no ANSI colours");

  SubmitArgs submit;
  CLI::App* submit_cmd = app.add_subcommand("submit", "submit a training configuration");
  submit_cmd->add_option("FILE", submit.file, "the configuration, JSON or YAML ('-': stdin)")
      ->required();
  submit_cmd->add_flag("--watch,-w", submit.watch, "follow the job until it ends");
  submit_cmd->add_option("--idempotency-key", submit.idempotency_key,
                         "a retry with the same key returns the first job");

  std::string job_id;
  CLI::App* status_cmd = app.add_subcommand("status", "show a job (its result when it ended)");
  status_cmd->add_option("JOB", job_id, "job id")->required();

  ListArgs list;
  CLI::App* list_cmd = app.add_subcommand("list", "list jobs, newest first");
  list_cmd->add_option("--status", list.status, "queued, running, completed, failed, cancelled");
  list_cmd->add_option("--algorithm", list.algorithm, "algorithm name");
  list_cmd->add_option("--name", list.name, "job name");
  list_cmd->add_option("--limit", list.limit, "at most this many jobs")->check(CLI::Range(1, 500));

  CLI::App* watch_cmd = app.add_subcommand("watch", "follow a job with a live progress bar");
  watch_cmd->add_option("JOB", job_id, "job id")->required();

  CLI::App* cancel_cmd = app.add_subcommand("cancel", "cancel a queued or running job");
  cancel_cmd->add_option("JOB", job_id, "job id")->required();

  LogsArgs logs;
  CLI::App* logs_cmd = app.add_subcommand("logs", "print a job's worker log");
  logs_cmd->add_option("JOB", logs.job_id, "job id")->required();
  logs_cmd->add_option("--tail", logs.tail_bytes, "only the last N bytes")
      ->check(CLI::PositiveNumber);

  DownloadArgs download;
  CLI::App* download_cmd = app.add_subcommand("download", "download a job's model file");
  download_cmd->add_option("ID", download.id, "job id or model id")->required();
  download_cmd->add_option("-o,--output", download.output,
                           "file or directory (default: the server's file name; '-': stdout)");

  PredictArgs predict;
  CLI::App* predict_cmd = app.add_subcommand("predict", "predict rows with a model");
  predict_cmd->add_option("MODEL", predict.model_id, "model id")->required();
  predict_cmd
      ->add_option("FILE", predict.file,
                   "rows: JSON/YAML (a list of rows or a predict body) or CSV")
      ->required();

  OutputArgs bom;
  CLI::App* bom_cmd = app.add_subcommand("bom", "print or save a job's Training BOM");
  bom_cmd->add_option("JOB", bom.id, "job id")->required();
  bom_cmd->add_option("-o,--output", bom.output, "write it to this file");

  std::string validate_file;
  CLI::App* validate_cmd =
      app.add_subcommand("validate", "check a configuration; print it resolved or its errors");
  validate_cmd->add_option("FILE", validate_file, "the configuration, JSON or YAML")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  if (app.count("--url")) global.url = url;
  if (app.count("--api-key")) global.api_key = api_key;
  if (app.count("--timeout")) global.timeout_seconds = timeout;
  traind::Result<Session> session = open_session(global);
  if (!session) {
    std::cerr << "error: " << session.status().message() << "\n";
    return kExitUsage;
  }

  if (*submit_cmd) return run_submit(*session, submit);
  if (*status_cmd) return run_status(*session, job_id);
  if (*list_cmd) return run_list(*session, list);
  if (*watch_cmd) return run_watch(*session, job_id);
  if (*cancel_cmd) return run_cancel(*session, job_id);
  if (*logs_cmd) return run_logs(*session, logs);
  if (*download_cmd) return run_download(*session, download);
  if (*predict_cmd) return run_predict(*session, predict);
  if (*bom_cmd) return run_bom(*session, bom);
  if (*validate_cmd) return run_validate(*session, validate_file);
  return kExitUsage;
}
