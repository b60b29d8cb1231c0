"""Bad input gets API.md's error with the right code and path, and loses nothing."""

import copy
import unittest

from traind_harness import SEED_CONFIG, ServerTestCase


def seed(**changes):
    cfg = copy.deepcopy(SEED_CONFIG)
    cfg.update(changes)
    return cfg


class BadInputTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.globex = cls.server.create_tenant("globex", {"max_duration_seconds": 30})

    def test_no_key_and_wrong_key_are_unauthenticated(self):
        self.assertError(self.server.request("GET", "/api/v1/ml/train"), 401, "UNAUTHENTICATED")
        wrong = "tdk_" + "0" * 16 + "_" + "0" * 48
        self.assertError(self.server.request("GET", "/api/v1/ml/train", key=wrong), 401, "UNAUTHENTICATED")
        self.assertError(self.server.request("GET", "/api/v1/ml/train", key="garbage"), 401, "UNAUTHENTICATED")

    def test_malformed_json(self):
        r = self.server.request("POST", "/api/v1/ml/train", raw=b'{"name": "x", ', key=self.acme)
        self.assertError(r, 400, "INVALID_JSON")

    def test_unknown_field(self):
        self.assertError(self.server.submit(seed(colour="blue"), self.acme), 400, "INVALID_CONFIG", "/colour")

    def test_wrong_type(self):
        cfg = seed()
        cfg["split"]["test_size"] = "a fifth"
        self.assertError(self.server.submit(cfg, self.acme), 400, "INVALID_CONFIG", "/split/test_size")

    def test_test_size_out_of_range(self):
        cfg = seed()
        cfg["split"]["test_size"] = 1.5
        self.assertError(self.server.submit(cfg, self.acme), 400, "INVALID_CONFIG", "/split/test_size")

    def test_unknown_algorithm(self):
        self.assertError(self.server.submit(seed(algorithm="catboost"), self.acme), 400, "INVALID_CONFIG",
                         "/algorithm")

    def test_algorithm_task_mismatch(self):
        self.assertError(self.server.submit(seed(algorithm="linear_regression"), self.acme), 400,
                         "INVALID_CONFIG", "/task_type")

    def test_unknown_hyperparameter(self):
        cfg = seed()
        cfg["hyperparameters"]["max_dept"] = 3
        err = self.assertError(self.server.submit(cfg, self.acme), 400, "INVALID_CONFIG",
                               "/hyperparameters/max_dept")
        self.assertIn("max_depth", [d for d in err["details"] if d["path"] == "/hyperparameters/max_dept"][0]["message"])

    def test_all_problems_are_reported_at_once(self):
        cfg = seed(algorithm="catboost", colour="blue")
        cfg["split"]["test_size"] = 1.5
        err = self.assertError(self.server.submit(cfg, self.acme), 400, "INVALID_CONFIG")
        paths = {d["path"] for d in err["details"]}
        self.assertTrue({"/algorithm", "/colour", "/split/test_size"} <= paths, paths)

    def test_missing_target_column(self):
        self.assertError(self.server.submit(seed(target_column="left_us"), self.acme), 400, "INVALID_CONFIG",
                         "/target_column")

    def test_missing_feature_column(self):
        cfg = seed(feature_columns=["tenure", "shoe_size"])
        self.assertError(self.server.submit(cfg, self.acme), 400, "INVALID_CONFIG", "/feature_columns/1")

    def test_sql_that_writes_or_attaches_is_refused(self):
        for query in ("DELETE FROM ml_features.customer_churn",
                      "INSERT INTO ml_features.customer_churn (churned) VALUES (1)",
                      "ATTACH DATABASE '/tmp/x.db' AS x",
                      "PRAGMA writable_schema = ON",
                      "SELECT load_extension('/tmp/evil')",
                      "SELECT * FROM ml_features.customer_churn; DROP TABLE ml_features.customer_churn"):
            cfg = seed()
            cfg["dataset"]["query"] = query
            self.assertError(self.server.submit(cfg, self.acme), 400, "INVALID_CONFIG", "/dataset/query")
        # Nothing was lost: the seed still trains.
        ok = self.server.request("POST", "/api/v1/ml/train/validate", SEED_CONFIG, key=self.acme)
        self.assertEqual(ok.status, 200, ok)

    def test_a_query_that_never_ends_is_cut_at_the_deadline(self):
        cfg = seed(feature_columns=["x"], target_column="y", dataset={
            "source": "sql",
            "query": "WITH RECURSIVE r(x, y) AS (SELECT 1, 0 UNION ALL SELECT x + 1, (x + 1) % 2 FROM r) "
                     "SELECT x, y FROM r"})
        r = self.server.submit(cfg, self.globex)
        if r.status == 400:
            err = self.assertError(r, 400, "INVALID_CONFIG", "/dataset/query")
            self.assertIn("deadline", err["details"][0]["message"] + err["message"])
        else:
            self.assertEqual(r.status, 202, r)
            job = self.server.wait_status(r.json()["job_id"], self.globex, timeout=120)
            self.assertEqual(job["status"], "failed")
            self.assertEqual(job["error"]["code"], "TIMEOUT")

    def test_other_tenant_in_config_is_forbidden(self):
        cfg = seed()
        cfg["dataset"]["tenant_id"] = "globex"
        self.assertError(self.server.submit(cfg, self.acme), 403, "FORBIDDEN")
        self.assertError(self.server.request("GET", "/api/v1/ml/train?tenant_id=globex", key=self.acme),
                         403, "FORBIDDEN")

    def test_job_of_another_tenant_is_not_found(self):
        cfg = seed()
        cfg["dataset"]["tenant_id"] = "globex"
        cfg["hyperparameters"]["n_estimators"] = 3
        r = self.server.submit(cfg, self.globex)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        self.assertError(self.server.request("GET", f"/api/v1/ml/train/{job_id}", key=self.acme), 404, "NOT_FOUND")
        self.assertError(self.server.request("DELETE", f"/api/v1/ml/train/{job_id}", key=self.acme), 404,
                         "NOT_FOUND")
        self.assertError(self.server.request("GET", f"/api/v1/ml/train/{job_id}/events", key=self.acme), 404,
                         "NOT_FOUND")
        listed = self.server.request("GET", "/api/v1/ml/train?limit=500", key=self.acme).json()["jobs"]
        self.assertNotIn(job_id, [j["job_id"] for j in listed])
        done = self.server.wait_status(job_id, self.globex)
        self.assertEqual(done["status"], "completed", done)
        model = done["model_artifact_id"]
        self.assertError(self.server.request("GET", f"/api/v1/ml/models/{model}", key=self.acme), 404, "NOT_FOUND")
        self.assertError(self.server.request("GET", f"/api/v1/ml/models/{model}/download", key=self.acme), 404,
                         "NOT_FOUND")

    def test_cancelling_a_finished_job_conflicts(self):
        cfg = seed()
        cfg["hyperparameters"]["n_estimators"] = 3
        r = self.server.submit(cfg, self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        self.assertEqual(self.server.wait_status(job_id, self.acme)["status"], "completed")
        self.assertError(self.server.request("DELETE", f"/api/v1/ml/train/{job_id}", key=self.acme), 409, "CONFLICT")

    def test_unknown_job_is_not_found(self):
        self.assertError(self.server.request("GET", "/api/v1/ml/train/train-doesnotexist", key=self.acme), 404,
                         "NOT_FOUND")

    def test_oversize_body(self):
        cfg = seed(name="x" * (2 << 20))
        self.assertError(self.server.submit(cfg, self.acme), 413, "PAYLOAD_TOO_LARGE")
        # The server keeps serving.
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)

    def test_tenant_key_cannot_use_admin_endpoints(self):
        self.assertError(self.server.request("GET", "/api/v1/admin/tenants", key=self.acme), 403, "FORBIDDEN")


if __name__ == "__main__":
    unittest.main()
