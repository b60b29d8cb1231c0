"""Tenant walls: every route of the API, asked with the owner's key, another tenant's key,
no key, a wrong key and the admin key, answers exactly the status API.md gives, and no
answer to anyone but the owner (or the admin) carries the owner's data. Also: ids and
artifact names that try to leave their directory, and failed authentications throttled per
client address.

The route table is checked against the routes registered in src/api/*.cc: a route added
there without a row here fails the test."""

import copy
import glob
import http.client
import itertools
import json
import os
import re
import secrets
import socket
import uuid

from traind_harness import SEED_CONFIG, Response, ServerTestCase

SRC_API = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "api")
MLFLOW_PREFIXES = ("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/")
KINDS = ("own", "other", "none", "wrong", "admin")

# Error codes by status: traind's shape and MLflow's.
API_CODES = {400: "INVALID_CONFIG", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND",
             409: "CONFLICT", 429: "QUOTA_EXCEEDED"}
MLFLOW_CODES = {400: "INVALID_PARAMETER_VALUE", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                404: "RESOURCE_DOES_NOT_EXIST", 429: "REQUEST_LIMIT_EXCEEDED"}


def routes_in_source():
    """(method, pattern) of every route src/api/*.cc registers; MLflow's tracking routes
    (relative paths) under both of their prefixes."""
    routes = set()
    for path in glob.glob(os.path.join(SRC_API, "*.cc")):
        if path.endswith("_test.cc"):
            continue
        with open(path) as f:
            text = f.read()
        for m in re.finditer(r'\badd(?:_tracking|_exact)?\(\s*"([A-Z]+)",\s*"([^"]+)"', text):
            method, pattern = m.groups()
            if pattern.startswith("/"):
                routes.add((method, pattern))
            else:
                routes.update((method, prefix + pattern) for prefix in MLFLOW_PREFIXES)
    return routes


def wrong_key():
    """A well-formed key that no tenant has."""
    return f"tdk_{secrets.token_hex(8)}_{secrets.token_hex(24)}"


class Row:
    """One route and what each kind of caller gets from it.

    expect: statuses for (own, other, none, wrong, admin). path/body may be callables of the
    caller kind (a fresh name per call). stream: "finite" (read to its end), "endless"
    (status only) or "websocket" (the upgrade's status)."""

    def __init__(self, method, pattern, path, expect, body=None, raw=None, stream=None,
                 mlflow=False, public=False):
        self.method, self.pattern, self.path = method, pattern, path
        self.expect = dict(zip(KINDS, expect))
        self.body, self.raw, self.stream = body, raw, stream
        self.mlflow, self.public = mlflow, public

    def __repr__(self):
        return f"{self.method} {self.path if isinstance(self.path, str) else self.pattern}"


class TenantWallsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        tag = uuid.uuid4().hex[:10]
        cls.tag = tag
        cls.tenant_b = f"walls-b-{tag}"
        cls.key_b = s.create_tenant(cls.tenant_b)
        cls.addresses = (f"127.0.{a}.{b}"
                         for a, b in itertools.product(range(1, 200), range(1, 255)))

        def mlflow(path, body, key=cls.acme):
            r = s.request("POST", "/api/2.0/mlflow/" + path, body, key=key)
            assert r.status == 200, r
            return r.json()

        # The owner's experiment ids are well above any the other tenant makes here (ids
        # count per tenant), so that an id of the owner is not one of the other's too.
        for i in range(8):
            mlflow("experiments/create", {"name": f"walls-dummy-{i}-{tag}"})
        scratch = mlflow("experiments/create", {"name": f"walls-scratch-{tag}"})
        cls.scratch_exp = scratch["experiment_id"]
        scratch_run = mlflow("runs/create", {"experiment_id": cls.scratch_exp})
        cls.scratch_run = scratch_run["run"]["info"]["run_id"]

        config = copy.deepcopy(SEED_CONFIG)
        cls.job_name = f"walls-secret-{tag}"
        cls.exp_name = f"walls-exp-{tag}"
        cls.query_marker = f"walls-q-{tag}"
        config["name"] = cls.job_name
        config["experiment_name"] = cls.exp_name
        config["dataset"]["query"] = (f"SELECT * FROM ml_features.customer_churn "
                                      f"WHERE customer_id <> '{cls.query_marker}'")
        config["hyperparameters"]["n_estimators"] = 20
        cls.config = config
        r = s.submit(config, cls.acme)
        assert r.status == 202, r
        cls.job = r.json()["job_id"]
        done = s.wait_status(cls.job, cls.acme, timeout=300)
        assert done["status"] == "completed", done
        cls.model = done["model_artifact_id"]
        meta = s.request("GET", f"/api/v1/ml/models/{cls.model}", key=cls.acme)
        assert meta.status == 200, meta
        cls.sha256 = meta.json()["sha256"]
        run = s.request("GET", f"/api/2.0/mlflow/runs/get?run_id={cls.job}", key=cls.acme)
        assert run.status == 200, run
        cls.exp = run.json()["run"]["info"]["experiment_id"]
        assert int(cls.exp) > 8, cls.exp
        r = s.request("POST", f"/api/v1/admin/tenants/{cls.tenant_b}/keys", {}, key=cls.admin)
        assert r.status == 201, r
        cls.spare_key_id = r.json()["key_id"]
        # What the other tenant, or anyone without a key, must never read.
        cls.markers = {"job id": cls.job, "model id": cls.model, "experiment name": cls.exp_name,
                       "job name": cls.job_name, "dataset query": cls.query_marker,
                       "tenant": "acme-corp", "model sha256": cls.sha256}

    # -- requests ------------------------------------------------------------------------
    def key_for(self, kind):
        return {"own": self.acme, "other": self.key_b, "none": None, "wrong": wrong_key(),
                "admin": self.admin}[kind]

    def call(self, method, path, key=None, body=None, raw=None, source=None, stream=None,
             headers=None):
        """One request, from `source` (a loopback address) when given."""
        if stream == "websocket":
            return self.websocket(path, key, source)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60,
                                          source_address=(source, 0) if source else None)
        h = dict(headers or {})
        if key:
            h["Authorization"] = f"Bearer {key}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            h.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            headers = {k.lower(): v for k, v in r.getheaders()}
            if stream == "endless" and r.status == 200:
                return Response(r.status, headers, b"")  # a live stream: its status is the answer
            return Response(r.status, headers, r.read())
        finally:
            conn.close()

    def websocket(self, path, key, source):
        """The status of a WebSocket upgrade, and the body of a refusal."""
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=60,
                                     source_address=(source, 0) if source else None)
        try:
            auth = f"Authorization: Bearer {key}\r\n" if key else ""
            s.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       f"Sec-WebSocket-Version: 13\r\n{auth}\r\n").encode())
            f = s.makefile("rb")
            status = int(f.readline().split()[1])
            headers = {}
            while True:
                line = f.readline().decode().strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = b""
            if status != 101:
                body = f.read(int(headers.get("content-length", "0")))
            return Response(status, headers, body)
        finally:
            s.close()

    # -- the table -----------------------------------------------------------------------
    def rows(self):
        job, model, run, exp = self.job, self.model, self.job, self.exp
        sexp, srun, b = self.scratch_exp, self.scratch_run, self.tenant_b
        fresh = lambda prefix: lambda kind: f"{prefix}-{kind}-{uuid.uuid4().hex[:8]}"  # noqa: E731
        submit = copy.deepcopy(self.config)
        submit["name"] = "walls-extra"
        submit["hyperparameters"]["n_estimators"] = 2
        predict_body = {"rows": [{"tenure": 3, "monthly_charges": 50.0, "total_charges": 150.0}]}
        rows = [
            Row("GET", "/healthz", "/healthz", (200, 200, 200, 200, 200), public=True),
            Row("GET", "/readyz", "/readyz", (200, 200, 200, 200, 200), public=True),
            Row("GET", "/metrics", "/metrics", (200, 200, 200, 200, 200), public=True),
            # Jobs. The other tenant names the owner's tenant in dataset.tenant_id: 403.
            Row("POST", "/api/v1/ml/train", "/api/v1/ml/train", (202, 403, 401, 401, 202),
                body=submit),
            Row("GET", "/api/v1/ml/train", "/api/v1/ml/train", (200, 200, 401, 401, 200)),
            Row("GET", "/api/v1/ml/train", "/api/v1/ml/train?tenant_id=acme-corp",
                (200, 403, 401, 401, 200)),
            Row("POST", "/api/v1/ml/train/validate", "/api/v1/ml/train/validate",
                (200, 403, 401, 401, 200), body=self.config),
            Row("GET", "/api/v1/ml/train/{job_id}", f"/api/v1/ml/train/{job}",
                (200, 404, 401, 401, 200)),
            Row("DELETE", "/api/v1/ml/train/{job_id}", f"/api/v1/ml/train/{job}",
                (409, 404, 401, 401, 409)),
            Row("GET", "/api/v1/ml/train/{job_id}/events", f"/api/v1/ml/train/{job}/events",
                (200, 404, 401, 401, 200), stream="finite"),
            Row("GET", "/api/v1/ml/train/{job_id}/events", f"/api/v1/ml/train/{job}/events",
                (101, 404, 401, 401, 101), stream="websocket"),
            Row("GET", "/api/v1/ml/train/{job_id}/logs", f"/api/v1/ml/train/{job}/logs",
                (200, 404, 401, 401, 200)),
            # The tenant's live events and tables: the admin key must name the tenant.
            Row("GET", "/api/v1/ml/events", "/api/v1/ml/events", (200, 200, 401, 401, 400),
                stream="endless"),
            Row("GET", "/api/v1/ml/events", "/api/v1/ml/events?tenant_id=acme-corp",
                (200, 403, 401, 401, 200), stream="endless"),
            Row("GET", "/api/v1/ml/events", "/api/v1/ml/events", (101, 101, 401, 401, 400),
                stream="websocket"),
            Row("GET", "/api/v1/ml/datasets", "/api/v1/ml/datasets", (200, 200, 401, 401, 400)),
            Row("GET", "/api/v1/ml/datasets", "/api/v1/ml/datasets?tenant_id=acme-corp",
                (200, 403, 401, 401, 200)),
            Row("GET", "/api/v1/ml/schema", "/api/v1/ml/schema", (200, 200, 401, 401, 200)),
            Row("GET", "/api/v1/ml/algorithms", "/api/v1/ml/algorithms", (200, 200, 401, 401, 200)),
            # BOMs and models.
            Row("GET", "/api/v1/ml/train/{job_id}/bom", f"/api/v1/ml/train/{job}/bom",
                (200, 404, 401, 401, 200)),
            Row("GET", "/api/v1/ml/boms", "/api/v1/ml/boms", (200, 200, 401, 401, 200)),
            Row("GET", "/api/v1/ml/boms", "/api/v1/ml/boms?tenant_id=acme-corp",
                (200, 403, 401, 401, 200)),
            Row("GET", "/api/v1/ml/schema/bom", "/api/v1/ml/schema/bom", (200, 200, 401, 401, 200)),
            # A run's BOM goes through the MLflow store: one tenant's view, no admin.
            Row("GET", "/api/v1/ml/runs/{run_id}/bom", f"/api/v1/ml/runs/{run}/bom",
                (200, 404, 401, 401, 403)),
            Row("GET", "/api/v1/ml/models/{model_id}", f"/api/v1/ml/models/{model}",
                (200, 404, 401, 401, 200)),
            Row("GET", "/api/v1/ml/models/{model_id}/download",
                f"/api/v1/ml/models/{model}/download",
                (200, 404, 401, 401, 200)),
            Row("POST", "/api/v1/ml/models/{model_id}/predict",
                f"/api/v1/ml/models/{model}/predict",
                (200, 404, 401, 401, 200), body=predict_body),
            # Admin: tenant keys get 403 before the body is read.
            Row("POST", "/api/v1/admin/tenants", "/api/v1/admin/tenants",
                (403, 403, 401, 401, 201), body=lambda kind: {"tenant_id": fresh("walls-t")(kind)}),
            Row("GET", "/api/v1/admin/tenants", "/api/v1/admin/tenants", (403, 403, 401, 401, 200)),
            Row("GET", "/api/v1/admin/tenants/{tenant_id}", f"/api/v1/admin/tenants/{b}",
                (403, 403, 401, 401, 200)),
            Row("PATCH", "/api/v1/admin/tenants/{tenant_id}", f"/api/v1/admin/tenants/{b}",
                (403, 403, 401, 401, 200), body={"limits": {"max_queued_jobs": 100}}),
            Row("POST", "/api/v1/admin/tenants/{tenant_id}/keys", f"/api/v1/admin/tenants/{b}/keys",
                (403, 403, 401, 401, 201), body={}),
            Row("DELETE", "/api/v1/admin/tenants/{tenant_id}/keys/{key_id}",
                f"/api/v1/admin/tenants/{b}/keys/{self.spare_key_id}", (403, 403, 401, 401, 204)),
            Row("GET", "/api/v1/admin/tenants/{tenant_id}/datasources",
                f"/api/v1/admin/tenants/{b}/datasources", (403, 403, 401, 401, 200)),
            Row("PUT", "/api/v1/admin/tenants/{tenant_id}/datasources/{schema}",
                f"/api/v1/admin/tenants/{b}/datasources/walls_extra", (403, 403, 401, 401, 200),
                body={"type": "sqlite", "path": os.path.join(self.server.data_dir, "tenants",
                                                             "acme-corp", "ml_features.db")}),
            Row("DELETE", "/api/v1/admin/tenants/{tenant_id}/datasources/{schema}",
                f"/api/v1/admin/tenants/{b}/datasources/walls_extra", (403, 403, 401, 401, 204)),
        ]
        # MLflow's tracking API, under both prefixes: one tenant's view (another tenant's ids
        # do not exist), the admin key PERMISSION_DENIED. Mutations go to a scratch
        # experiment and run of the owner; a job's own run only takes tags.
        tracking = [
            ("POST", "experiments/create",
             lambda kind: {"name": fresh("walls-new")(kind)}, 200, 200),
            ("GET", f"experiments/get?experiment_id={exp}", None, 200, 404),
            ("GET", f"experiments/get-by-name?experiment_name={self.exp_name}", None, 200, 404),
            ("POST", "experiments/search", {"max_results": 1000}, 200, 200),
            ("GET", "experiments/search?max_results=1000", None, 200, 200),
            ("POST", "experiments/update",
             lambda kind: {"experiment_id": sexp, "new_name": fresh("walls-scratch")(kind)},
             200, 404),
            ("POST", "experiments/delete", {"experiment_id": sexp}, 200, 404),
            ("POST", "experiments/restore", {"experiment_id": sexp}, 200, 404),
            ("POST", "experiments/set-experiment-tag",
             {"experiment_id": sexp, "key": "walls", "value": "1"}, 200, 404),
            ("POST", "runs/create", {"experiment_id": sexp}, 200, 404),
            ("GET", f"runs/get?run_id={run}", None, 200, 404),
            ("POST", "runs/update", {"run_id": srun, "status": "RUNNING"}, 200, 404),
            ("POST", "runs/delete", {"run_id": srun}, 200, 404),
            ("POST", "runs/restore", {"run_id": srun}, 200, 404),
            ("POST", "runs/search", {"experiment_ids": [exp]}, 200, 200),
            ("POST", "runs/log-metric",
             {"run_id": srun, "key": "m", "value": 1.0, "timestamp": 1, "step": 0}, 200, 404),
            ("POST", "runs/log-parameter", {"run_id": srun, "key": "p", "value": "1"}, 200, 404),
            ("POST", "runs/log-batch",
             {"run_id": srun, "metrics": [{"key": "m", "value": 2.0, "timestamp": 2, "step": 1}]},
             200, 404),
            ("POST", "runs/set-tag", {"run_id": run, "key": "walls", "value": "1"}, 200, 404),
            ("POST", "runs/delete-tag", {"run_id": run, "key": "walls"}, 200, 404),
            ("GET", f"metrics/get-history?run_id={run}&metric_key=valid_logloss", None, 200, 404),
            ("GET", f"artifacts/list?run_id={run}", None, 200, 404),
        ]
        for prefix in MLFLOW_PREFIXES:
            for method, path, body, own, other in tracking:
                rows.append(Row(method, prefix + path.split("?")[0], prefix + path,
                                (own, other, 401, 401, 403), body=body, mlflow=True))
        artifacts = "/api/2.0/mlflow-artifacts/artifacts"
        rows += [
            Row("GET", artifacts, f"{artifacts}?path={exp}/{run}/artifacts",
                (200, 404, 401, 401, 403), mlflow=True),
            Row("GET", artifacts + "/{path...}",
                f"{artifacts}/{exp}/{run}/artifacts/training_bom.json",
                (200, 404, 401, 401, 403), mlflow=True),
            Row("PUT", artifacts + "/{path...}", f"{artifacts}/{sexp}/{srun}/artifacts/walls.txt",
                (200, 404, 401, 401, 403), raw=b"walls", mlflow=True),
            Row("GET", "/get-artifact", f"/get-artifact?path=training_bom.json&run_uuid={run}",
                (200, 404, 401, 401, 403), mlflow=True),
            Row("GET", "/ajax-api/2.0/mlflow/get-artifact",
                f"/ajax-api/2.0/mlflow/get-artifact?path=training_bom.json&run_uuid={run}",
                (200, 404, 401, 401, 403), mlflow=True),
        ]
        return rows

    def test_the_table_covers_every_route(self):
        registered = routes_in_source()
        self.assertGreater(len(registered), 60, "the route parser found too few routes")
        covered = {(row.method, row.pattern) for row in self.rows()}
        self.assertEqual(registered - covered, set(),
                         "routes without a row in test_tenant_walls.py's table")
        self.assertEqual(covered - registered, set(), "rows for routes that do not exist")

    def test_every_route_answers_each_caller_exactly_and_leaks_nothing(self):
        checked = 0
        for row in self.rows():
            for kind in KINDS:
                with self.subTest(route=repr(row), caller=kind):
                    path = row.path(kind) if callable(row.path) else row.path
                    body = row.body(kind) if callable(row.body) else row.body
                    source = next(self.addresses) if kind == "wrong" else None
                    r = self.call(row.method, path, key=self.key_for(kind), body=body, raw=row.raw,
                                  source=source, stream=row.stream)
                    checked += 1
                    self.assertEqual(r.status, row.expect[kind], r)
                    self.check_error_shape(row, r)
                    if kind == "own" and row.expect["own"] == 200 and not row.public:
                        self.assertTrue(r.body or row.stream == "endless", r)
                    if kind in ("other", "none", "wrong"):
                        sent = path + (json.dumps(body) if body is not None else "")
                        self.assert_no_owner_data(r, sent, row)
        self.assertEqual(checked, len(self.rows()) * len(KINDS))

    def check_error_shape(self, row, r):
        if r.status < 400:
            return
        body = r.json()
        if row.mlflow:
            self.assertEqual(body.get("error_code"), MLFLOW_CODES[r.status], r)
        else:
            self.assertEqual(body["error"]["code"], API_CODES[r.status], r)
        if r.status == 401:
            self.assertIn("Bearer", r.headers.get("www-authenticate", ""), r)

    def assert_no_owner_data(self, r, sent, row):
        seen = r.body.decode(errors="replace") + "\n" + "\n".join(r.headers.values())
        for what, marker in self.markers.items():
            if marker in sent:
                continue  # an id the request itself named may be echoed in the error
            self.assertNotIn(marker, seen, f"{row} answered the owner's {what}: {r}")

    # -- ids that try to leave their directory ------------------------------------------
    def test_ids_cannot_traverse_paths(self):
        ids = ["..%2F..%2Fetc%2Fpasswd", "../x", "..", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
               "%252e%252e%252f%252e%252e%252fetc%252fpasswd", "..%5c..%5cetc%5cpasswd",
               "....%2F%2F....%2F%2Fetc%2Fpasswd", f"..%2F{self.job}", f"{self.job}%2F..%2F..",
               f"{self.model}%2F..%2F..%2F..%2Ftraind.port", "%2Fetc%2Fpasswd"]
        templates = ["/api/v1/ml/models/{}", "/api/v1/ml/models/{}/download",
                     "/api/v1/ml/models/{}/predict", "/api/v1/ml/train/{}",
                     "/api/v1/ml/train/{}/bom", "/api/v1/ml/train/{}/logs",
                     "/api/v1/ml/train/{}/events", "/api/v1/ml/runs/{}/bom"]
        with open(os.path.join(self.server.data_dir, "traind.port")) as f:
            port_text = f.read().strip()
        for template, bad in itertools.product(templates, ids):
            path = template.format(bad)
            method = "POST" if path.endswith("/predict") else "GET"
            with self.subTest(path=path):
                body = {"rows": []} if method == "POST" else None
                r = self.call(method, path, key=self.acme, body=body)
                # An id with a '/' once decoded matches no route; any other is an unknown id.
                self.assertIn(r.status, (400, 404), r)
                if r.status == 404:
                    self.assertEqual(r.json()["error"]["code"], "NOT_FOUND", r)
                self.assertNotIn(b"root:", r.body)
                self.assertNotIn("x-model-sha256", r.headers)
                self.assertNotEqual(r.body.strip(), port_text.encode())
        # Known ids reached by a detour are not served either.
        for path in (f"/api/v1/ml/models/x/../{self.model}/download",
                     f"/api/v1/ml/models/x/..%2F{self.model}/download",
                     f"/api/v1/ml/train/x/../{self.job}/bom",
                     f"/api/v1/ml/models/./{self.model}"):
            with self.subTest(path=path):
                r = self.call("GET", path, key=self.acme)
                self.assertIn(r.status, (400, 404), r)
                self.assertNotIn("x-model-sha256", r.headers)
                self.assertNotIn(self.sha256.encode(), r.body)
        # The web page's static files stay in their directory.
        for path in ("/../../../../etc/passwd", "/..%2F..%2F..%2Fetc%2Fpasswd",
                     "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2F..%2Ftraind.port"):
            with self.subTest(path=path):
                r = self.call("GET", path)
                self.assertIn(r.status, (400, 404), r)
                self.assertNotIn(b"root:", r.body)

    # -- failed authentications, throttled per address -----------------------------------
    def test_failed_authentications_are_throttled_per_address(self):
        attacker, neighbour = "127.0.250.1", "127.0.250.2"
        # The first 20 failures of an address are plain 401s.
        for i in range(20):
            r = self.call("GET", "/api/v1/ml/train", key=wrong_key(), source=attacker)
            self.assertError(r, 401, "UNAUTHENTICATED")
        # Then 429 (one failure in 500 ms refills, so a few more may still be 401s).
        for attempt in range(200):
            r = self.call("GET", "/api/v1/ml/train", key=wrong_key(), source=attacker)
            if r.status == 429:
                break
            self.assertError(r, 401, "UNAUTHENTICATED")
        self.assertError(r, 429, "QUOTA_EXCEEDED")
        retry_after = int(r.headers["retry-after"])
        self.assertGreaterEqual(retry_after, 1)
        self.assertLessEqual(retry_after, 10)
        # Another address is not affected: its right key works, its wrong key is a 401.
        r = self.call("GET", "/api/v1/ml/train", key=self.acme, source=neighbour)
        self.assertEqual(r.status, 200, r)
        self.assertError(self.call("GET", "/api/v1/ml/train", key=wrong_key(), source=neighbour),
                         401, "UNAUTHENTICATED")
        # While throttled, the attacker's address gets 429 whatever key it sends, right ones
        # included: the answer must not tell a right key from a wrong one. A token comes
        # back every 500 ms, so a wrong key uses it up first.
        for attempt in range(50):
            wrong = self.call("GET", "/api/v1/ml/train", key=wrong_key(), source=attacker)
            right = self.call("GET", "/api/v1/ml/train", key=self.acme, source=attacker)
            mlflow = self.call("POST", "/api/2.0/mlflow/experiments/search", body={},
                               key=self.acme, source=attacker)
            self.assertIn(wrong.status, (401, 429), wrong)
            if right.status == 429 and mlflow.status == 429:
                break
        self.assertError(right, 429, "QUOTA_EXCEEDED")
        self.assertNotIn(b"jobs", right.body)
        self.assertGreaterEqual(int(right.headers["retry-after"]), 1)
        self.assertEqual(mlflow.json()["error_code"], "REQUEST_LIMIT_EXCEEDED", mlflow)
        self.assertGreaterEqual(int(mlflow.headers["retry-after"]), 1)
        # Routes without a key and unknown routes are not throttled.
        self.assertEqual(self.call("GET", "/healthz", source=attacker).status, 200)
        self.assertError(self.call("GET", "/api/v1/ml/nowhere", key=wrong_key(), source=attacker),
                         404, "NOT_FOUND")


if __name__ == "__main__":
    import unittest

    unittest.main()
