"""Hostile SQL through the API (issue 9, item 6): every query that could write, reach outside
the tenant's databases or exhaust the server is refused at validation with 400
INVALID_CONFIG naming the problem, or cut at the tenant's deadline or size limit as a failed
job with TIMEOUT or DATASET_TOO_LARGE; the server keeps serving.

Unit tests of the guard itself are in src/data/sqlite_source_test.cc; these go through
/validate, submit and the worker."""

import copy
import hashlib
import os
import sqlite3
import sys
import tempfile
import threading
import unittest

from traind_harness import SEED_CONFIG, ServerTestCase

FEATURES = "tenure, monthly_charges, total_charges"
TABLE = "ml_features.customer_churn"
# Endless row sources: a recursive counter, and one nested in another.
COUNTER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
NESTED = ("WITH RECURSIVE a(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a), "
          "c(x) AS (SELECT x FROM a UNION ALL SELECT x + 1 FROM c) ")
SEED_COLUMNS = "x AS tenure, x AS monthly_charges, x AS total_charges, x % 2 AS churned"


def config(query, tenant, n_estimators=20):
    cfg = copy.deepcopy(SEED_CONFIG)
    cfg["dataset"] = {"source": "sql", "query": query, "tenant_id": tenant}
    cfg["hyperparameters"] = {"n_estimators": n_estimators, "max_depth": 3}
    return cfg


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class HostileSqlTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Small limits so that deadlines and size limits are reached in a second or two.
        cls.tenant = "hostile-a"
        cls.key_a = cls.server.create_tenant(
            cls.tenant, {"max_duration_seconds": 2, "max_dataset_bytes": 2_000_000})
        cls.db_path = os.path.join(cls.server.data_dir, "tenants", "acme-corp", "ml_features.db")
        cls.outside = tempfile.mkdtemp(prefix="traind-hostile-")

    def validate(self, query, key=None, tenant=None):
        return self.server.request("POST", "/api/v1/ml/train/validate",
                                   config(query, tenant or self.tenant), key=key or self.key_a,
                                   timeout=120)

    def assertRefused(self, response, *words):
        """400 INVALID_CONFIG whose message or /dataset/query detail names the problem (a
        tuple in `words`: any one of its alternatives)."""
        err = self.assertError(response, 400, "INVALID_CONFIG")
        text = " ".join([err["message"]] + [d["message"] for d in err.get("details", [])]).lower()
        for word in words:
            alternatives = word if isinstance(word, tuple) else (word,)
            self.assertTrue(any(a.lower() in text for a in alternatives),
                            f"none of {alternatives} in {response}")
        return err

    def job_ids(self, key):
        r = self.server.request("GET", "/api/v1/ml/train?limit=100", key=key)
        self.assertEqual(r.status, 200, r)
        return {j["job_id"] for j in r.json()["jobs"]}

    def assertStillServing(self):
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)
        cfg = config(f"SELECT {FEATURES}, churned FROM {TABLE}", "acme-corp")
        r = self.server.submit(cfg, self.acme)
        self.assertEqual(r.status, 202, r)
        self.completed(r.json()["job_id"], timeout=120)

    def limits(self, **limits):
        r = self.server.request("PATCH", f"/api/v1/admin/tenants/{self.tenant}",
                                {"limits": limits}, key=self.admin)
        self.assertEqual(r.status, 200, r)

    def test_writes_attach_pragma_extensions_and_multiple_statements_are_refused(self):
        other_db = os.path.join(self.outside, "other.db")
        copy_db = os.path.join(self.outside, "copy.db")
        written = os.path.join(self.outside, "written.txt")
        cases = [
            (f"INSERT INTO {TABLE} (tenure) VALUES (1)", "INSERT is not allowed"),
            (f"UPDATE {TABLE} SET churned = 0", "UPDATE is not allowed"),
            (f"DELETE FROM {TABLE}", "DELETE is not allowed"),
            (f"REPLACE INTO {TABLE} (tenure) VALUES (1)", "INSERT is not allowed"),
            ("CREATE TABLE ml_features.stolen (x)", "CREATE is not allowed"),
            ("CREATE TEMP VIEW v AS SELECT 1", "CREATE is not allowed"),
            (f"DROP TABLE {TABLE}", "DROP is not allowed"),
            (f"WITH w AS (SELECT 1) DELETE FROM {TABLE}", "DELETE is not allowed"),
            (f"WITH w AS (SELECT 1) UPDATE {TABLE} SET churned = 1", "UPDATE is not allowed"),
            (f"WITH w AS (SELECT 1) INSERT INTO {TABLE} (tenure) SELECT * FROM w",
             "INSERT is not allowed"),
            (f"ATTACH DATABASE '{other_db}' AS other", "ATTACH is not allowed"),
            (f"ATTACH DATABASE '{self.db_path}' AS again", "ATTACH is not allowed"),
            ("DETACH DATABASE ml_features", "DETACH is not allowed"),
            ("PRAGMA query_only = 0", "PRAGMA is not allowed"),
            ("PRAGMA ml_features.journal_mode = DELETE", "PRAGMA is not allowed"),
            ("PRAGMA writable_schema = ON", "PRAGMA is not allowed"),
            ("SELECT file AS churned FROM pragma_database_list", "PRAGMA is not allowed"),
            ("SELECT name AS churned FROM pragma_function_list", "PRAGMA is not allowed"),
            ("SELECT * FROM ml_features.pragma_table_info('customer_churn')",
             "PRAGMA is not allowed"),
            (f"SELECT {FEATURES}, load_extension('{self.outside}/evil.so') AS churned FROM {TABLE}",
             "load_extension"),
            (f"SELECT {FEATURES}, readfile('/etc/passwd') AS churned FROM {TABLE}", "readfile"),
            (f"SELECT {FEATURES}, writefile('{written}', 'x') AS churned FROM {TABLE}",
             "writefile"),
            (f"SELECT {FEATURES}, edit('x') AS churned FROM {TABLE}", "edit"),
            ("VACUUM", "may only read data"),
            (f"VACUUM ml_features INTO '{copy_db}'", "may only read data"),
            ("BEGIN IMMEDIATE", "not allowed"),
            (f"SELECT {FEATURES}, churned FROM {TABLE}; DROP TABLE {TABLE}",
             "single SQL statement"),
            (f"SELECT {FEATURES}, churned FROM {TABLE}; SELECT 1", "single SQL statement"),
        ]
        before_hash = sha256_file(self.db_path)
        before_jobs = self.job_ids(self.key_a)
        for query, words in cases:
            with self.subTest(query=query):
                err = self.assertRefused(self.validate(query), words)
                self.assertIn("/dataset/query", [d["path"] for d in err["details"]], err)
                # Submitting the same configuration is refused the same way; no job is made.
                self.assertRefused(self.server.submit(config(query, self.tenant), self.key_a),
                                   words)
        self.assertEqual(self.job_ids(self.key_a), before_jobs)
        self.assertEqual(sha256_file(self.db_path), before_hash)
        for path in (other_db, copy_db, written):
            self.assertFalse(os.path.exists(path), path)
        self.assertStillServing()

    def test_resource_bombs_are_cut_at_validation(self):
        deep_parens = "(" * 3000 + "1" + ")" * 3000
        deep_calls = "abs(" * 3000 + "1" + ")" * 3000
        cross = (f"SELECT t0.tenure, t0.monthly_charges, t0.total_charges, t0.churned "
                 f"FROM {TABLE} t0")
        cross += "".join(f", {TABLE} t{i}" for i in range(1, 4))  # 7000^4 rows
        cases = [
            # Endless, nested and cross-joined row sources stop at the tenant's deadline.
            (f"{COUNTER} SELECT {SEED_COLUMNS} FROM c", ("deadline",)),
            (f"{NESTED} SELECT {SEED_COLUMNS} FROM c", ("deadline",)),
            (cross, ("deadline",)),
            (f"SELECT {FEATURES}, (SELECT count(*) FROM {TABLE} a, {TABLE} b, {TABLE} c "
             f"WHERE a.churned = t.churned) AS churned FROM {TABLE} t", ("deadline",)),
            # Values too large to build stop before they are built.
            (f"SELECT {FEATURES}, churned + length(randomblob(2000000000)) AS churned "
             f"FROM {TABLE}", ("larger than the limit",)),
            (f"SELECT {FEATURES}, churned + length(randomblob(900000000)) AS churned "
             f"FROM {TABLE}", ("larger than the limit",)),
            (f"SELECT {FEATURES}, churned + length(printf('%.*c', 2147483647, 'x')) AS churned "
             f"FROM {TABLE}", ("larger than the limit",)),
            (f"SELECT {FEATURES}, churned + length(zeroblob(2000000000)) AS churned "
             f"FROM {TABLE}", ("larger than the limit",)),
            (f"SELECT {FEATURES}, churned + length(replace(hex(zeroblob(400000000)), '00', "
             f"'ab')) AS churned FROM {TABLE}", ("larger than the limit",)),
            # Growing in small steps: whichever limit comes first cuts it (a slower build, such
            # as the sanitized one, meets the deadline before the size).
            (f"SELECT {FEATURES}, churned + (SELECT length(group_concat(printf('%.*c', 1000000, "
             f"'x'))) FROM {TABLE}) AS churned FROM {TABLE}",
             (("larger than the limit", "deadline"),)),
            # Nesting deep enough to exhaust a recursive parser is refused while parsing.
            (f"SELECT {FEATURES}, churned + {deep_parens} AS churned FROM {TABLE}", ()),
            (f"SELECT {FEATURES}, churned + {deep_calls} AS churned FROM {TABLE}", ()),
        ]
        for query, words in cases:
            with self.subTest(query=query[:120]):
                self.assertRefused(self.validate(query), *words)
        self.assertRefused(self.server.submit(config(cases[0][0], self.tenant), self.key_a),
                           "deadline")
        # None of them made the server hold their values: its peak memory stays modest.
        peak = self.peak_rss_bytes()
        print(f"\nserver peak RSS after the bombs: {peak >> 20} MiB", file=sys.stderr)
        if os.environ.get("TRAIND_SANITIZED") != "1":  # ASan's shadow and quarantine inflate it
            self.assertLess(peak, 512 << 20)
        self.assertStillServing()

    def peak_rss_bytes(self):
        with open(f"/proc/{self.server.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        self.fail("no VmHWM in /proc/<pid>/status")

    def test_validations_at_their_deadline_do_not_hold_up_other_requests(self):
        bombs = [f"{COUNTER} SELECT {SEED_COLUMNS} FROM c",
                 f"{NESTED} SELECT {SEED_COLUMNS} FROM c",
                 f"SELECT {FEATURES}, churned + length(printf('%.*c', 2147483647, 'x')) "
                 f"AS churned FROM {TABLE}"]
        results = []
        threads = [threading.Thread(target=lambda q=q: results.append(self.validate(q)))
                   for q in bombs]
        for t in threads:
            t.start()
        answered = 0
        for _ in range(10000):  # bounded; ends when the validations do
            if not any(t.is_alive() for t in threads):
                break
            self.assertEqual(self.server.request("GET", "/healthz", timeout=30).status, 200)
            answered += 1
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(len(results), len(bombs))
        for r in results:
            self.assertRefused(r)
        self.assertGreater(answered, 0)
        self.assertStillServing()

    def test_running_jobs_are_cut_at_the_tenants_deadline_and_size_limit(self):
        # The target, the only column validation reads here, is cheap; a feature column is
        # not, so these pass validation and are stopped while the worker loads the data.
        slow = (f"SELECT tenure, monthly_charges, churned, (WITH RECURSIVE c(x) AS (SELECT 1 "
                f"UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c) AS total_charges "
                f"FROM {TABLE}")
        huge_value = (f"SELECT tenure, monthly_charges, churned, randomblob(2000000000) AS "
                      f"total_charges FROM {TABLE}")
        wide = (f"SELECT tenure, monthly_charges, churned, printf('%.*c', 100000, 'x') AS "
                f"total_charges FROM {TABLE}")
        expected = [(slow, "TIMEOUT"), (huge_value, "DATASET_TOO_LARGE"),
                    (wide, "DATASET_TOO_LARGE")]
        for query, code in expected:
            with self.subTest(query=query):
                cfg = config(query, self.tenant)
                self.assertEqual(self.validate(query).status, 200)
                r = self.server.submit(cfg, self.key_a)
                self.assertEqual(r.status, 202, r)
                job = self.server.wait_status(r.json()["job_id"], self.key_a, timeout=120)
                self.assertEqual(job["status"], "failed", job)
                self.assertEqual(job["error"]["code"], code, job)
                self.assertTrue(job["error"]["message"], job)

        # The plain seed query, past a dataset limit made smaller than it.
        self.limits(max_dataset_bytes=20000)
        try:
            r = self.server.submit(config(f"SELECT {FEATURES}, churned FROM {TABLE}", self.tenant),
                                   self.key_a)
            self.assertEqual(r.status, 202, r)
            job = self.server.wait_status(r.json()["job_id"], self.key_a, timeout=120)
            self.assertEqual(job["status"], "failed", job)
            self.assertEqual(job["error"]["code"], "DATASET_TOO_LARGE", job)
            self.assertIn("20000 bytes", job["error"]["message"])
        finally:
            self.limits(max_dataset_bytes=2_000_000, max_duration_seconds=60)
        try:
            # The same tenant trains normally once its limits allow it.
            r = self.server.submit(config(f"SELECT {FEATURES}, churned FROM {TABLE}", self.tenant),
                                   self.key_a)
            self.assertEqual(r.status, 202, r)
            self.completed(r.json()["job_id"], key=self.key_a, timeout=120)
        finally:
            self.limits(max_duration_seconds=2)
        self.assertStillServing()

    def test_a_tenant_cannot_read_another_tenants_schema(self):
        # Tenant B has its own database, under a schema name only it has.
        b_path = os.path.join(self.outside, "vault.db")
        db = sqlite3.connect(b_path)
        db.execute("CREATE TABLE secrets (tenure INTEGER, monthly_charges REAL, "
                   "total_charges REAL, churned INTEGER, marker TEXT)")
        db.executemany("INSERT INTO secrets VALUES (?, ?, ?, ?, 'b-secret')",
                       [(i, i * 1.5, i * 20.0, i % 2) for i in range(300)])
        db.commit()
        db.close()
        key_b = self.server.create_tenant("hostile-b", datasources=False)
        r = self.server.request("PUT", "/api/v1/admin/tenants/hostile-b/datasources/b_vault",
                                {"type": "sqlite", "path": b_path}, key=self.admin)
        self.assertIn(r.status, (200, 201, 204), r)
        b_query = f"SELECT {FEATURES}, churned FROM b_vault.secrets"
        a_query = f"SELECT {FEATURES}, churned FROM {TABLE}"

        # Each reads its own.
        self.assertEqual(self.validate(b_query, key=key_b, tenant="hostile-b").status, 200)
        self.assertEqual(self.validate(a_query).status, 200)
        # Neither sees the other's schema, by any route SQL offers.
        self.assertRefused(self.validate(b_query), "no such table: b_vault.secrets")
        self.assertRefused(self.validate("SELECT name AS churned FROM b_vault.sqlite_master"),
                           "no such table")
        self.assertRefused(self.validate(f"ATTACH DATABASE '{b_path}' AS b_vault"),
                           "ATTACH is not allowed")
        self.assertRefused(self.validate(a_query, key=key_b, tenant="hostile-b"),
                           "no such table: ml_features.customer_churn")
        self.assertRefused(
            self.validate(f"ATTACH DATABASE '{self.db_path}' AS ml_features", key=key_b,
                          tenant="hostile-b"), "ATTACH is not allowed")
        # Naming the other tenant in the configuration is refused outright.
        r = self.validate(b_query, tenant="hostile-b")
        self.assertEqual(r.status, 403, r)
        r = self.server.submit(config(b_query, "hostile-b"), self.key_a)
        self.assertEqual(r.status, 403, r)
        self.assertNotIn(b"b-secret", r.body)
        # The table listing shows each tenant only its own schemas.
        listed_a = self.server.request("GET", "/api/v1/ml/datasets", key=self.key_a)
        self.assertEqual(listed_a.status, 200, listed_a)
        self.assertNotIn("b_vault", {t["schema"] for t in listed_a.json()["tables"]})
        listed_b = self.server.request("GET", "/api/v1/ml/datasets", key=key_b)
        self.assertEqual({t["schema"] for t in listed_b.json()["tables"]}, {"b_vault"})
        # B's job trains on B's data only.
        r = self.server.submit(config(b_query, "hostile-b"), key_b)
        self.assertEqual(r.status, 202, r)
        done = self.completed(r.json()["job_id"], key=key_b, timeout=120)
        self.assertEqual(done["data_summary"]["total_samples"], 300)
        self.assertEqual(self.server.request("GET", f"/api/v1/ml/train/{done['job_id']}",
                                             key=self.key_a).status, 404)


if __name__ == "__main__":
    unittest.main()
