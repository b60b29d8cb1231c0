"""A real traind server for end-to-end tests: started on 127.0.0.1 with a fresh data
directory, driven over HTTP with the standard library only, stopped at the end.

Every wait polls with a deadline; nothing sleeps to wait for a state."""

import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

BIN_DIR = os.environ.get("TRAIND_BIN_DIR", os.path.join(os.path.dirname(__file__), "../../build/bin"))

SEED_CONFIG = {
    "name": "churn-predictor-v2",
    "algorithm": "xgboost",
    "task_type": "classification",
    "dataset": {
        "source": "sql",
        "query": "SELECT * FROM ml_features.customer_churn",
        "tenant_id": "acme-corp",
    },
    "target_column": "churned",
    "feature_columns": ["tenure", "monthly_charges", "total_charges"],
    "split": {"strategy": "stratified", "test_size": 0.2, "random_state": 42},
    "hyperparameters": {"n_estimators": 100, "max_depth": 6, "learning_rate": 0.1},
}

TERMINAL = ("completed", "failed", "cancelled")


def poll(fn, timeout=120.0, interval=0.05, what="condition"):
    """Calls fn until it returns a truthy value; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.body[:500]!r}>"


class Server:
    """One traind process with its own data directory."""

    def __init__(self, data_dir=None, extra_args=()):
        self.owns_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="traind-it-")
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None

    def start(self):
        port_file = os.path.join(self.data_dir, "traind.port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [os.path.join(BIN_DIR, "traind"), "serve", "--listen", "127.0.0.1:0",
             "--data-dir", self.data_dir] + self.extra_args,
            stdout=self.log, stderr=subprocess.STDOUT)

        def port_ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"traind exited with {self.proc.returncode}; see {self.data_dir}/server.log")
            try:
                with open(port_file) as f:
                    text = f.read().strip()
                return int(text) if text else None
            except (FileNotFoundError, ValueError):
                return None

        self.port = poll(port_ready, timeout=60, what="traind to listen")
        poll(lambda: self.request("GET", "/healthz").status == 200, timeout=30, what="healthz")
        return self

    def key(self, name):
        with open(os.path.join(self.data_dir, f"{name}.key")) as f:
            return f.read().strip()

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()

    def cleanup(self):
        self.stop()
        if self.owns_dir and os.environ.get("TRAIND_KEEP_DATA") is None:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    # -- HTTP -----------------------------------------------------------------------
    def request(self, method, path, body=None, key=None, headers=None, raw=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if key:
            h["Authorization"] = f"Bearer {key}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            h.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def submit(self, config, key, headers=None):
        return self.request("POST", "/api/v1/ml/train", config, key=key, headers=headers)

    def job(self, job_id, key):
        r = self.request("GET", f"/api/v1/ml/train/{job_id}", key=key)
        assert r.status == 200, r
        return r.json()

    def wait_status(self, job_id, key, statuses=TERMINAL, timeout=180):
        def check():
            j = self.job(job_id, key)
            return j if j["status"] in statuses else None
        return poll(check, timeout=timeout, interval=0.1, what=f"job {job_id} to reach {statuses}")

    def create_tenant(self, tenant_id, limits=None, datasources=True):
        admin = self.key("admin")
        r = self.request("POST", "/api/v1/admin/tenants",
                         {"tenant_id": tenant_id, "limits": limits or {}}, key=admin)
        assert r.status == 201, r
        key = r.json()["api_key"]
        if datasources:
            # The demo database file, registered for this tenant too.
            path = os.path.join(self.data_dir, "tenants", "acme-corp", "ml_features.db")
            r = self.request("PUT", f"/api/v1/admin/tenants/{tenant_id}/datasources/ml_features",
                             {"type": "sqlite", "path": path}, key=admin)
            assert r.status in (200, 201, 204), r
        return key


class ServerTestCase(unittest.TestCase):
    """One server for the whole class."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=cls.server_args).start()
        cls.acme = cls.server.key("acme-corp")
        cls.admin = cls.server.key("admin")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def completed(self, job_id, key=None, timeout=600):
        """Waits for the job to end and asserts that it completed."""
        done = self.server.wait_status(job_id, key or self.acme, timeout=timeout)
        self.assertEqual(done["status"], "completed", done)
        return done

    def check_seed_result(self, done, features=tuple(SEED_CONFIG["feature_columns"]), min_auc=0.6):
        """Every result field the seed names, consistent with each other."""
        for field in ("metrics", "feature_importance", "model_artifact_id",
                      "training_duration_seconds", "data_summary"):
            self.assertIn(field, done)
        m = done["metrics"]
        for field in ("accuracy", "precision", "recall", "f1_score", "auc_roc", "confusion_matrix"):
            self.assertIn(field, m)
        summary = done["data_summary"]
        self.assertEqual(summary["train_samples"] + summary["test_samples"], summary["total_samples"])
        self.assertGreaterEqual(summary["total_samples"], 5000)
        self.assertEqual(sum(map(sum, m["confusion_matrix"])), summary["test_samples"])
        self.assertGreater(m["auc_roc"], min_auc)
        self.assertLessEqual(m["auc_roc"], 1.0)
        self.assertTrue(0 <= m["accuracy"] <= 1)
        fi = done["feature_importance"]
        self.assertEqual(set(fi), set(features))
        self.assertAlmostEqual(sum(fi.values()), 1.0, places=6)
        for v in fi.values():
            self.assertGreaterEqual(v, 0.0)
        self.assertGreater(done["training_duration_seconds"], 0)
        # The points to plot: ROC and precision-recall of the positive class, thinned.
        curves = done["curves"]
        self.assertEqual(curves["positive_label"], "1")
        roc, pr = curves["roc"], curves["precision_recall"]
        self.assertEqual(len(roc["fpr"]), len(roc["tpr"]))
        self.assertLessEqual(len(roc["fpr"]), 200)
        self.assertEqual((roc["fpr"][0], roc["tpr"][-1]), (0.0, 1.0))
        self.assertEqual(len(pr["recall"]), len(pr["precision"]))
        meta = self.server.request("GET", f"/api/v1/ml/models/{done['model_artifact_id']}",
                                   key=self.acme)
        self.assertEqual(meta.status, 200, meta)
        return meta.json()

    def assertError(self, response, status, code, path=None):
        self.assertEqual(response.status, status, response)
        err = response.json()["error"]
        self.assertEqual(err["code"], code, response)
        self.assertTrue(err["message"], response)
        if path is not None:
            paths = [d["path"] for d in err.get("details", [])]
            self.assertIn(path, paths, response)
        return err


def worker_pids(job_id):
    """Pids of traind-worker processes running the job (named on the command line, or
    writing to the job's log)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        if "traind-worker" not in cmd:
            continue
        # A standby worker learns its job after it started: its output goes to the job's log.
        try:
            log = os.readlink(f"/proc/{entry}/fd/2")
        except OSError:
            log = ""
        if job_id in cmd or f"/{job_id}/" in log:
            pids.append(int(entry))
    # A task a worker forked without exec is the same worker (LeakSanitizer's tracer at exit
    # in a sanitized build), not a second one.
    return [pid for pid in pids if _parent_pid(pid) not in pids]


def _parent_pid(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None
