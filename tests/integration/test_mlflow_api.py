"""The MLflow Tracking REST API that traind serves, driven as MLflow 2.x's Python client drives
it (mlflow_client.py reproduces RestStore's and HttpArtifactRepository's requests): experiments,
runs, search_runs' filter grammar, logging, metric history, proxied artifacts, MLflow's error
shapes, Bearer keys, tenant walls, and a traind job read back as a finished run."""

import copy
import json
import os
import signal
import uuid

from mlflow_client import (ACTIVE_ONLY, ALL, API, ARTIFACTS_API, DELETED_ONLY, MlflowClient,
                           MlflowError, encode_query)
from traind_harness import SEED_CONFIG, ServerTestCase, poll, worker_pids


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def as_dict(entries):
    """MLflow's [{key, value}, ...] lists as a dict."""
    return {e["key"]: e["value"] for e in entries or []}


def metric_dict(run):
    return {m["key"]: m for m in run.get("data", {}).get("metrics", [])}


def params_of(run):
    return as_dict(run.get("data", {}).get("params"))


def tags_of(run):
    return as_dict(run.get("data", {}).get("tags"))


class MlflowApiTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = MlflowClient(cls.server.port, cls.acme)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        super().tearDownClass()

    def other_tenant_client(self):
        """A client for a brand-new tenant: it owns nothing but its own Default experiment."""
        tenant = unique("wall")
        key = self.server.create_tenant(tenant, datasources=False)
        c = MlflowClient(self.server.port, key)
        self.addCleanup(c.close)
        return tenant, c

    def assertMlflowError(self, status, code, fn, *args, **kwargs):
        """fn(*args) must fail with MLflow's error body {"error_code", "message"}."""
        with self.assertRaises(MlflowError) as cm:
            fn(*args, **kwargs)
        e = cm.exception
        self.assertEqual(e.status, status, e)
        self.assertIsInstance(e.json, dict, e)
        self.assertEqual(e.error_code, code, e)
        self.assertIsInstance(e.message, str, e)
        self.assertTrue(e.message, e)
        return e

    def assertErrorResponse(self, r, status, code):
        """The same for a raw harness Response."""
        self.assertEqual(r.status, status, r)
        body = r.json()
        self.assertEqual(body.get("error_code"), code, r)
        self.assertTrue(body.get("message"), r)
        return body

    def names(self, runs):
        return [r["info"]["run_name"] for r in runs]


class ExperimentTest(MlflowApiTestCase):
    def test_default_experiment_is_zero(self):
        exp = self.client.get_experiment("0")
        self.assertEqual(exp["experiment_id"], "0")
        self.assertEqual(exp["name"], "Default")
        self.assertEqual(exp["lifecycle_stage"], "active")
        self.assertTrue(exp["artifact_location"])
        by_name = self.client.get_experiment_by_name("Default")
        self.assertEqual(by_name["experiment_id"], "0")
        found, _ = self.client.search_experiments(filter_string="name = 'Default'")
        self.assertEqual([e["experiment_id"] for e in found], ["0"])

    def test_experiment_lifecycle(self):
        # A name with a space, '+' and '&' checks the GET query encoding (quote_plus).
        name = unique("exp a+b&c")
        exp_id = self.client.create_experiment(name, tags={"team": "ml", "stage": "dev"})
        self.assertIsInstance(exp_id, str)
        self.assertTrue(exp_id.isdigit(), exp_id)
        self.assertNotEqual(exp_id, "0")

        exp = self.client.get_experiment(exp_id)
        self.assertEqual(exp["experiment_id"], exp_id)
        self.assertEqual(exp["name"], name)
        self.assertEqual(exp["lifecycle_stage"], "active")
        self.assertTrue(exp["artifact_location"])
        self.assertIsInstance(exp["creation_time"], int)
        self.assertIsInstance(exp["last_update_time"], int)
        self.assertGreater(exp["creation_time"], 0)
        self.assertEqual(as_dict(exp["tags"]), {"team": "ml", "stage": "dev"})
        self.assertTrue(self.client.last_headers.get("content-type", "").startswith("application/json"))

        self.assertEqual(self.client.get_experiment_by_name(name)["experiment_id"], exp_id)
        self.assertIsNone(self.client.get_experiment_by_name(name + " nope"))

        e = self.assertMlflowError(400, "RESOURCE_ALREADY_EXISTS", self.client.create_experiment, name)
        self.assertIn(name, e.message)

        self.client.set_experiment_tag(exp_id, "stage", "prod")
        self.client.set_experiment_tag(exp_id, "owner", "ana")
        self.assertEqual(as_dict(self.client.get_experiment(exp_id)["tags"]),
                         {"team": "ml", "stage": "prod", "owner": "ana"})

        new_name = unique("renamed")
        self.client.rename_experiment(exp_id, new_name)
        self.assertEqual(self.client.get_experiment(exp_id)["name"], new_name)
        self.assertIsNone(self.client.get_experiment_by_name(name))
        self.assertEqual(self.client.get_experiment_by_name(new_name)["experiment_id"], exp_id)

        self.client.delete_experiment(exp_id)
        deleted = self.client.get_experiment(exp_id)
        self.assertEqual(deleted["lifecycle_stage"], "deleted")
        flt = f"name = '{new_name}'"
        self.assertEqual(self.client.search_experiments(filter_string=flt)[0], [])
        only_deleted, _ = self.client.search_experiments(view_type=DELETED_ONLY, filter_string=flt)
        self.assertEqual([x["experiment_id"] for x in only_deleted], [exp_id])
        every, _ = self.client.search_experiments(view_type=ALL, filter_string=flt)
        self.assertEqual([x["experiment_id"] for x in every], [exp_id])
        # A deleted experiment takes no new runs and still holds its name.
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.create_run, exp_id)
        self.assertMlflowError(400, "RESOURCE_ALREADY_EXISTS", self.client.create_experiment, new_name)

        self.client.restore_experiment(exp_id)
        self.assertEqual(self.client.get_experiment(exp_id)["lifecycle_stage"], "active")
        active, _ = self.client.search_experiments(filter_string=flt)
        self.assertEqual([x["experiment_id"] for x in active], [exp_id])
        run = self.client.create_run(exp_id)
        self.assertEqual(run["info"]["experiment_id"], exp_id)

    def test_search_experiments_filter_order_and_pages(self):
        prefix = unique("pg")
        ids = {}
        for i in range(7):
            name = f"{prefix}-{i}"
            ids[name] = self.client.create_experiment(name, tags={"parity": "even" if i % 2 == 0 else "odd"})
        all_names = sorted(ids)

        flt = f"name LIKE '{prefix}-%'"
        seen, pages, token = [], [], None
        while True:
            page, token = self.client.search_experiments(max_results=3, filter_string=flt,
                                                         order_by=["name ASC"], page_token=token)
            pages.append(len(page))
            seen += [e["name"] for e in page]
            if not token:
                break
            self.assertIsInstance(token, str)
            self.assertLess(len(pages), 10, "pagination does not end")
        self.assertEqual(seen, all_names)
        self.assertEqual(pages[:2], [3, 3])
        self.assertEqual(sum(pages), 7)

        desc, _ = self.client.search_experiments(filter_string=flt, order_by=["name DESC"])
        self.assertEqual([e["name"] for e in desc], all_names[::-1])

        even, _ = self.client.search_experiments(filter_string=f"{flt} AND tags.parity = 'even'",
                                                 order_by=["name ASC"])
        self.assertEqual([e["name"] for e in even], [f"{prefix}-{i}" for i in (0, 2, 4, 6)])

        upper, _ = self.client.search_experiments(filter_string=f"name ILIKE '{prefix.upper()}-%'")
        self.assertEqual(sorted(e["name"] for e in upper), all_names)
        self.assertEqual(self.client.search_experiments(filter_string=f"name LIKE '{prefix.upper()}-%'")[0], [])

        exact, _ = self.client.search_experiments(filter_string=f"attribute.name = '{prefix}-3'")
        self.assertEqual([e["experiment_id"] for e in exact], [ids[f"{prefix}-3"]])
        others, _ = self.client.search_experiments(filter_string=f"{flt} AND name != '{prefix}-3'")
        self.assertEqual(len(others), 6)

        # The GET form of the same endpoint (what the UI sends) answers the same.
        q = encode_query({"max_results": 100, "filter": flt, "order_by": ["name ASC"]})
        status, _, body = self.client.raw("GET", f"{API}/experiments/search?{q}")
        self.assertEqual(status, 200, body)
        self.assertEqual([e["name"] for e in json.loads(body)["experiments"]], all_names)

        # A deleted one leaves the active view and appears in the deleted one.
        self.client.delete_experiment(ids[f"{prefix}-5"])
        active, _ = self.client.search_experiments(filter_string=flt)
        self.assertNotIn(f"{prefix}-5", [e["name"] for e in active])
        gone, _ = self.client.search_experiments(view_type=DELETED_ONLY, filter_string=flt)
        self.assertEqual([e["name"] for e in gone], [f"{prefix}-5"])
        both, _ = self.client.search_experiments(view_type=ALL, filter_string=flt)
        self.assertEqual(len(both), 7)

    def test_experiment_errors(self):
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.create_experiment, "")
        missing = "987654321"
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.get_experiment, missing)
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.call, "GET",
                               "/experiments/get-by-name", {"experiment_name": unique("no-such")})
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.delete_experiment, missing)
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.restore_experiment, missing)
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.rename_experiment, missing,
                               unique("x"))
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.set_experiment_tag, missing,
                               "k", "v")
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.create_run, missing)
        # A required field missing: MLflow's schema check answers INVALID_PARAMETER_VALUE.
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.call, "GET", "/experiments/get", {})
        # A body that is not JSON at all.
        status, _, body = self.client.raw("POST", f"{API}/experiments/create", b'{"name": ',
                                          {"Content-Type": "application/json"})
        self.assertEqual(status, 400, body)
        self.assertIn(json.loads(body)["error_code"], ("INVALID_PARAMETER_VALUE", "BAD_REQUEST", "MALFORMED_REQUEST"))


class RunTest(MlflowApiTestCase):
    def new_experiment(self):
        return self.client.create_experiment(unique("runs"))

    def test_run_lifecycle(self):
        exp_id = self.new_experiment()
        start = 1_700_000_000_000
        run = self.client.create_run(exp_id, start_time=start, run_name="first-run", tags={"purpose": "it"})
        info = run["info"]
        run_id = info["run_id"]
        self.assertTrue(run_id)
        self.assertEqual(info["run_uuid"], run_id)
        self.assertEqual(info["experiment_id"], exp_id)
        self.assertEqual(info["run_name"], "first-run")
        self.assertEqual(info["status"], "RUNNING")
        self.assertEqual(info["start_time"], start)
        self.assertNotIn("end_time", info)
        self.assertEqual(info["lifecycle_stage"], "active")
        self.assertEqual(info["user_id"], "mlflow-it")
        self.assertEqual(info["artifact_uri"], f"mlflow-artifacts:/{exp_id}/{run_id}/artifacts")
        tags = tags_of(run)
        self.assertEqual(tags["mlflow.runName"], "first-run")
        self.assertEqual(tags["purpose"], "it")
        self.assertEqual(tags["mlflow.user"], "mlflow-it")

        got = self.client.get_run(run_id)
        self.assertEqual(got["info"], info)
        self.assertEqual(tags_of(got), tags)

        end = start + 5000
        updated = self.client.update_run(run_id, status="FINISHED", end_time=end)
        self.assertEqual(updated["run_id"], run_id)
        self.assertEqual(updated["status"], "FINISHED")
        self.assertEqual(updated["end_time"], end)
        renamed = self.client.update_run(run_id, run_name="second-name")
        self.assertEqual(renamed["run_name"], "second-name")
        self.assertEqual(renamed["status"], "FINISHED")
        got = self.client.get_run(run_id)
        self.assertEqual(got["info"]["run_name"], "second-name")
        self.assertEqual(tags_of(got)["mlflow.runName"], "second-name")
        self.assertEqual(got["info"]["end_time"], end)

        self.client.delete_run(run_id)
        self.assertEqual(self.client.get_run(run_id)["info"]["lifecycle_stage"], "deleted")
        self.assertEqual(self.client.search_runs([exp_id])[0], [])
        deleted, _ = self.client.search_runs([exp_id], run_view_type=DELETED_ONLY)
        self.assertEqual([r["info"]["run_id"] for r in deleted], [run_id])
        every, _ = self.client.search_runs([exp_id], run_view_type=ALL)
        self.assertEqual([r["info"]["run_id"] for r in every], [run_id])
        # A deleted run takes no more data.
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.log_param, run_id, "p", "1")
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.log_metric, run_id, "m", 1.0)

        self.client.restore_run(run_id)
        self.assertEqual(self.client.get_run(run_id)["info"]["lifecycle_stage"], "active")
        active, _ = self.client.search_runs([exp_id])
        self.assertEqual([r["info"]["run_id"] for r in active], [run_id])

    def test_run_name_from_tag_or_generated(self):
        exp_id = self.new_experiment()
        from_tag = self.client.create_run(exp_id, tags={"mlflow.runName": "named-by-tag"})
        self.assertEqual(from_tag["info"]["run_name"], "named-by-tag")
        generated = self.client.create_run(exp_id)
        self.assertTrue(generated["info"]["run_name"])
        self.assertEqual(tags_of(generated)["mlflow.runName"], generated["info"]["run_name"])

    def test_metrics_history_params_and_tags(self):
        exp_id = self.new_experiment()
        run_id = self.client.create_run(exp_id)["info"]["run_id"]
        t0 = 1_700_000_100_000
        values = [0.9, 0.7, 0.55, 0.5, 0.42]
        for step, v in enumerate(values):
            self.assertEqual(self.client.log_metric(run_id, "loss", v, timestamp=t0 + 10 * step, step=step), {})
        self.client.log_metric(run_id, "acc", 0.75, timestamp=t0)

        history = self.client.get_metric_history(run_id, "loss")
        self.assertEqual(len(history), 5)
        history.sort(key=lambda m: (m["step"], m["timestamp"]))
        for step, (m, v) in enumerate(zip(history, values)):
            self.assertEqual(m["key"], "loss")
            self.assertEqual(m["step"], step)
            self.assertEqual(m["timestamp"], t0 + 10 * step)
            self.assertIsInstance(m["timestamp"], int)
            self.assertAlmostEqual(m["value"], v, places=12)
        self.assertEqual(self.client.get_metric_history(run_id, "never-logged"), [])

        # run.data.metrics holds the latest value of each key.
        metrics = metric_dict(self.client.get_run(run_id))
        self.assertEqual(set(metrics), {"loss", "acc"})
        self.assertAlmostEqual(metrics["loss"]["value"], 0.42, places=12)
        self.assertEqual(metrics["loss"]["step"], 4)
        self.assertEqual(metrics["loss"]["timestamp"], t0 + 40)
        self.assertAlmostEqual(metrics["acc"]["value"], 0.75, places=12)
        self.assertEqual(metrics["acc"]["step"], 0)

        self.assertEqual(self.client.log_param(run_id, "lr", "0.01"), {})
        self.client.log_param(run_id, "lr", "0.01")  # the same value again is fine
        e = self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.log_param, run_id, "lr", "0.02")
        self.assertIn("lr", e.message)
        self.client.log_param(run_id, "layers", 3)
        self.assertEqual(params_of(self.client.get_run(run_id)), {"lr": "0.01", "layers": "3"})

        self.assertEqual(self.client.set_tag(run_id, "note", "first"), {})
        self.client.set_tag(run_id, "note", "second")
        self.client.set_tag(run_id, "gone soon", "x")
        tags = tags_of(self.client.get_run(run_id))
        self.assertEqual(tags["note"], "second")
        self.assertEqual(tags["gone soon"], "x")
        self.assertEqual(self.client.delete_tag(run_id, "gone soon"), {})
        tags = tags_of(self.client.get_run(run_id))
        self.assertNotIn("gone soon", tags)
        self.assertEqual(tags["note"], "second")
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.delete_tag, run_id, "gone soon")

    def test_non_finite_metric_values(self):
        # mlflow.log_metric("x", float("nan")) is common; protobuf's JSON writes NaN and the
        # infinities as strings, both in the request and in the answers.
        exp_id = self.new_experiment()
        run_id = self.client.create_run(exp_id)["info"]["run_id"]
        t = 1_700_000_300_000
        self.client.log_metric(run_id, "nan", float("nan"), timestamp=t)
        self.client.log_metric(run_id, "inf", float("inf"), timestamp=t)
        self.client.log_batch(run_id, metrics=[("ninf", float("-inf"), t, 0), ("fine", 1.5, t, 0)])
        metrics = metric_dict(self.client.get_run(run_id))
        self.assertEqual(metrics["nan"]["value"], "NaN")
        self.assertEqual(metrics["inf"]["value"], "Infinity")
        self.assertEqual(metrics["ninf"]["value"], "-Infinity")
        self.assertEqual(metrics["fine"]["value"], 1.5)
        self.assertEqual([m["value"] for m in self.client.get_metric_history(run_id, "nan")], ["NaN"])
        runs, _ = self.client.search_runs([exp_id], filter_string="metrics.fine > 1")
        self.assertEqual(metric_dict(runs[0])["inf"]["value"], "Infinity")

    def test_log_batch(self):
        exp_id = self.new_experiment()
        run_id = self.client.create_run(exp_id)["info"]["run_id"]
        t = 1_700_000_200_000
        r = self.client.log_batch(
            run_id,
            metrics=[("rmse", 3.5, t, 0), ("rmse", 2.5, t + 1, 1), ("rmse", 2.0, t + 2, 2), ("r2", 0.8, t, 0)],
            params=[("alpha", "0.5"), ("solver", "lbfgs")],
            tags=[("phase", "batch"), ("owner", "it")])
        self.assertEqual(r, {})
        run = self.client.get_run(run_id)
        self.assertEqual(params_of(run), {"alpha": "0.5", "solver": "lbfgs"})
        self.assertEqual(tags_of(run)["phase"], "batch")
        self.assertEqual(tags_of(run)["owner"], "it")
        self.assertAlmostEqual(metric_dict(run)["rmse"]["value"], 2.0)
        self.assertEqual(metric_dict(run)["rmse"]["step"], 2)
        hist = sorted(self.client.get_metric_history(run_id, "rmse"), key=lambda m: m["step"])
        self.assertEqual([m["step"] for m in hist], [0, 1, 2])
        self.assertEqual([m["value"] for m in hist], [3.5, 2.5, 2.0])

        # Re-logging a param with the same value is allowed; with another value it is refused.
        self.client.log_batch(run_id, params=[("alpha", "0.5")])
        e = self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.log_batch, run_id,
                                   params=[("alpha", "0.9")])
        self.assertIn("alpha", e.message)
        self.assertEqual(params_of(self.client.get_run(run_id))["alpha"], "0.5")
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.log_batch, uuid.uuid4().hex,
                               params=[("a", "b")])

    def test_logging_bad_input(self):
        exp_id = self.new_experiment()
        run_id = self.client.create_run(exp_id)["info"]["run_id"]
        # A metric value that is not a number.
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.call, "POST", "/runs/log-metric",
                               {"run_id": run_id, "run_uuid": run_id, "key": "m", "value": "high",
                                "timestamp": 1, "step": 0})
        # timestamp is required for log-metric.
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.call, "POST", "/runs/log-metric",
                               {"run_id": run_id, "key": "m", "value": 1.0})
        # A key is required.
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.call, "POST", "/runs/log-parameter",
                               {"run_id": run_id, "value": "v"})
        # Names MLflow refuses (characters outside its set; a path that is not normalized).
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.log_param, run_id, "bad!key", "v")
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.log_metric, run_id, "../escape", 1.0)
        # log-batch limits: at most 100 params.
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.log_batch, run_id,
                               params=[(f"p{i}", "v") for i in range(101)])
        # Nothing of the refused requests was kept.
        run = self.client.get_run(run_id)
        self.assertEqual(params_of(run), {})
        self.assertEqual(metric_dict(run), {})

    def test_unknown_run_and_missing_fields(self):
        ghost = uuid.uuid4().hex
        e = self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.get_run, ghost)
        self.assertIn(ghost, e.message)
        for fn, args in ((self.client.log_metric, (ghost, "m", 1.0)),
                         (self.client.log_param, (ghost, "p", "v")),
                         (self.client.set_tag, (ghost, "t", "v")),
                         (self.client.delete_tag, (ghost, "t")),
                         (self.client.update_run, (ghost, "FINISHED", 1)),
                         (self.client.delete_run, (ghost,)),
                         (self.client.restore_run, (ghost,)),
                         (self.client.get_metric_history, (ghost, "m")),
                         (self.client.list_artifacts_rest, (ghost,))):
            with self.subTest(fn=fn.__name__):
                self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", fn, *args)
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.call, "GET", "/runs/get", {})


class SearchRunsTest(MlflowApiTestCase):
    """One experiment of seven runs with known params, metrics, tags and attributes."""

    SPECS = [
        # name, params.model, metrics.acc, metrics.`val loss`, tags.group, tags.`team name`
        ("r0", "alpha", 0.0, 0.9, "even", "core ml"),
        ("r1", "Alpha", 0.1, 0.8, "odd", "core ml"),
        ("r2", "beta", 0.2, 0.7, "even", "infra"),
        ("r3", "gamma", 0.3, 0.6, "odd", "infra"),
        ("r4", "alphabet", 0.4, 0.5, "even", "core ml"),
        ("r5", "ALPHA", 0.5, 0.4, "odd", "research"),
        ("r6", "delta", None, 0.3, "even", "research"),
    ]
    BASE = 1_600_000_000_000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = cls.client
        cls.exp_id = c.create_experiment(unique("grammar"))
        cls.ids = {}
        for i, (name, model, acc, val_loss, group, team) in enumerate(cls.SPECS):
            run = c.create_run(cls.exp_id, start_time=cls.BASE + i * 1000, run_name=name)
            run_id = run["info"]["run_id"]
            cls.ids[name] = run_id
            metrics = [("val loss", val_loss, cls.BASE + i, 0)]
            if acc is not None:
                metrics.append(("acc", acc, cls.BASE + i, 0))
            c.log_batch(run_id, metrics=metrics,
                        params=[("model", model), ("batch size", str(i * 16))],
                        tags=[("group", group), ("team name", team)])
            if i < 3:
                c.set_terminated(run_id, end_time=cls.BASE + i * 1000 + 500)
        cls.by_id = {v: k for k, v in cls.ids.items()}

    def search(self, flt="", **kwargs):
        runs, token = self.client.search_runs([self.exp_id], filter_string=flt, **kwargs)
        self.assertIsNone(token)
        return [self.by_id[r["info"]["run_id"]] for r in runs]

    def test_filter_grammar(self):
        ids = self.ids
        cases = [
            ("metrics.acc > 0.25", {"r3", "r4", "r5"}),
            ("metrics.acc >= 0.3 AND metrics.acc < 0.5", {"r3", "r4"}),
            ("metrics.acc = 0", {"r0"}),
            ("metrics.acc = 0.0", {"r0"}),
            ("metrics.acc <= 0.1", {"r0", "r1"}),
            ("metrics.acc != 0.2", {"r0", "r1", "r3", "r4", "r5"}),
            ("metric.acc < 0.1", {"r0"}),
            ("metrics.`val loss` < 0.45", {"r5", "r6"}),
            ("metrics.\"val loss\" >= 0.9", {"r0"}),
            ("metrics.no_such_metric > 0", set()),
            ("params.model = 'alpha'", {"r0"}),
            ('params.model = "alpha"', {"r0"}),
            ("params.model != 'alpha'", {"r1", "r2", "r3", "r4", "r5", "r6"}),
            ("params.model LIKE 'alpha%'", {"r0", "r4"}),
            ("params.model ILIKE 'alpha%'", {"r0", "r1", "r4", "r5"}),
            ("params.model LIKE '_eta'", {"r2"}),
            ("params.model LIKE '%a'", {"r0", "r1", "r2", "r3", "r6"}),
            ("param.model = 'gamma'", {"r3"}),
            ("params.`batch size` = '32'", {"r2"}),
            ("params.model = 'nope'", set()),
            ("tags.group = 'even'", {"r0", "r2", "r4", "r6"}),
            ("tags.`team name` = 'core ml'", {"r0", "r1", "r4"}),
            ("tags.`team name` ILIKE 'CORE%'", {"r0", "r1", "r4"}),
            ("tags.`team name` LIKE 'CORE%'", set()),
            ("tags.`team name` LIKE 'core%' AND tags.group = 'odd'", {"r1"}),
            ("tags.`mlflow.runName` = 'r2'", {"r2"}),
            ("tags.mlflow.runName = 'r2'", {"r2"}),
            ("attributes.run_name = 'r3'", {"r3"}),
            ("attributes.run_name LIKE 'r%'", set(ids)),
            ("attributes.status = 'FINISHED'", {"r0", "r1", "r2"}),
            ("attributes.status != 'FINISHED'", {"r3", "r4", "r5", "r6"}),
            (f"attributes.run_id IN ('{ids['r1']}', '{ids['r4']}')", {"r1", "r4"}),
            (f"attributes.run_id NOT IN ('{ids['r1']}', '{ids['r4']}')", {"r0", "r2", "r3", "r5", "r6"}),
            (f"attributes.run_id = '{ids['r5']}'", {"r5"}),
            (f"attributes.start_time >= {self.BASE + 4000}", {"r4", "r5", "r6"}),
            (f"attributes.start_time < {self.BASE + 1000}", {"r0"}),
            ("params.model ILIKE 'alpha%' AND metrics.acc > 0.05 AND tags.group = 'even'", {"r4"}),
            ("metrics.acc > 0.1 and params.model != 'beta'", {"r3", "r4", "r5"}),
            ("", set(ids)),
        ]
        for flt, expected in cases:
            with self.subTest(filter=flt):
                self.assertEqual(set(self.search(flt)), expected)

    def test_no_match_answers_empty(self):
        r = self.client.call("POST", "/runs/search",
                             {"experiment_ids": [self.exp_id], "filter": "params.model = 'nope'",
                              "run_view_type": "ACTIVE_ONLY", "max_results": 1000})
        self.assertEqual(r.get("runs", []), [])
        self.assertNotIn("next_page_token", r)

    def test_search_result_carries_run_data(self):
        runs, _ = self.client.search_runs([self.exp_id], filter_string="attributes.run_name = 'r4'")
        self.assertEqual(len(runs), 1)
        run = runs[0]
        self.assertEqual(run["info"]["experiment_id"], self.exp_id)
        self.assertEqual(params_of(run), {"model": "alphabet", "batch size": "64"})
        self.assertAlmostEqual(metric_dict(run)["acc"]["value"], 0.4)
        self.assertEqual(tags_of(run)["team name"], "core ml")
        self.assertEqual(run, self.client.get_run(self.ids["r4"]))

    def test_order_by(self):
        cases = [
            (["metrics.acc DESC"], ["r5", "r4", "r3", "r2", "r1", "r0", "r6"]),
            (["metrics.acc ASC"], ["r0", "r1", "r2", "r3", "r4", "r5", "r6"]),
            (["metrics.acc"], ["r0", "r1", "r2", "r3", "r4", "r5", "r6"]),
            (["metrics.`val loss` ASC"], ["r6", "r5", "r4", "r3", "r2", "r1", "r0"]),
            (["params.model ASC"], ["r5", "r1", "r0", "r4", "r2", "r6", "r3"]),
            (["params.model DESC"], ["r3", "r6", "r2", "r4", "r0", "r1", "r5"]),
            (["attributes.start_time ASC"], ["r0", "r1", "r2", "r3", "r4", "r5", "r6"]),
            (["attributes.start_time DESC"], ["r6", "r5", "r4", "r3", "r2", "r1", "r0"]),
            (["attributes.run_name DESC"], ["r6", "r5", "r4", "r3", "r2", "r1", "r0"]),
            (["tags.group ASC", "metrics.acc DESC"], ["r4", "r2", "r0", "r6", "r5", "r3", "r1"]),
            (None, ["r6", "r5", "r4", "r3", "r2", "r1", "r0"]),  # MLflow's default: start_time DESC
        ]
        for order_by, expected in cases:
            with self.subTest(order_by=order_by):
                self.assertEqual(self.search(order_by=order_by), expected)
        self.assertEqual(self.search("tags.group = 'odd'", order_by=["metrics.`val loss` DESC"]),
                         ["r1", "r3", "r5"])

    def test_bad_filters_and_order_by_are_invalid_parameter_values(self):
        bad_filters = [
            "metrics.acc >> 0.5",
            "foo.bar = 'x'",
            "metrics.acc = 'high'",
            "params.model = alpha",
            "params.model IN ('alpha', 'beta')",
            "metrics.acc > 0.5 OR metrics.acc < 0.1",
            "attributes.no_such_attribute = 'x'",
            "metrics.acc >",
        ]
        for flt in bad_filters:
            with self.subTest(filter=flt):
                self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.search_runs,
                                       [self.exp_id], filter_string=flt)
        for order_by in (["metrics.acc SIDEWAYS"], ["bogus.key ASC"]):
            with self.subTest(order_by=order_by):
                self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.search_runs,
                                       [self.exp_id], order_by=order_by)
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.search_runs, [self.exp_id],
                               max_results=50001)
        self.assertMlflowError(400, "INVALID_PARAMETER_VALUE", self.client.search_runs, [self.exp_id],
                               page_token="this is no token")


class SearchRunsPaginationTest(MlflowApiTestCase):
    def test_pages_have_no_duplicates_or_omissions(self):
        exp_id = self.client.create_experiment(unique("pages"))
        base = 1_650_000_000_000
        ids = []
        for i in range(23):
            run_id = self.client.create_run(exp_id, start_time=base + i * 10, run_name=f"p{i:02d}")["info"]["run_id"]
            self.client.log_metric(run_id, "idx", float(i), timestamp=base, step=0)
            ids.append(run_id)

        def pages(page_size, **kwargs):
            out, token, sizes = [], None, []
            while True:
                page, token = self.client.search_runs([exp_id], max_results=page_size, page_token=token, **kwargs)
                sizes.append(len(page))
                out += [r["info"]["run_id"] for r in page]
                if not token:
                    return out, sizes
                self.assertLess(len(sizes), 100, "pagination does not end")

        ordered, sizes = pages(5, order_by=["metrics.idx ASC"])
        self.assertEqual(ordered, ids)
        self.assertEqual(sizes, [5, 5, 5, 5, 3])

        default, sizes = pages(4)
        self.assertEqual(len(default), len(set(default)))
        self.assertEqual(set(default), set(ids))
        self.assertEqual(default, ids[::-1])  # start_time DESC across page boundaries
        self.assertTrue(all(s == 4 for s in sizes[:-1]), sizes)

        filtered, sizes = pages(3, filter_string="metrics.idx >= 10", order_by=["attributes.run_name DESC"])
        self.assertEqual(filtered, ids[10:][::-1])
        self.assertEqual(sizes, [3, 3, 3, 3, 1])

        # A page as large as the result: every run once, whatever the server does with the token.
        whole, _ = pages(23)
        self.assertEqual(sorted(whole), sorted(ids))

    def test_view_types(self):
        exp_id = self.client.create_experiment(unique("views"))
        ids = [self.client.create_run(exp_id, run_name=f"v{i}")["info"]["run_id"] for i in range(3)]
        self.client.delete_run(ids[1])

        def found(view, page_size=1000):
            runs, _ = self.client.search_all_runs([exp_id], page_size, run_view_type=view)
            return sorted(r["info"]["run_id"] for r in runs)

        self.assertEqual(found(ACTIVE_ONLY), sorted([ids[0], ids[2]]))
        self.assertEqual(found(DELETED_ONLY), [ids[1]])
        self.assertEqual(found(ALL), sorted(ids))
        self.assertEqual(found(ALL, page_size=1), sorted(ids))
        # run_view_type unset means ACTIVE_ONLY.
        r = self.client.call("POST", "/runs/search", {"experiment_ids": [exp_id]})
        self.assertEqual(sorted(x["info"]["run_id"] for x in r["runs"]), sorted([ids[0], ids[2]]))

    def test_search_across_experiments(self):
        a = self.client.create_experiment(unique("multi-a"))
        b = self.client.create_experiment(unique("multi-b"))
        ra = self.client.create_run(a, run_name="same-name")["info"]["run_id"]
        rb = self.client.create_run(b, run_name="same-name")["info"]["run_id"]
        self.client.create_run(b, run_name="other-name")
        runs, _ = self.client.search_runs([a, b], filter_string="attributes.run_name = 'same-name'")
        self.assertEqual(sorted(r["info"]["run_id"] for r in runs), sorted([ra, rb]))
        only_a, _ = self.client.search_runs([a])
        self.assertEqual([r["info"]["run_id"] for r in only_a], [ra])


class ArtifactTest(MlflowApiTestCase):
    def setUp(self):
        self.exp_id = self.client.create_experiment(unique("artifacts"))
        run = self.client.create_run(self.exp_id)
        self.run_id = run["info"]["run_id"]
        self.uri = run["info"]["artifact_uri"]
        self.root = MlflowClient.artifact_root_path(self.uri)

    def test_upload_list_download_roundtrip(self):
        self.assertEqual(self.uri, f"mlflow-artifacts:/{self.exp_id}/{self.run_id}/artifacts")
        blob = bytes(range(256)) * 1200 + os.urandom(4096)
        doc = json.dumps({"b": 1, "a": [1, 2, 3]}, indent=2).encode()
        text = "a line\nanother line with ü\n".encode()
        self.client.log_artifact_bytes(self.uri, "data.bin", blob, "dir/sub")
        self.client.log_artifact_bytes(self.uri, "report.json", doc, "dir")
        self.client.log_artifact_bytes(self.uri, "notes.txt", text)

        # ListArtifacts (the REST route; root_uri is the run's artifact URI, paths from the root).
        root = self.client.list_artifacts_rest(self.run_id)
        self.assertEqual(root["root_uri"], self.uri)
        files = {f["path"]: f for f in root["files"]}
        self.assertEqual(set(files), {"dir", "notes.txt"})
        self.assertTrue(files["dir"]["is_dir"])
        self.assertFalse(files["notes.txt"]["is_dir"])
        self.assertEqual(files["notes.txt"]["file_size"], len(text))
        sub = {f["path"]: f for f in self.client.list_artifacts_rest(self.run_id, "dir")["files"]}
        self.assertEqual(set(sub), {"dir/sub", "dir/report.json"})
        self.assertTrue(sub["dir/sub"]["is_dir"])
        self.assertEqual(sub["dir/report.json"]["file_size"], len(doc))
        deep = self.client.list_artifacts_rest(self.run_id, "dir/sub")["files"]
        self.assertEqual([(f["path"], f["file_size"]) for f in deep], [("dir/sub/data.bin", len(blob))])

        # The UI's form: ajax-api and run_uuid only.
        q = encode_query({"run_uuid": self.run_id, "path": "dir"})
        status, _, body = self.client.raw("GET", f"/ajax-api/2.0/mlflow/artifacts/list?{q}")
        self.assertEqual(status, 200, body)
        self.assertEqual({f["path"] for f in json.loads(body)["files"]}, {"dir/sub", "dir/report.json"})

        # The proxied list route answers base names; the client joins them to the listed path.
        listed = self.client.list_artifacts(self.uri)
        self.assertEqual([f["path"] for f in listed], ["dir", "notes.txt"])
        self.assertEqual([f["raw"]["path"] for f in listed], ["dir", "notes.txt"])
        self.assertTrue(listed[0]["is_dir"])
        self.assertEqual(listed[1]["file_size"], len(text))
        listed = self.client.list_artifacts(self.uri, "dir/sub")
        self.assertEqual([(f["path"], f["raw"]["path"], f["file_size"]) for f in listed],
                         [("dir/sub/data.bin", "data.bin", len(blob))])

        # Downloads give back the very bytes.
        self.assertEqual(self.client.download_artifact(self.uri, "dir/sub/data.bin"), blob)
        self.assertEqual(self.client.download_artifact(self.uri, "dir/report.json"), doc)
        self.assertEqual(self.client.download_artifact(self.uri, "notes.txt"), text)
        q = encode_query({"path": "dir/sub/data.bin", "run_uuid": self.run_id})
        r = self.server.request("GET", f"/get-artifact?{q}", key=self.acme)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, blob)

        # Uploading again replaces the file.
        self.client.log_artifact_bytes(self.uri, "notes.txt", b"replaced")
        self.assertEqual(self.client.download_artifact(self.uri, "notes.txt"), b"replaced")

        # A file that is not there.
        with self.assertRaises(MlflowError) as cm:
            self.client.download_artifact(self.uri, "dir/absent.bin")
        self.assertEqual(cm.exception.status, 404)
        self.assertEqual(cm.exception.error_code, "RESOURCE_DOES_NOT_EXIST")

    def test_artifacts_of_unknown_or_mismatched_run_are_not_found(self):
        ghost = uuid.uuid4().hex
        path = f"{ARTIFACTS_API}/{self.exp_id}/{ghost}/artifacts/x.txt"
        r = self.server.request("PUT", path, raw=b"x", key=self.acme, headers={"Content-Type": "text/plain"})
        self.assertErrorResponse(r, 404, "RESOURCE_DOES_NOT_EXIST")
        # The right run under another experiment id is not that run's artifact root.
        other = self.client.create_experiment(unique("other"))
        path = f"{ARTIFACTS_API}/{other}/{self.run_id}/artifacts/x.txt"
        r = self.server.request("PUT", path, raw=b"x", key=self.acme, headers={"Content-Type": "text/plain"})
        self.assertErrorResponse(r, 404, "RESOURCE_DOES_NOT_EXIST")
        self.assertEqual(self.client.list_artifacts_rest(self.run_id).get("files", []), [])

    def test_path_traversal_is_refused(self):
        secret = self.server.key("admin").encode()
        self.client.log_artifact_bytes(self.uri, "inside.txt", b"inside")

        def assert_no_leak(r):
            self.assertNotIn(secret, r.body, r)
            self.assertNotIn(b"root:x:0:0", r.body, r)

        # Query-parameter paths: MLflow's validate_path_is_safe answers INVALID_PARAMETER_VALUE.
        for bad in ("..", "../", "../../..", "dir/../../..", "/etc", "/", "%2e%2e", "..%2f..",
                    "../" * 12 + "etc/passwd"):
            with self.subTest(list_path=bad):
                q = encode_query({"run_id": self.run_id, "path": bad})
                r = self.server.request("GET", f"{API}/artifacts/list?{q}", key=self.acme)
                self.assertErrorResponse(r, 400, "INVALID_PARAMETER_VALUE")
                q = encode_query({"run_uuid": self.run_id, "path": bad + "/admin.key"})
                r = self.server.request("GET", f"/get-artifact?{q}", key=self.acme)
                self.assertIn(r.status, (400, 404), r)
                assert_no_leak(r)
                tail = f"{self.exp_id}/{self.run_id}/artifacts/{bad}"
                r = self.server.request("GET", f"{ARTIFACTS_API}?{encode_query({'path': tail})}", key=self.acme)
                self.assertIn(r.status, (400, 404), r)
                assert_no_leak(r)
        r = self.server.request("GET", f"{ARTIFACTS_API}?{encode_query({'path': '/etc'})}", key=self.acme)
        self.assertIn(r.status, (400, 404), r)

        # URL-path downloads: raw "..", percent-encoded dots and slashes, absolute paths.
        attempts = []
        for depth in range(1, 11):
            attempts += ["../" * depth + "admin.key",
                         "%2e%2e/" * depth + "admin.key",
                         "%2E%2E%2F" * depth + "admin.key",
                         "..%2f" * depth + "admin.key"]
        attempts += ["../" * 20 + "etc/passwd", "%2e%2e/" * 20 + "etc/passwd", "/etc/passwd",
                     "%2fetc%2fpasswd", "dir/../../../../../../../../../../../../etc/passwd"]
        for bad in attempts:
            with self.subTest(download=bad):
                r = self.server.request("GET", f"{self.root}/{bad}", key=self.acme)
                self.assertIn(r.status, (400, 404), r)
                assert_no_leak(r)
        r = self.server.request("GET", f"{ARTIFACTS_API}/../../../../etc/passwd", key=self.acme)
        self.assertIn(r.status, (400, 404), r)
        assert_no_leak(r)

        # Uploads that try to escape write nothing anywhere.
        marker = unique("escape")
        for depth in range(1, 11):
            for form in ("../" * depth, "%2e%2e/" * depth, "..%2f" * depth):
                with self.subTest(upload=form):
                    r = self.server.request("PUT", f"{self.root}/{form}{marker}.txt", raw=b"escaped",
                                            key=self.acme, headers={"Content-Type": "text/plain"})
                    self.assertIn(r.status, (400, 404), r)
        for top in (self.server.data_dir, os.path.dirname(self.server.data_dir)):
            for dirpath, _, filenames in os.walk(top):
                self.assertFalse([f for f in filenames if marker in f], dirpath)
                if top != self.server.data_dir:
                    break  # the parent of the data dir: its own files only
        self.assertFalse(os.path.exists(f"/{marker}.txt"))
        self.assertFalse(os.path.exists(f"/tmp/{marker}.txt"))
        names = [f["path"] for f in self.client.list_artifacts_rest(self.run_id).get("files", [])]
        self.assertEqual(names, ["inside.txt"])
        self.assertEqual(self.client.download_artifact(self.uri, "inside.txt"), b"inside")

        # An empty segment ("artifacts//tmp/x") is not an absolute path for MLflow either: it may
        # be refused, or land inside the run's root, but never in /tmp.
        r = self.server.request("PUT", f"{self.root}//tmp/{marker}-2.txt", raw=b"inside too", key=self.acme,
                                headers={"Content-Type": "text/plain"})
        self.assertIn(r.status, (200, 400, 404), r)
        self.assertFalse(os.path.exists(f"/tmp/{marker}-2.txt"))
        if r.status == 200:
            self.assertEqual(self.client.download_artifact(self.uri, f"tmp/{marker}-2.txt"), b"inside too")


class AuthTest(MlflowApiTestCase):
    def test_keys(self):
        get0 = f"{API}/experiments/get?experiment_id=0"
        self.assertErrorResponse(self.server.request("GET", get0), 401, "UNAUTHENTICATED")
        wrong = "tdk_" + "0" * 16 + "_" + "0" * 48
        self.assertErrorResponse(self.server.request("GET", get0, key=wrong), 401, "UNAUTHENTICATED")
        self.assertErrorResponse(self.server.request("GET", get0, key=self.admin), 403, "PERMISSION_DENIED")
        body = {"experiment_ids": ["0"], "filter": "", "run_view_type": "ACTIVE_ONLY", "max_results": 10}
        self.assertErrorResponse(self.server.request("POST", f"{API}/runs/search", body), 401, "UNAUTHENTICATED")
        self.assertErrorResponse(self.server.request("POST", f"{API}/runs/search", body, key=self.admin),
                                 403, "PERMISSION_DENIED")
        self.assertErrorResponse(self.server.request("GET", f"{ARTIFACTS_API}?path=0"), 401, "UNAUTHENTICATED")
        self.assertErrorResponse(self.server.request("PUT", f"{ARTIFACTS_API}/0/x/artifacts/a.txt", raw=b"a",
                                                     headers={"Content-Type": "text/plain"}),
                                 401, "UNAUTHENTICATED")
        anonymous = MlflowClient(self.server.port)
        self.addCleanup(anonymous.close)
        self.assertMlflowError(401, "UNAUTHENTICATED", anonymous.create_experiment, unique("anon"))
        admin = MlflowClient(self.server.port, self.admin)
        self.addCleanup(admin.close)
        self.assertMlflowError(403, "PERMISSION_DENIED", admin.create_experiment, unique("admin"))

    def test_ajax_api_prefix_serves_the_same_api(self):
        r = self.server.request("GET", "/ajax-api/2.0/mlflow/experiments/get?experiment_id=0", key=self.acme)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["experiment"]["name"], "Default")
        ajax = MlflowClient(self.server.port, self.acme, prefix="/ajax-api/2.0/mlflow")
        self.addCleanup(ajax.close)
        exp_id = ajax.create_experiment(unique("ajax"))
        run_id = ajax.create_run(exp_id)["info"]["run_id"]
        self.assertEqual(self.client.get_run(run_id)["info"]["experiment_id"], exp_id)
        runs, _ = ajax.search_runs([exp_id])
        self.assertEqual([x["info"]["run_id"] for x in runs], [run_id])

    def test_unknown_endpoint(self):
        r = self.server.request("GET", f"{API}/no-such/endpoint", key=self.acme)
        self.assertErrorResponse(r, 404, "ENDPOINT_NOT_FOUND")


class TenantWallTest(MlflowApiTestCase):
    def test_each_tenant_has_its_own_default_experiment(self):
        _, other = self.other_tenant_client()
        mine = self.client.create_run("0", run_name="acme-default-run")["info"]["run_id"]
        theirs = other.create_run("0", run_name="other-default-run")["info"]["run_id"]
        self.assertEqual(other.get_experiment("0")["name"], "Default")
        self.assertEqual(other.get_run(theirs)["info"]["experiment_id"], "0")
        seen_by_other = [r["info"]["run_id"] for r in other.search_all_runs(["0"], 1000, run_view_type=ALL)[0]]
        self.assertEqual(seen_by_other, [theirs])
        seen_by_acme = [r["info"]["run_id"] for r in self.client.search_all_runs(["0"], 1000, run_view_type=ALL)[0]]
        self.assertIn(mine, seen_by_acme)
        self.assertNotIn(theirs, seen_by_acme)
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", self.client.get_run, theirs)

    def test_second_tenant_cannot_see_search_log_tag_delete_or_download(self):
        # The first tenant's experiment, run, data and artifact.
        exp_name = unique("wall-secret")
        exp_id = self.client.create_experiment(exp_name, tags={"owner": "acme"})
        run = self.client.create_run(exp_id, run_name="secret-run", tags={"keep": "me"})
        run_id = run["info"]["run_id"]
        uri = run["info"]["artifact_uri"]
        self.client.log_batch(run_id, metrics=[("m", 1.5, 1000, 0)], params=[("p", "v")])
        payload = uuid.uuid4().hex.encode()
        self.client.log_artifact_bytes(uri, "secret.txt", payload)
        before = self.client.get_run(run_id)
        exp_before = self.client.get_experiment(exp_id)

        _, other = self.other_tenant_client()
        nf = (404, "RESOURCE_DOES_NOT_EXIST")

        # See.
        self.assertMlflowError(*nf, other.get_experiment, exp_id)
        self.assertMlflowError(*nf, other.call, "GET", "/experiments/get-by-name", {"experiment_name": exp_name})
        self.assertMlflowError(*nf, other.get_run, run_id)
        self.assertMlflowError(*nf, other.get_metric_history, run_id, "m")
        # Search: only its own Default experiment, and never the first tenant's runs.
        exps, _ = other.search_experiments(view_type=ALL)
        self.assertEqual([e["name"] for e in exps], ["Default"])
        for ids in ([exp_id], ["0", exp_id]):
            try:
                runs, _ = other.search_runs(ids, run_view_type=ALL)
                self.assertNotIn(run_id, [r["info"]["run_id"] for r in runs])
            except MlflowError as e:
                self.assertEqual((e.status, e.error_code), nf, e)
        runs, _ = other.search_runs(["0"], run_view_type=ALL,
                                    filter_string=f"attributes.run_id = '{run_id}'")
        self.assertEqual(runs, [])
        # Log, tag, update, delete.
        for fn, args, kwargs in (
                (other.log_metric, (run_id, "m", 99.0), {}),
                (other.log_param, (run_id, "p2", "x"), {}),
                (other.log_batch, (run_id,), {"tags": [("k", "v")]}),
                (other.set_tag, (run_id, "keep", "overwritten"), {}),
                (other.delete_tag, (run_id, "keep"), {}),
                (other.update_run, (run_id, "KILLED", 5), {}),
                (other.delete_run, (run_id,), {}),
                (other.restore_run, (run_id,), {}),
                (other.create_run, (exp_id,), {}),
                (other.set_experiment_tag, (exp_id, "owner", "them"), {}),
                (other.rename_experiment, (exp_id, unique("stolen")), {}),
                (other.delete_experiment, (exp_id,), {}),
                (other.restore_experiment, (exp_id,), {})):
            with self.subTest(call=fn.__name__):
                self.assertMlflowError(*nf, fn, *args, **kwargs)
        # Artifacts: list (both routes), download (both routes), upload.
        self.assertMlflowError(*nf, other.list_artifacts_rest, run_id)
        self.assertMlflowError(*nf, other.list_artifacts, uri)
        self.assertMlflowError(*nf, other.download_artifact, uri, "secret.txt")
        self.assertMlflowError(*nf, other.log_artifact_bytes, uri, "secret.txt", b"overwritten")
        self.assertMlflowError(*nf, other.log_artifact_bytes, uri, "planted.txt", b"planted")
        q = encode_query({"path": "secret.txt", "run_uuid": run_id})
        status, _, body = other.raw("GET", f"/get-artifact?{q}")
        self.assertEqual(status, 404, body)
        self.assertEqual(json.loads(body)["error_code"], "RESOURCE_DOES_NOT_EXIST")
        self.assertNotIn(payload, body)

        # The same experiment name is free in the other tenant's namespace.
        their_id = other.create_experiment(exp_name)
        self.assertEqual(other.get_experiment(their_id)["name"], exp_name)
        self.assertEqual(other.search_runs([their_id], run_view_type=ALL)[0], [])

        # Nothing of the first tenant's changed.
        after = self.client.get_run(run_id)
        self.assertEqual(after, before)
        self.assertEqual(self.client.get_experiment(exp_id), exp_before)
        self.assertEqual(self.client.download_artifact(uri, "secret.txt"), payload)
        self.assertEqual([f["path"] for f in self.client.list_artifacts(uri)], ["secret.txt"])


class JobRunTest(MlflowApiTestCase):
    def test_job_is_a_finished_run_with_params_metrics_history_tags_and_artifacts(self):
        cfg = copy.deepcopy(SEED_CONFIG)
        cfg["experiment_name"] = "churn-exp"
        r = self.server.submit(cfg, self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        done = self.completed(job_id)

        run = self.client.get_run(job_id)
        info = run["info"]
        self.assertEqual(info["run_id"], job_id)
        self.assertEqual(info["run_uuid"], job_id)
        self.assertEqual(info["status"], "FINISHED")
        self.assertEqual(info["lifecycle_stage"], "active")
        self.assertEqual(info["run_name"], cfg["name"])
        self.assertIsInstance(info["start_time"], int)
        self.assertGreaterEqual(info["end_time"], info["start_time"])
        exp_id = info["experiment_id"]
        self.assertEqual(self.client.get_experiment(exp_id)["name"], "churn-exp")
        self.assertEqual(self.client.get_experiment_by_name("churn-exp")["experiment_id"], exp_id)
        self.assertEqual(info["artifact_uri"], f"mlflow-artifacts:/{exp_id}/{job_id}/artifacts")

        params = params_of(run)
        self.assertEqual(int(params["n_estimators"]), 100)
        self.assertEqual(int(params["max_depth"]), 6)
        self.assertAlmostEqual(float(params["learning_rate"]), 0.1)
        self.assertEqual(params["split.strategy"], "stratified")
        self.assertAlmostEqual(float(params["split.test_size"]), 0.2)

        metrics = metric_dict(run)
        for key in ("auc_roc", "accuracy"):
            self.assertIn(key, metrics)
            self.assertAlmostEqual(metrics[key]["value"], done["metrics"][key], places=6)

        tags = tags_of(run)
        self.assertEqual(tags["traind.job_id"], job_id)
        self.assertEqual(tags["traind.algorithm"], done.get("algorithm", "xgboost"))
        self.assertEqual(tags["traind.tenant_id"], "acme-corp")
        self.assertEqual(tags["traind.task_type"], "classification")
        self.assertTrue(tags["traind.data_hash"])
        self.assertEqual(params["data_hash"], tags["traind.data_hash"])
        self.assertEqual(tags["mlflow.runName"], cfg["name"])
        self.assertEqual(tags["mlflow.source.name"], "traind")
        self.assertEqual(tags["mlflow.source.type"], "JOB")
        self.assertTrue(tags["mlflow.user"])

        # Per-iteration progress metrics come with their history, step = iteration.
        histories = {k: self.client.get_metric_history(job_id, k) for k in metrics}
        stepped = {k: h for k, h in histories.items() if len({m["step"] for m in h}) >= 3}
        self.assertTrue(stepped, f"no metric with a history of several steps: {sorted(histories)}")
        for key, hist in stepped.items():
            steps = [m["step"] for m in hist]
            self.assertEqual(len(steps), len(set(steps)), key)
            ordered = sorted(hist, key=lambda m: m["step"])
            for m in ordered:
                self.assertEqual(m["key"], key)
                self.assertIsInstance(m["timestamp"], int)
                self.assertIsInstance(m["step"], int)
            self.assertEqual([m["timestamp"] for m in ordered], sorted(m["timestamp"] for m in ordered), key)
            self.assertAlmostEqual(metrics[key]["value"], ordered[-1]["value"], msg=key)
            self.assertEqual(metrics[key]["step"], ordered[-1]["step"], key)

        # Artifacts: the BOM and the model.
        listing = self.client.list_artifacts_rest(job_id)
        self.assertEqual(listing["root_uri"], info["artifact_uri"])
        files = {f["path"]: f for f in listing["files"]}
        self.assertIn("training_bom.json", files)
        self.assertFalse(files["training_bom.json"]["is_dir"])
        self.assertGreater(files["training_bom.json"]["file_size"], 0)
        self.assertIn("model", files)
        self.assertTrue(files["model"]["is_dir"])
        model_files = self.client.list_artifacts_rest(job_id, "model")["files"]
        self.assertTrue(model_files)
        self.assertTrue(all(f["path"].startswith("model/") for f in model_files), model_files)
        proxied = [f["path"] for f in self.client.list_artifacts(info["artifact_uri"])]
        self.assertIn("training_bom.json", proxied)
        self.assertIn("model", proxied)

        bom_bytes = self.client.download_artifact(info["artifact_uri"], "training_bom.json")
        self.assertEqual(len(bom_bytes), files["training_bom.json"]["file_size"])
        bom = json.loads(bom_bytes)
        self.assertEqual(bom["id"], job_id)
        served = self.server.request("GET", f"/api/v1/ml/train/{job_id}/bom", key=self.acme)
        self.assertEqual(served.status, 200, served)
        self.assertEqual(served.json(), bom)
        # The BOM and the run agree.
        self.assertEqual(set(bom["mlflow_metrics"]), set(metrics))
        for key, value in bom["mlflow_metrics"].items():
            self.assertAlmostEqual(float(value), metrics[key]["value"], places=9, msg=key)
        self.assertEqual(set(bom["mlflow_params"]), set(params))
        self.assertEqual(int(bom["mlflow_params"]["n_estimators"]), 100)

        first_model_file = next(f for f in model_files if not f["is_dir"])
        data = self.client.download_artifact(info["artifact_uri"], first_model_file["path"])
        self.assertEqual(len(data), first_model_file["file_size"])

        # Found by its tags.
        found, _ = self.client.search_runs([exp_id], filter_string=f"tags.`traind.job_id` = '{job_id}'")
        self.assertEqual([x["info"]["run_id"] for x in found], [job_id])
        found, _ = self.client.search_runs([exp_id], filter_string="tags.`traind.algorithm` = "
                                           f"'{tags['traind.algorithm']}' AND metrics.auc_roc > 0.5")
        self.assertIn(job_id, [x["info"]["run_id"] for x in found])

        # The job's record is not edited through MLflow; tags may be.
        invalid = (400, "INVALID_PARAMETER_VALUE")
        self.assertMlflowError(*invalid, self.client.log_metric, job_id, "auc_roc", 0.01)
        self.assertMlflowError(*invalid, self.client.log_param, job_id, "n_estimators", "7")
        self.assertMlflowError(*invalid, self.client.log_batch, job_id, metrics=[("x", 1.0, 1, 0)])
        self.assertMlflowError(*invalid, self.client.update_run, job_id, "FAILED", 1)
        unchanged = self.client.get_run(job_id)
        self.assertAlmostEqual(metric_dict(unchanged)["auc_roc"]["value"], done["metrics"]["auc_roc"], places=6)
        self.assertEqual(unchanged["info"]["status"], "FINISHED")
        self.client.set_tag(job_id, "reviewed", "yes")
        self.assertEqual(tags_of(self.client.get_run(job_id))["reviewed"], "yes")
        self.client.delete_tag(job_id, "reviewed")
        self.assertNotIn("reviewed", tags_of(self.client.get_run(job_id)))

        # Another tenant does not see it.
        _, other = self.other_tenant_client()
        self.assertMlflowError(404, "RESOURCE_DOES_NOT_EXIST", other.get_run, job_id)
        self.assertIsNone(other.get_experiment_by_name("churn-exp"))

    def long_job(self, name):
        cfg = copy.deepcopy(SEED_CONFIG)
        cfg["name"] = name
        cfg["dataset"]["query"] = "SELECT * FROM ml_features.customer_churn LIMIT 300"
        cfg["hyperparameters"] = {"n_estimators": 100000, "max_depth": 4}
        r = self.server.submit(cfg, self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]

        def training():
            j = self.server.job(job_id, self.acme)
            self.assertNotIn(j["status"], ("completed", "failed", "cancelled"), j)
            return j["status"] == "running" and j.get("progress", {}).get("iteration", 0) >= 1
        poll(training, timeout=120, what=f"{job_id} to be training")
        return job_id

    def test_running_job_is_a_running_run_and_a_cancelled_one_is_killed(self):
        job_id = self.long_job(unique("cancelled-job"))
        run = self.client.get_run(job_id)
        self.assertEqual(run["info"]["status"], "RUNNING")
        self.assertNotIn("end_time", run["info"])
        c = self.server.request("DELETE", f"/api/v1/ml/train/{job_id}", key=self.acme)
        self.assertEqual(c.status, 200, c)
        self.assertEqual(self.server.wait_status(job_id, self.acme)["status"], "cancelled")
        info = self.client.get_run(job_id)["info"]
        self.assertEqual(info["status"], "KILLED")
        self.assertGreaterEqual(info["end_time"], info["start_time"])

    def test_failed_job_is_a_failed_run(self):
        job_id = self.long_job(unique("crashed-job"))
        pids = worker_pids(job_id)
        self.assertTrue(pids)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        self.assertEqual(self.server.wait_status(job_id, self.acme)["status"], "failed")
        info = self.client.get_run(job_id)["info"]
        self.assertEqual(info["status"], "FAILED")
        self.assertGreaterEqual(info["end_time"], info["start_time"])

    def test_experiment_defaults_to_the_job_name(self):
        cfg = copy.deepcopy(SEED_CONFIG)
        cfg["name"] = unique("named-job")
        cfg["hyperparameters"]["n_estimators"] = 5
        r = self.server.submit(cfg, self.acme)
        self.assertEqual(r.status, 202, r)
        job_id = r.json()["job_id"]
        self.completed(job_id)
        run = self.client.get_run(job_id)
        self.assertEqual(run["info"]["run_name"], cfg["name"])
        exp = self.client.get_experiment(run["info"]["experiment_id"])
        self.assertEqual(exp["name"], cfg["name"])
        self.assertEqual(int(params_of(run)["n_estimators"]), 5)


if __name__ == "__main__":
    import unittest
    unittest.main()
