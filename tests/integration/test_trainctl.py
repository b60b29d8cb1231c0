"""trainctl against a real traind: every subcommand, the live progress and result summary,
machine output, bad input, a wrong key, a server that is down, and where the URL and key
come from (flags, environment, config file). Exit codes are the contract in docs/CLI.md."""

import copy
import http.client
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import unittest

from traind_harness import BIN_DIR, SEED_CONFIG, ServerTestCase, poll

TRAINCTL = os.path.join(BIN_DIR, "trainctl")

SEED_YAML = """\
# The seed configuration, as a person would write it in YAML.
name: churn-predictor-v2
algorithm: xgboost
task_type: classification
dataset:
  source: sql
  query: "SELECT * FROM ml_features.customer_churn"
  tenant_id: acme-corp
target_column: churned
feature_columns: [tenure, monthly_charges, total_charges]
split:
  strategy: stratified
  test_size: 0.2
  random_state: 42
hyperparameters:
  n_estimators: 100
  max_depth: 6
  learning_rate: 0.1
"""

ROWS = [
    {"tenure": 3, "monthly_charges": 89.5, "total_charges": 268.5},
    {"tenure": 60, "monthly_charges": 20.0, "total_charges": 1200.0},
]


class DroppingProxy:
    """Stands between trainctl and traind: forwards every GET, but cuts each event stream
    right after its first event, the way a flaky network or a proxy's idle timeout would."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.event_streams = 0
        self.job_gets = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("authorization", "accept")}
                conn.request("GET", self.path, headers=headers)
                upstream = conn.getresponse()
                if self.path.endswith("/events") and upstream.status == 200:
                    proxy.event_streams += 1
                    first = b""
                    while not first.endswith(b"\n\n"):
                        first += upstream.readline()
                    conn.close()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(first)
                    self.close_connection = True
                    return
                body = upstream.read()
                conn.close()
                if "/events" not in self.path:
                    proxy.job_gets += 1
                self.send_response(upstream.status)
                for name, value in upstream.getheaders():
                    if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TrainctlTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="trainctl-it-")
        cls.home = os.path.join(cls.tmp, "home")
        os.makedirs(cls.home)
        cls.url = f"http://127.0.0.1:{cls.server.port}"
        cls.seed_yaml = cls.write("seed.yaml", SEED_YAML)
        cls.seed_json = cls.write("seed.json", json.dumps(SEED_CONFIG, indent=2))
        # One completed seed job the read-only commands share.
        r = cls.server.submit(SEED_CONFIG, cls.acme)
        assert r.status == 202, r
        cls.done_id = r.json()["job_id"]
        cls.done = cls.server.wait_status(cls.done_id, cls.acme)
        assert cls.done["status"] == "completed", cls.done

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    @classmethod
    def write(cls, name, text):
        path = os.path.join(cls.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def ctl(self, *args, url="default", key="default", env=None, timeout=300):
        """Runs trainctl with a clean environment (HOME empty, no TRAIND_*)."""
        cmd = [TRAINCTL]
        if url is not None:
            cmd += ["--url", self.url if url == "default" else url]
        if key is not None:
            cmd += ["--api-key", self.acme if key == "default" else key]
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home,
                    "LANG": "C.UTF-8"}
        full_env.update(env or {})
        return subprocess.run(cmd + list(args), capture_output=True, text=True, env=full_env,
                              timeout=timeout)

    def assertExit(self, result, code):
        self.assertEqual(result.returncode, code,
                         f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        for stream in (result.stdout, result.stderr):
            self.assertNotIn("Traceback", stream)
            self.assertNotIn("terminate called", stream)

    # -- submit and watch -------------------------------------------------------------
    def test_submit_yaml_and_watch_to_completion(self):
        r = self.ctl("submit", self.seed_yaml, "--watch")
        self.assertExit(r, 0)
        out = r.stdout
        self.assertRegex(out, r"submitted (train-[0-9a-f]+) \(churn-predictor-v2, xgboost, queued\)")
        job_id = out.split("submitted ", 1)[1].split(" ", 1)[0]
        # The progress lines (not a terminal: one per phase and ~10%), then the summary.
        self.assertRegex(out, r"training +\[[#-]+\] +\d+%  iter \d+/100  valid_logloss \d\.\d{4}")
        self.assertIn("evaluating", out)
        self.assertRegex(out, r"status +completed")
        self.assertRegex(out, r"model +model-[0-9a-f]+")
        self.assertRegex(out, r"auc_roc +0\.\d{4}")
        self.assertIn("confusion matrix", out)
        self.assertIn("top features", out)
        self.assertRegex(out, r"duration +\d")
        # The server agrees: the job completed, and the summary names its model.
        job = self.server.job(job_id, self.acme)
        self.assertEqual(job["status"], "completed")
        self.assertIn(job["model_artifact_id"], out)
        self.check_seed_result(job)

    def test_submit_json_watch_with_json_output(self):
        r = self.ctl("--json", "submit", self.seed_json, "--watch", "--idempotency-key", "it-json-1")
        self.assertExit(r, 0)
        lines = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual(lines[0]["status"], "queued")
        job_id = lines[0]["job_id"]
        self.assertTrue(all(e["job_id"] == job_id for e in lines))
        self.assertIn("progress", {e.get("type") for e in lines[1:]})
        self.assertEqual(lines[-1]["type"], "status")
        self.assertEqual(lines[-1]["status"], "completed")
        self.assertIn("metrics", lines[-1])
        # The same idempotency key answers the first job again.
        again = self.ctl("--json", "submit", self.seed_json, "--idempotency-key", "it-json-1")
        self.assertExit(again, 0)
        self.assertEqual(json.loads(again.stdout)["job_id"], job_id)

    def test_watch_finished_job_prints_summary(self):
        r = self.ctl("watch", self.done_id)
        self.assertExit(r, 0)
        self.assertRegex(r.stdout, r"status +completed")
        self.assertIn(self.done["model_artifact_id"], r.stdout)

    def test_watch_reconnects_once_then_polls(self):
        cfg = copy.deepcopy(SEED_CONFIG)
        cfg["name"] = "watched-through-a-bad-proxy"
        cfg["hyperparameters"] = {"n_estimators": 20000, "max_depth": 10, "learning_rate": 0.001}
        r = self.server.submit(cfg, self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        proxy = DroppingProxy(self.server.port)
        self.addCleanup(proxy.close)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home}
        proc = subprocess.Popen([TRAINCTL, "--url", proxy.url, "--api-key", self.acme, "watch", job_id],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        # Two streams cut short, then the job record is polled; the job ends, and so does watch.
        poll(lambda: proxy.job_gets >= 1, timeout=60, what="trainctl to fall back to polling")
        cancelled = self.server.request("DELETE", f"/api/v1/ml/train/{job_id}", key=self.acme)
        self.assertEqual(cancelled.status, 200, cancelled)
        out, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 1, f"stdout:\n{out}\nstderr:\n{err}")
        self.assertEqual(proxy.event_streams, 2)
        self.assertIn("event stream dropped; reconnecting", err)
        self.assertIn("polling the job instead", err)
        self.assertRegex(out, r"status +cancelled")

    # -- status, list ----------------------------------------------------------------
    def test_status_human_and_json(self):
        r = self.ctl("status", self.done_id)
        self.assertExit(r, 0)
        self.assertIn(self.done_id, r.stdout)
        self.assertRegex(r.stdout, r"accuracy +0\.\d{4}")
        self.assertRegex(r.stdout, r"tenure +0\.\d{4}")
        j = self.ctl("--json", "status", self.done_id)
        self.assertExit(j, 0)
        record = json.loads(j.stdout)
        self.assertEqual(record["job_id"], self.done_id)
        self.assertEqual(record["metrics"], self.done["metrics"])

    def test_list_with_filters(self):
        r = self.ctl("list", "--status", "completed", "--algorithm", "xgboost", "--limit", "50")
        self.assertExit(r, 0)
        header = r.stdout.splitlines()[0]
        for column in ("JOB ID", "NAME", "ALGORITHM", "STATUS"):
            self.assertIn(column, header)
        self.assertIn(self.done_id, r.stdout)
        j = self.ctl("list", "--json", "--status", "completed", "--limit", "500")
        self.assertExit(j, 0)
        jobs = json.loads(j.stdout)["jobs"]
        self.assertIn(self.done_id, [job["job_id"] for job in jobs])
        self.assertTrue(all(job["status"] == "completed" for job in jobs))
        none = self.ctl("--json", "list", "--name", "no-such-name")
        self.assertExit(none, 0)
        self.assertEqual(json.loads(none.stdout)["jobs"], [])

    # -- cancel ----------------------------------------------------------------------
    def test_cancel_then_watch_exits_1_and_cancel_again_is_refused(self):
        cfg = copy.deepcopy(SEED_CONFIG)
        cfg["name"] = "long-one"
        cfg["hyperparameters"] = {"n_estimators": 20000, "max_depth": 10, "learning_rate": 0.001}
        r = self.server.submit(cfg, self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        c = self.ctl("cancel", job_id)
        self.assertExit(c, 0)
        self.assertIn(f"cancelled {job_id}", c.stdout)
        self.server.wait_status(job_id, self.acme, statuses=("cancelled",))
        w = self.ctl("watch", job_id)
        self.assertExit(w, 1)
        self.assertRegex(w.stdout, r"status +cancelled")
        again = self.ctl("cancel", job_id)
        self.assertExit(again, 3)
        self.assertIn("CONFLICT", again.stderr)

    # -- logs ------------------------------------------------------------------------
    def test_logs(self):
        probe = self.server.request("GET", f"/api/v1/ml/train/{self.done_id}/logs", key=self.acme)
        self.assertEqual(probe.status, 200, probe)
        r = self.ctl("logs", self.done_id)
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.encode(), probe.body)
        self.assertTrue(r.stdout.strip(), "the worker's log should not be empty")
        tail = self.ctl("logs", self.done_id, "--tail", "10")
        self.assertExit(tail, 0)
        self.assertLessEqual(len(tail.stdout.encode()), 10)
        self.assertTrue(r.stdout.endswith(tail.stdout))

    # -- download, predict, bom --------------------------------------------------------
    def test_download_by_job_and_by_model(self):
        out_dir = tempfile.mkdtemp(dir=self.tmp)
        r = self.ctl("download", self.done_id, "-o", out_dir)
        self.assertExit(r, 0)
        self.assertIn("sha256 verified", r.stdout)
        files = os.listdir(out_dir)
        self.assertEqual(len(files), 1, files)
        path = os.path.join(out_dir, files[0])
        self.assertIn(self.done["model_artifact_id"], files[0])  # the server's file name
        import xgboost as xgb
        booster = xgb.Booster()
        booster.load_model(path)
        self.assertEqual(booster.feature_names, SEED_CONFIG["feature_columns"])

        named = os.path.join(self.tmp, "model-copy.json")
        j = self.ctl("--json", "download", self.done["model_artifact_id"], "-o", named)
        self.assertExit(j, 0)
        info = json.loads(j.stdout)
        self.assertEqual(info["path"], named)
        with open(named, "rb") as f, open(path, "rb") as g:
            self.assertEqual(f.read(), g.read())
        self.assertEqual(info["size_bytes"], os.path.getsize(named))

    def test_predict_json_yaml_and_csv_rows(self):
        model = self.done["model_artifact_id"]
        expected = self.server.request("POST", f"/api/v1/ml/models/{model}/predict",
                                       {"rows": ROWS}, key=self.acme).json()
        rows_json = self.write("rows.json", json.dumps(ROWS))
        j = self.ctl("--json", "predict", model, rows_json)
        self.assertExit(j, 0)
        self.assertEqual(json.loads(j.stdout), expected)

        rows_csv = self.write("rows.csv", "tenure,monthly_charges,total_charges\n3,89.5,268.5\n"
                                          "60,20.0,1200.0\n")
        c = self.ctl("--json", "predict", model, rows_csv)
        self.assertExit(c, 0)
        self.assertEqual(json.loads(c.stdout), expected)

        h = self.ctl("predict", model, rows_json)
        self.assertExit(h, 0)
        self.assertIn("LABEL", h.stdout)
        self.assertIn("P(1)", h.stdout)
        p1 = expected["predictions"][0]["probabilities"]["1"]
        self.assertIn(f"{p1:.4f}", h.stdout)

        bad = self.write("bad-rows.json", json.dumps([{"tenure": 3}]))
        b = self.ctl("predict", model, bad)
        self.assertExit(b, 3)
        self.assertIn("/rows/0", b.stderr)

    def test_bom(self):
        r = self.ctl("bom", self.done_id)
        self.assertExit(r, 0)
        bom = json.loads(r.stdout)
        self.assertEqual(bom["id"], self.done_id)
        self.assertEqual(bom["model_info"]["type"], "XGBClassifier")
        path = os.path.join(self.tmp, "bom.json")
        o = self.ctl("bom", self.done_id, "-o", path)
        self.assertExit(o, 0)
        with open(path) as f:
            self.assertEqual(json.load(f), bom)

    # -- validate and bad input ----------------------------------------------------------
    def test_validate_prints_the_resolved_configuration(self):
        r = self.ctl("validate", self.seed_yaml)
        self.assertExit(r, 0)
        self.assertIn("valid", r.stdout)
        self.assertIn('"max_bin"', r.stdout)  # a default the server filled in
        j = self.ctl("--json", "validate", self.seed_json)
        self.assertExit(j, 0)
        body = json.loads(j.stdout)
        self.assertTrue(body["valid"])
        self.assertEqual(body["resolved"]["hyperparameters"]["n_estimators"], 100)

    def test_invalid_config_shows_each_error_path(self):
        bad = self.write("bad-config.yaml", SEED_YAML.replace("test_size: 0.2", "test_size: 1.5")
                         .replace("algorithm: xgboost", "algorithm: catboost"))
        for cmd in ("validate", "submit"):
            r = self.ctl(cmd, bad)
            self.assertExit(r, 3)
            self.assertIn("INVALID_CONFIG", r.stderr)
            self.assertIn("/split/test_size", r.stderr)
            self.assertIn("/algorithm", r.stderr)
        j = self.ctl("--json", "validate", bad)
        self.assertExit(j, 3)
        paths = {d["path"] for d in json.loads(j.stdout)["error"]["details"]}
        self.assertTrue({"/split/test_size", "/algorithm"} <= paths, paths)

    def test_quoted_yaml_number_stays_a_string(self):
        # "0.2" in quotes is a string, which the schema refuses: proof the quotes were kept.
        quoted = self.write("quoted.yaml", SEED_YAML.replace("test_size: 0.2", 'test_size: "0.2"'))
        r = self.ctl("validate", quoted)
        self.assertExit(r, 3)
        self.assertIn("/split/test_size", r.stderr)

    def test_malformed_files_name_file_and_line(self):
        yaml_bad = self.write("broken.yaml", "name: x\nsplit: [1, 2\nalgorithm: xgboost\n")
        r = self.ctl("submit", yaml_bad)
        self.assertExit(r, 3)
        self.assertIn("broken.yaml:", r.stderr)
        self.assertIn("invalid YAML", r.stderr)
        json_bad = self.write("broken.json", '{\n  "name": "x",\n  "algorithm": \n}\n')
        r = self.ctl("validate", json_bad)
        self.assertExit(r, 3)
        self.assertIn("broken.json:4:", r.stderr)
        self.assertIn("invalid JSON", r.stderr)

    def test_usage_errors_exit_2(self):
        self.assertExit(self.ctl("submit", os.path.join(self.tmp, "missing.yaml")), 2)
        self.assertExit(self.ctl(), 2)  # no subcommand
        self.assertExit(self.ctl("list", "--bogus"), 2)
        self.assertExit(self.ctl("list", "--limit", "0"), 2)
        h = self.ctl("--help", url=None, key=None)
        self.assertExit(h, 0)
        self.assertIn("Exit codes", h.stdout)
        for command in ("submit", "status", "list", "watch", "cancel", "logs", "download",
                        "predict", "bom", "validate"):
            self.assertIn(command, h.stdout)

    def test_unknown_job_is_refused(self):
        for args in (("status", "train-0000000000000000"), ("watch", "train-0000000000000000"),
                     ("bom", "train-0000000000000000"), ("download", "train-0000000000000000")):
            r = self.ctl(*args)
            self.assertExit(r, 3)
            self.assertIn("NOT_FOUND", r.stderr)

    def test_wrong_key_exits_4(self):
        for args in (("list",), ("watch", self.done_id), ("submit", self.seed_yaml)):
            r = self.ctl(*args, key="tdk_wrong")
            self.assertExit(r, 4)
            self.assertIn("UNAUTHENTICATED", r.stderr)
        none = self.ctl("list", key=None)
        self.assertExit(none, 4)
        self.assertIn("TRAIND_API_KEY", none.stderr)  # the hint says where a key goes

    def test_server_down_exits_5_and_names_the_url(self):
        url = f"http://127.0.0.1:{free_port()}"
        for args in (("list",), ("watch", self.done_id), ("submit", self.seed_yaml),
                     ("download", self.done_id)):
            r = self.ctl(*args, url=url, timeout=60)
            self.assertExit(r, 5)
            self.assertIn(f"cannot reach traind at {url}", r.stderr)

    # -- where the URL and key come from -------------------------------------------------------
    def test_environment_variables(self):
        r = self.ctl("--json", "status", self.done_id, url=None, key=None,
                     env={"TRAIND_URL": self.url, "TRAIND_API_KEY": self.acme})
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout)["job_id"], self.done_id)
        # A flag beats the environment.
        f = self.ctl("list", url=None, key="tdk_wrong",
                     env={"TRAIND_URL": self.url, "TRAIND_API_KEY": self.acme})
        self.assertExit(f, 4)

    def test_config_file_in_home_and_xdg(self):
        home = tempfile.mkdtemp(dir=self.tmp)
        os.makedirs(os.path.join(home, ".config", "traind"))
        with open(os.path.join(home, ".config", "traind", "config"), "w") as f:
            f.write(f'# trainctl settings\nurl = {self.url}\napi_key = "{self.acme}"\n')
        r = self.ctl("--json", "status", self.done_id, url=None, key=None, env={"HOME": home})
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout)["job_id"], self.done_id)
        # The environment beats the file.
        e = self.ctl("list", url=None, key=None, env={"HOME": home, "TRAIND_API_KEY": "tdk_wrong"})
        self.assertExit(e, 4)

        xdg = tempfile.mkdtemp(dir=self.tmp)
        os.makedirs(os.path.join(xdg, "traind"))
        with open(os.path.join(xdg, "traind", "config"), "w") as f:
            f.write(f"url: {self.url}\napi_key: {self.acme}\n")
        x = self.ctl("list", url=None, key=None, env={"XDG_CONFIG_HOME": xdg})
        self.assertExit(x, 0)
        self.assertIn(self.done_id, x.stdout)

        broken = tempfile.mkdtemp(dir=self.tmp)
        os.makedirs(os.path.join(broken, ".config", "traind"))
        with open(os.path.join(broken, ".config", "traind", "config"), "w") as f:
            f.write("server = http://elsewhere\n")
        b = self.ctl("list", url=None, key=None, env={"HOME": broken})
        self.assertExit(b, 2)
        self.assertIn("config:1: unknown setting 'server'", b.stderr)


if __name__ == "__main__":
    unittest.main()
