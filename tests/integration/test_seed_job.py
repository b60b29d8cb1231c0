"""The seed's example configuration, pasted verbatim, trains end to end on a real server."""

import base64
import copy
import json
import os
import socket
import sqlite3
import struct
import tempfile
import unittest

from traind_harness import SEED_CONFIG, ServerTestCase, poll


def read_events_sse(server, job_id, key):
    """Reads the whole SSE stream of a job (it ends after the terminal event)."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=180)
    conn.request("GET", f"/api/v1/ml/train/{job_id}/events", headers={"Authorization": f"Bearer {key}"})
    r = conn.getresponse()
    assert r.status == 200, r.status
    assert r.getheader("Content-Type", "").startswith("text/event-stream")
    events = []
    for raw in r:
        line = raw.decode().rstrip("\r\n")
        if line.startswith("data:"):
            events.append(json.loads(line[5:].strip()))
    conn.close()
    return events


def read_events_websocket(server, job_id, key):
    """A minimal RFC 6455 client: handshake, then text messages (a message may come in
    several frames: a first frame, continuation frames, the last one with FIN set) until the
    server closes."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=180)
    nonce = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /api/v1/ml/train/{job_id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {nonce}\r\n"
               f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {key}\r\n\r\n").encode())
    f = s.makefile("rb")
    status = f.readline().decode()
    assert " 101 " in status, status
    while f.readline() not in (b"\r\n", b""):
        pass
    events = []
    message, message_opcode = b"", None
    while True:
        head = f.read(2)
        if len(head) < 2:
            break
        fin = bool(head[0] & 0x80)
        opcode = head[0] & 0x0F
        n = head[1] & 0x7F
        if n == 126:
            n = struct.unpack(">H", f.read(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", f.read(8))[0]
        payload = f.read(n)
        if opcode == 0x8:
            break
        if opcode in (0x1, 0x2):
            message, message_opcode = payload, opcode
        elif opcode == 0x0:
            message += payload
        else:
            continue  # ping/pong
        if fin and message_opcode == 0x1:
            events.append(json.loads(message))
            message, message_opcode = b"", None
    s.close()
    return events


class SeedJobTest(ServerTestCase):
    def test_seed_configuration_trains_and_returns_every_seed_field(self):
        r = self.server.submit(SEED_CONFIG, self.acme)
        self.assertEqual(r.status, 202, r)
        job = r.json()
        self.assertEqual(job["status"], "queued")
        self.assertEqual(r.headers["location"], f"/api/v1/ml/train/{job['job_id']}")
        self.assertEqual(job["config"]["algorithm"], "xgboost")

        events = read_events_sse(self.server, job["job_id"], self.acme)
        self.assertEqual(events[0]["type"], "status", events[0])
        self.assertEqual(events[-1]["type"], "status")
        self.assertEqual(events[-1]["status"], "completed", events[-1])

        done = self.completed(job["job_id"])
        self.check_seed_result(done)
        summary = done["data_summary"]
        self.assertEqual(summary["test_samples"], -(-summary["total_samples"] * 2 // 10))

        # The model downloads in XGBoost's JSON format and predicts what /predict answers.
        model_id = done["model_artifact_id"]
        meta = self.server.request("GET", f"/api/v1/ml/models/{model_id}", key=self.acme)
        self.assertEqual(meta.status, 200, meta)
        dl = self.server.request("GET", f"/api/v1/ml/models/{model_id}/download", key=self.acme)
        self.assertEqual(dl.status, 200)
        model_json = json.loads(dl.body)
        self.assertIn("learner", model_json)

        db = os.path.join(self.server.data_dir, "tenants", "acme-corp", "ml_features.db")
        con = sqlite3.connect(db)
        rows = con.execute("SELECT tenure, monthly_charges, total_charges FROM customer_churn "
                           "WHERE total_charges IS NULL OR rowid % 97 = 0 LIMIT 40").fetchall()
        con.close()
        self.assertTrue(any(r[2] is None for r in rows), "sample should hold a missing value")
        body = {"rows": [dict(zip(SEED_CONFIG["feature_columns"], r)) for r in rows]}
        pr = self.server.request("POST", f"/api/v1/ml/models/{model_id}/predict", body, key=self.acme)
        self.assertEqual(pr.status, 200, pr)
        preds = pr.json()["predictions"]
        self.assertEqual(len(preds), len(rows))

        import numpy as np
        import xgboost as xgb
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            f.write(dl.body)
            f.flush()
            booster = xgb.Booster()
            booster.load_model(f.name)
        x = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=np.float32)
        p = booster.predict(xgb.DMatrix(x, missing=np.nan, feature_names=SEED_CONFIG["feature_columns"]))
        for ours, theirs in zip(preds, p):
            self.assertAlmostEqual(ours["probabilities"]["1"], float(theirs), places=5)
            self.assertEqual(ours["label"], "1" if theirs >= 0.5 else "0")

        # A prediction row missing a feature names it.
        bad = self.server.request("POST", f"/api/v1/ml/models/{model_id}/predict",
                                  {"rows": [{"tenure": 3, "monthly_charges": 20.0}]}, key=self.acme)
        self.assertError(bad, 400, "INVALID_CONFIG", "/rows/0/total_charges")

    def test_websocket_stream_starts_with_a_snapshot_and_ends_after_the_terminal_event(self):
        r = self.server.submit(SEED_CONFIG, self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        events = read_events_websocket(self.server, job_id, self.acme)
        self.assertEqual(events[0]["type"], "status")
        self.assertEqual(events[-1]["type"], "status")
        self.assertIn(events[-1]["status"], ("completed",), events[-1])
        # A late subscriber gets the snapshot and the stream ends at once.
        late = read_events_websocket(self.server, job_id, self.acme)
        self.assertEqual(len(late), 1)
        self.assertEqual(late[0]["status"], "completed")

    def test_idempotency_key_returns_the_first_job(self):
        headers = {"Idempotency-Key": "seed-retry-1"}
        a = self.server.submit(SEED_CONFIG, self.acme, headers=headers)
        b = self.server.submit(SEED_CONFIG, self.acme, headers=headers)
        self.assertEqual(a.status, 202, a)
        self.assertIn(b.status, (200, 202), b)
        self.assertEqual(a.json()["job_id"], b.json()["job_id"])

    def test_list_filters_and_paginates(self):
        ids = []
        for i in range(3):
            cfg = copy.deepcopy(SEED_CONFIG)
            cfg["name"] = f"list-test-{i}"
            cfg["hyperparameters"]["n_estimators"] = 5
            r = self.server.submit(cfg, self.acme)
            self.assertEqual(r.status, 202, r)
            ids.append(r.json()["job_id"])
        for job_id in ids:
            self.server.wait_status(job_id, self.acme)
        r = self.server.request("GET", "/api/v1/ml/train?name=list-test-1", key=self.acme)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([j["job_id"] for j in r.json()["jobs"]], [ids[1]])
        self.assertNotIn("config", r.json()["jobs"][0])
        seen = []
        token = ""
        while True:
            path = "/api/v1/ml/train?tenant_id=acme-corp&status=completed,failed&limit=1"
            if token:
                path += f"&page_token={token}"
            page = self.server.request("GET", path, key=self.acme).json()
            seen += [j["job_id"] for j in page["jobs"]]
            token = page.get("next_page_token") or ""
            if not token:
                break
        for job_id in ids:
            self.assertIn(job_id, seen)
        self.assertEqual(len(seen), len(set(seen)))
        # Newest first.
        self.assertLess(seen.index(ids[2]), seen.index(ids[0]))

    def test_validate_resolves_defaults_without_creating_a_job(self):
        cfg = copy.deepcopy(SEED_CONFIG)
        del cfg["feature_columns"]
        cfg["hyperparameters"] = {"eta": 0.2}
        before = self.server.request("GET", "/api/v1/ml/train?limit=500", key=self.acme).json()["jobs"]
        r = self.server.request("POST", "/api/v1/ml/train/validate", cfg, key=self.acme)
        self.assertEqual(r.status, 200, r)
        resolved = r.json()["resolved"]
        self.assertTrue(r.json()["valid"])
        self.assertEqual(resolved["hyperparameters"]["learning_rate"], 0.2)
        self.assertIn("max_depth", resolved["hyperparameters"])
        self.assertIn("tenure", resolved["feature_columns"])
        self.assertNotIn("customer_id", resolved["feature_columns"])
        self.assertNotIn("churned", resolved["feature_columns"])
        after = self.server.request("GET", "/api/v1/ml/train?limit=500", key=self.acme).json()["jobs"]
        self.assertEqual(len(before), len(after))

    def test_regression_and_logistic_jobs_complete(self):
        reg = {"name": "charges", "algorithm": "linear", "task_type": "regression",
               "dataset": {"source": "sql", "query": "SELECT tenure, monthly_charges, contract_type, "
                           "total_charges FROM ml_features.customer_churn WHERE total_charges IS NOT NULL"},
               "target_column": "total_charges"}
        logit = copy.deepcopy(SEED_CONFIG)
        logit["algorithm"] = "logistic"
        logit["hyperparameters"] = {"C": 0.5}
        logit["feature_columns"] = ["tenure", "monthly_charges", "contract_type", "payment_method"]
        ids = []
        for cfg in (reg, logit):
            r = self.server.submit(cfg, self.acme)
            self.assertEqual(r.status, 202, r)
            ids.append(r.json()["job_id"])
        a = self.server.wait_status(ids[0], self.acme)
        self.assertEqual(a["status"], "completed", a)
        self.assertEqual(a["algorithm"], "linear_regression")
        for k in ("rmse", "mae", "r2", "mape"):
            self.assertIn(k, a["metrics"])
        self.assertGreater(a["metrics"]["r2"], 0.5)
        b = self.server.wait_status(ids[1], self.acme)
        self.assertEqual(b["status"], "completed", b)
        self.assertEqual(b["algorithm"], "logistic_regression")
        self.assertIn("contract_type", b["feature_importance"])
        self.assertAlmostEqual(sum(b["feature_importance"].values()), 1.0, places=6)

    def test_operations_endpoints(self):
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)
        self.assertEqual(self.server.request("GET", "/readyz").status, 200)
        metrics = self.server.request("GET", "/metrics")
        self.assertEqual(metrics.status, 200)
        self.assertIn(b"traind_", metrics.body)
        schema = self.server.request("GET", "/api/v1/ml/schema", key=self.acme)
        self.assertEqual(schema.status, 200)
        self.assertIn("properties", schema.json())
        algos = self.server.request("GET", "/api/v1/ml/algorithms", key=self.acme).json()
        names = [a["name"] for a in algos["algorithms"]]
        for n in ("xgboost", "linear_regression", "logistic_regression"):
            self.assertIn(n, names)


if __name__ == "__main__":
    unittest.main()
