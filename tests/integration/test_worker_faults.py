"""A worker that is killed, runs out of memory or out of time ends as one failed job; the
server and the other jobs carry on. A tenant's sixth job waits for a free slot."""

import copy
import os
import signal
import unittest

from traind_harness import SEED_CONFIG, ServerTestCase, poll, worker_pids


def long_job(name, tenant=None, rows=300):
    cfg = copy.deepcopy(SEED_CONFIG)
    cfg["name"] = name
    cfg["dataset"]["query"] = f"SELECT * FROM ml_features.customer_churn LIMIT {rows}"
    if tenant:
        cfg["dataset"]["tenant_id"] = tenant
    cfg["hyperparameters"] = {"n_estimators": 100000, "max_depth": 4}
    return cfg


class WorkerFaultTest(ServerTestCase):
    def wait_training(self, job_id, key):
        def check():
            j = self.server.job(job_id, key)
            self.assertNotIn(j["status"], ("completed", "failed", "cancelled"), j)
            return j if j["status"] == "running" and j["progress"].get("iteration", 0) >= 1 else None
        return poll(check, timeout=120, what=f"{job_id} to be training")

    def test_worker_killed_mid_training_fails_while_another_job_completes(self):
        r = self.server.submit(long_job("victim"), self.acme)
        self.assertEqual(r.status, 202, r)
        victim = r.json()["job_id"]
        other = self.server.submit(SEED_CONFIG, self.acme)
        self.assertEqual(other.status, 202, other)
        self.wait_training(victim, self.acme)
        pids = worker_pids(victim)
        self.assertTrue(pids)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        failed = self.server.wait_status(victim, self.acme)
        self.assertEqual(failed["status"], "failed", failed)
        self.assertEqual(failed["error"]["code"], "WORKER_CRASHED", failed)
        done = self.server.wait_status(other.json()["job_id"], self.acme)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)

    @unittest.skipIf(os.environ.get("TRAIND_SANITIZED") == "1",
                     "sanitizer runtimes cannot run under RLIMIT_DATA, so the executor sets none")
    def test_worker_over_its_memory_limit_fails_with_out_of_memory(self):
        key = self.server.create_tenant("tight", {"memory_bytes": 512 << 20})
        cfg = copy.deepcopy(SEED_CONFIG)
        cfg["dataset"] = {"source": "sql", "tenant_id": "tight", "query":
                          "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 1200) "
                          "SELECT x, x % 2 AS y, zeroblob(1000000) AS pad FROM r"}
        cfg["target_column"] = "y"
        cfg["feature_columns"] = ["x", "pad"]  # the worker loads only what the job uses
        r = self.server.submit(cfg, key)
        self.assertEqual(r.status, 202, r)
        other = self.server.submit(SEED_CONFIG, self.acme)
        job = self.server.wait_status(r.json()["job_id"], key)
        self.assertEqual(job["status"], "failed", job)
        self.assertEqual(job["error"]["code"], "OUT_OF_MEMORY", job)
        self.assertEqual(self.server.wait_status(other.json()["job_id"], self.acme)["status"], "completed")

    def test_worker_over_its_time_limit_fails_with_timeout(self):
        key = self.server.create_tenant("hasty", {"max_duration_seconds": 2, "cpu_cores": 1})
        r = self.server.submit(long_job("forever", "hasty"), key)
        self.assertEqual(r.status, 202, r)
        other = self.server.submit(SEED_CONFIG, self.acme)
        job = self.server.wait_status(r.json()["job_id"], key)
        self.assertEqual(job["status"], "failed", job)
        self.assertEqual(job["error"]["code"], "TIMEOUT", job)
        self.assertEqual(self.server.wait_status(other.json()["job_id"], self.acme)["status"], "completed")
        self.assertEqual(worker_pids(r.json()["job_id"]), [])

    def test_sixth_concurrent_job_waits_in_queue_until_a_slot_frees(self):
        key = self.server.create_tenant("busy", {"max_concurrent_jobs": 5, "cpu_cores": 1})
        ids = []
        for i in range(6):
            r = self.server.submit(long_job(f"busy-{i}", "busy", rows=100), key)
            self.assertEqual(r.status, 202, r)
            ids.append(r.json()["job_id"])
        poll(lambda: all(self.server.job(j, key)["status"] == "running" for j in ids[:5]),
             timeout=120, what="five running jobs")
        self.assertEqual(self.server.job(ids[5], key)["status"], "queued")
        listed = self.server.request("GET", "/api/v1/ml/train?status=running", key=key).json()["jobs"]
        self.assertEqual(len(listed), 5)
        c = self.server.request("DELETE", f"/api/v1/ml/train/{ids[0]}", key=key)
        self.assertEqual(c.status, 200, c)
        self.assertEqual(self.server.wait_status(ids[0], key)["status"], "cancelled")
        poll(lambda: self.server.job(ids[5], key)["status"] == "running", timeout=60, what="sixth job to start")
        running = self.server.request("GET", "/api/v1/ml/train?status=running", key=key).json()["jobs"]
        self.assertEqual(len(running), 5)
        for j in ids[1:]:
            self.assertEqual(self.server.request("DELETE", f"/api/v1/ml/train/{j}", key=key).status, 200)
        for j in ids[1:]:
            self.assertEqual(self.server.wait_status(j, key)["status"], "cancelled")
        poll(lambda: all(not worker_pids(j) for j in ids), timeout=30, what="workers to be gone")

    def test_cancel_a_queued_job_removes_it_at_once(self):
        key = self.server.create_tenant("single", {"max_concurrent_jobs": 1, "cpu_cores": 1})
        a = self.server.submit(long_job("first", "single", rows=100), key).json()["job_id"]
        b = self.server.submit(long_job("second", "single", rows=100), key).json()["job_id"]
        self.assertEqual(self.server.job(b, key)["status"], "queued")
        r = self.server.request("DELETE", f"/api/v1/ml/train/{b}", key=key)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "cancelled")
        self.assertEqual(self.server.request("DELETE", f"/api/v1/ml/train/{a}", key=key).status, 200)
        self.assertEqual(self.server.wait_status(a, key)["status"], "cancelled")


if __name__ == "__main__":
    unittest.main()
