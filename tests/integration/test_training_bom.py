"""Every job's Training BOM (seed 004) and its MLflow run say the same thing; a job that
failed or was cancelled carries what was known; BOMs survive a restart; a tenant never
sees another's; and with an export URI, each finished job's run is also logged on another
MLflow server (here a second traind)."""

import copy
import json
import os
import signal
import unittest
from urllib.parse import urlencode

import jsonschema

from traind_harness import SEED_CONFIG, Server, ServerTestCase, poll, worker_pids

BOM_KEYS = ["id", "start_time", "end_time", "dataset_info", "feature_info", "model_info",
            "mlflow_params", "mlflow_metrics"]


def long_job(name, rows=300):
    cfg = copy.deepcopy(SEED_CONFIG)
    cfg["name"] = name
    cfg["dataset"]["query"] = f"SELECT * FROM ml_features.customer_churn LIMIT {rows}"
    cfg["hyperparameters"] = {"n_estimators": 100000, "max_depth": 4}
    return cfg


def mlflow_get(server, endpoint, key, **params):
    return server.request("GET", f"/api/2.0/mlflow/{endpoint}?{urlencode(params)}", key=key)


class TrainingBomTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request("GET", "/api/v1/ml/schema/bom", key=cls.acme)
        assert r.status == 200, r
        cls.schema = r.json()
        cfg = copy.deepcopy(SEED_CONFIG)
        cfg["experiment_name"] = "bom-tests"
        r = cls.server.submit(cfg, cls.acme)
        assert r.status == 202, r
        cls.job_id = r.json()["job_id"]
        cls.done = cls.server.wait_status(cls.job_id, cls.acme, timeout=300)

    def bom(self, job_id, key=None):
        r = self.server.request("GET", f"/api/v1/ml/train/{job_id}/bom", key=key or self.acme)
        self.assertEqual(r.status, 200, r)
        bom = json.loads(r.body)
        self.assertEqual(list(bom), BOM_KEYS, "the seed's key order")
        jsonschema.Draft202012Validator(self.schema).validate(bom)
        return r.body, bom

    def wait_training(self, job_id):
        def check():
            j = self.server.job(job_id, self.acme)
            self.assertNotIn(j["status"], ("completed", "failed", "cancelled"), j)
            return j if j["status"] == "running" and j["progress"].get("iteration", 0) >= 1 else None
        return poll(check, timeout=120, what=f"{job_id} to be training")

    def test_completed_job_bom_agrees_with_its_mlflow_run(self):
        self.assertEqual(self.done["status"], "completed", self.done)
        body, bom = self.bom(self.job_id)
        self.assertEqual(bom["id"], self.job_id)
        self.assertTrue(bom["start_time"].endswith("+00:00"), bom["start_time"])
        self.assertLessEqual(bom["start_time"], bom["end_time"])
        self.assertEqual(bom["dataset_info"]["size"], 6000)
        self.assertIn("acme-corp", bom["dataset_info"]["origin"])
        self.assertIn("customer_churn", bom["dataset_info"]["origin"])
        self.assertEqual(bom["feature_info"]["selected_features"], SEED_CONFIG["feature_columns"])
        self.assertIn("contract_type", bom["feature_info"]["original_features"])
        self.assertNotIn("churned", bom["feature_info"]["original_features"])
        self.assertEqual(bom["model_info"], {"type": "XGBClassifier",
                                             "architecture": "gradient_boosted_trees"})
        params = bom["mlflow_params"]
        for key, value in (("n_estimators", "100"), ("max_depth", "6"), ("learning_rate", "0.1"),
                           ("split.strategy", "stratified"), ("split.test_size", "0.2"),
                           ("split.random_state", "42"), ("model_type", "XGBClassifier")):
            self.assertEqual(params[key], value, key)
        self.assertRegex(params["data_hash"], "^[0-9a-f]{64}$")
        self.assertIn("xgboost", params["library"])
        metrics = bom["mlflow_metrics"]
        self.assertAlmostEqual(metrics["auc_roc"], self.done["metrics"]["auc_roc"], places=12)
        self.assertEqual(metrics["confusion_matrix.1.1"], self.done["metrics"]["confusion_matrix"][1][1])

        run = mlflow_get(self.server, "runs/get", self.acme, run_id=self.job_id)
        self.assertEqual(run.status, 200, run)
        run = run.json()["run"]
        self.assertEqual(run["info"]["status"], "FINISHED")
        self.assertEqual({p["key"]: p["value"] for p in run["data"]["params"]}, params)
        self.assertEqual({m["key"]: m["value"] for m in run["data"]["metrics"]}, metrics)
        tags = {t["key"]: t["value"] for t in run["data"]["tags"]}
        self.assertEqual(tags["traind.data_hash"], params["data_hash"])
        self.assertEqual(tags["traind.model_artifact_id"], self.done["model_artifact_id"])
        exp = mlflow_get(self.server, "experiments/get", self.acme,
                         experiment_id=run["info"]["experiment_id"]).json()["experiment"]
        self.assertEqual(exp["name"], "bom-tests")

        # The run's artifact is the same document, byte for byte.
        path = f"{run['info']['experiment_id']}/{self.job_id}/artifacts/training_bom.json"
        art = self.server.request("GET", f"/api/2.0/mlflow-artifacts/artifacts/{path}", key=self.acme)
        self.assertEqual(art.status, 200, art)
        self.assertEqual(art.body, body)

        # The seed's create_training_bom_from_mlflow on the run says the same.
        r = self.server.request("GET", f"/api/v1/ml/runs/{self.job_id}/bom", key=self.acme)
        self.assertEqual(r.status, 200, r)
        from_run = r.json()
        self.assertEqual(from_run["id"], f"mlflow-{self.job_id}")
        self.assertEqual(from_run["start_time"], str(run["info"]["start_time"]))
        self.assertEqual(from_run["end_time"], str(run["info"]["end_time"]))
        for key in ("dataset_info", "feature_info", "model_info", "mlflow_params", "mlflow_metrics"):
            self.assertEqual(from_run[key], bom[key], key)

    def test_per_iteration_metrics_are_the_runs_history(self):
        r = mlflow_get(self.server, "metrics/get-history", self.acme, run_id=self.job_id,
                       metric_key="valid_logloss")
        self.assertEqual(r.status, 200, r)
        steps = [m["step"] for m in r.json()["metrics"]]
        self.assertEqual(steps, list(range(1, 101)), "one value per boosting round")

    def test_bom_is_refused_while_the_job_runs_and_kept_when_it_is_cancelled(self):
        r = self.server.submit(long_job("to-cancel"), self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        self.wait_training(job_id)
        early = self.server.request("GET", f"/api/v1/ml/train/{job_id}/bom", key=self.acme)
        self.assertError(early, 409, "CONFLICT")
        self.assertEqual(self.server.request("DELETE", f"/api/v1/ml/train/{job_id}",
                                             key=self.acme).status, 200)
        self.server.wait_status(job_id, self.acme, statuses=("cancelled",))
        _, bom = self.bom(job_id)
        self.assertEqual(bom["dataset_info"]["size"], 300)
        self.assertEqual(bom["feature_info"]["selected_features"], SEED_CONFIG["feature_columns"])
        self.assertEqual(bom["mlflow_params"]["n_estimators"], "100000")
        run = mlflow_get(self.server, "runs/get", self.acme, run_id=job_id).json()["run"]
        self.assertEqual(run["info"]["status"], "KILLED")

    def test_crashed_worker_leaves_a_bom_with_what_was_known(self):
        r = self.server.submit(long_job("to-crash"), self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        self.wait_training(job_id)
        for pid in worker_pids(job_id):
            os.kill(pid, signal.SIGKILL)
        failed = self.server.wait_status(job_id, self.acme)
        self.assertEqual(failed["status"], "failed", failed)
        _, bom = self.bom(job_id)
        self.assertEqual(bom["dataset_info"]["size"], 300)
        self.assertEqual(bom["model_info"]["type"], "unknown", "it never finished training")
        self.assertNotIn("accuracy", bom["mlflow_metrics"])
        run = mlflow_get(self.server, "runs/get", self.acme, run_id=job_id).json()["run"]
        self.assertEqual(run["info"]["status"], "FAILED")
        tags = {t["key"]: t["value"] for t in run["data"]["tags"]}
        self.assertEqual(tags["traind.error_code"], "WORKER_CRASHED")

    def test_bom_list_filters_and_tenant_walls(self):
        r = self.server.request("GET", "/api/v1/ml/boms?status=completed&limit=500", key=self.acme)
        self.assertEqual(r.status, 200, r)
        boms = r.json()["boms"]
        self.assertIn(self.job_id, [b["id"] for b in boms])
        for b in boms:
            self.assertEqual(list(b), BOM_KEYS)
        r = self.server.request("GET", "/api/v1/ml/boms?model_type=LGBMClassifier", key=self.acme)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(self.job_id, [b["id"] for b in r.json()["boms"]])
        self.assertError(self.server.request("GET", "/api/v1/ml/boms?status=running", key=self.acme),
                         400, "INVALID_CONFIG")

        other = self.server.create_tenant("bom-outsider")
        self.assertError(self.server.request("GET", f"/api/v1/ml/train/{self.job_id}/bom", key=other),
                         404, "NOT_FOUND")
        self.assertError(self.server.request("GET", f"/api/v1/ml/runs/{self.job_id}/bom", key=other),
                         404, "NOT_FOUND")
        r = self.server.request("GET", "/api/v1/ml/boms", key=other)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["boms"], [])
        # The admin key sees the job's BOM (as it sees the job).
        self.assertEqual(self.server.request("GET", f"/api/v1/ml/train/{self.job_id}/bom",
                                             key=self.admin).status, 200)


class TrainingBomRestartTest(unittest.TestCase):
    def test_boms_and_runs_survive_a_restart(self):
        server = Server().start()
        try:
            key = server.key("acme-corp")
            r = server.submit(SEED_CONFIG, key)
            self.assertEqual(r.status, 202, r)
            job_id = r.json()["job_id"]
            self.assertEqual(server.wait_status(job_id, key)["status"], "completed")
            before = server.request("GET", f"/api/v1/ml/train/{job_id}/bom", key=key)
            self.assertEqual(before.status, 200, before)
            server.stop(signal.SIGKILL)
            server.start()
            after = server.request("GET", f"/api/v1/ml/train/{job_id}/bom", key=key)
            self.assertEqual(after.status, 200, after)
            self.assertEqual(after.body, before.body)
            run = mlflow_get(server, "runs/get", key, run_id=job_id)
            self.assertEqual(run.json()["run"]["info"]["status"], "FINISHED")
        finally:
            server.cleanup()


class MlflowExportTest(unittest.TestCase):
    """Server A exports each finished job's run to server B's MLflow API."""

    def test_finished_job_is_logged_on_the_external_tracking_server(self):
        remote = Server().start()
        local = None
        try:
            remote_key = remote.create_tenant("exports", datasources=False)
            os.environ["TRAIND_MLFLOW_EXPORT_TOKEN"] = remote_key
            try:
                local = Server(extra_args=["--mlflow-export-uri",
                                           f"http://127.0.0.1:{remote.port}"]).start()
            finally:
                del os.environ["TRAIND_MLFLOW_EXPORT_TOKEN"]
            key = local.key("acme-corp")
            cfg = copy.deepcopy(SEED_CONFIG)
            cfg["experiment_name"] = "exported-churn"
            r = local.submit(cfg, key)
            self.assertEqual(r.status, 202, r)
            job_id = r.json()["job_id"]
            self.assertEqual(local.wait_status(job_id, key)["status"], "completed")

            def exported():
                run = mlflow_get(local, "runs/get", key, run_id=job_id).json()["run"]
                tags = {t["key"]: t["value"] for t in run["data"].get("tags", [])}
                self.assertNotIn("traind.export.error", tags)
                return tags.get("traind.export.run_id")
            remote_run_id = poll(exported, timeout=120, what="the export")
            local_run = mlflow_get(local, "runs/get", key, run_id=job_id).json()["run"]

            exp = mlflow_get(remote, "experiments/get-by-name", remote_key,
                             experiment_name="exported-churn")
            self.assertEqual(exp.status, 200, exp)
            found = remote.request("POST", "/api/2.0/mlflow/runs/search", {
                "experiment_ids": [exp.json()["experiment"]["experiment_id"]],
                "filter": f"tags.`traind.source_run_id` = '{job_id}'"}, key=remote_key)
            self.assertEqual(found.status, 200, found)
            runs = found.json()["runs"]
            self.assertEqual([r["info"]["run_id"] for r in runs], [remote_run_id])
            remote_run = runs[0]
            self.assertEqual(remote_run["info"]["status"], "FINISHED")
            self.assertEqual(remote_run["info"]["start_time"], local_run["info"]["start_time"])
            self.assertEqual({p["key"]: p["value"] for p in remote_run["data"]["params"]},
                             {p["key"]: p["value"] for p in local_run["data"]["params"]})
            self.assertEqual({m["key"]: m["value"] for m in remote_run["data"]["metrics"]},
                             {m["key"]: m["value"] for m in local_run["data"]["metrics"]})
            remote_tags = {t["key"]: t["value"] for t in remote_run["data"]["tags"]}
            self.assertEqual(remote_tags["traind.job_id"], job_id)
            self.assertEqual(remote_tags["traind.algorithm"], "xgboost")

            history = mlflow_get(remote, "metrics/get-history", remote_key, run_id=remote_run_id,
                                 metric_key="valid_logloss").json()["metrics"]
            self.assertEqual([m["step"] for m in history], list(range(1, 101)))

            local_bom = local.request("GET", f"/api/v1/ml/train/{job_id}/bom", key=key)
            path = (f"{remote_run['info']['experiment_id']}/{remote_run_id}/artifacts/"
                    "training_bom.json")
            remote_bom = remote.request("GET", f"/api/2.0/mlflow-artifacts/artifacts/{path}",
                                        key=remote_key)
            self.assertEqual(remote_bom.status, 200, remote_bom)
            self.assertEqual(remote_bom.body, local_bom.body)
            listing = mlflow_get(remote, "artifacts/list", remote_key, run_id=remote_run_id,
                                 path="model").json()
            self.assertTrue(any(f["path"] == "model/model.json" for f in listing["files"]), listing)
        finally:
            if local:
                local.cleanup()
            remote.cleanup()


if __name__ == "__main__":
    unittest.main()
