"""The tree algorithms (lightgbm, random_forest) end to end on a real traind: the seed's
configuration completes with every seed result field, /predict answers, the downloaded
artifacts are what the formats promise (a random forest walked by hand in Python gives the
/predict probabilities), regression works, and bad hyperparameters are refused up front."""

import copy
import json
import math
import os
import sqlite3
import struct
import unittest

from traind_harness import SEED_CONFIG, ServerTestCase

NUMERIC_FEATURES = ["tenure", "total_charges", "num_support_tickets"]


def seed_config(algorithm, **hyperparameters):
    cfg = copy.deepcopy(SEED_CONFIG)
    cfg["algorithm"] = algorithm
    cfg["name"] = f"seed-{algorithm}"
    cfg["hyperparameters"].update(hyperparameters)
    return cfg


def regression_config(algorithm, **hyperparameters):
    cfg = copy.deepcopy(SEED_CONFIG)
    cfg.update({"algorithm": algorithm, "task_type": "regression", "name": f"reg-{algorithm}",
                "target_column": "monthly_charges", "feature_columns": NUMERIC_FEATURES,
                "split": {"strategy": "random", "test_size": 0.2, "random_state": 7},
                "hyperparameters": hyperparameters})
    return cfg


def float32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def parse_lightgbm_trees(text):
    """The numerical trees of a LightGBM text model, as dicts of their key=value lines."""
    trees = []
    for block in text.split("\nTree=")[1:]:
        fields = dict(line.split("=", 1) for line in block.split("\n")[1:] if "=" in line)
        if "num_cat" in fields:
            assert fields["num_cat"] == "0", "categorical splits are not walked here"
        tree = {"num_leaves": int(fields["num_leaves"]),
                "leaf_value": [float(v) for v in fields["leaf_value"].split()]}
        if tree["num_leaves"] > 1:
            for key, kind in (("split_feature", int), ("threshold", float), ("decision_type", int),
                              ("left_child", int), ("right_child", int)):
                tree[key] = [kind(v) for v in fields[key].split()]
        trees.append(tree)
        if "end of trees" in block:
            break
    return trees


def lightgbm_leaf_value(tree, x):
    """LightGBM's numerical decision: missing type in bits 2-3 of decision_type (0 none, 1 zero,
    2 NaN), default-left in bit 1; NaN without a NaN missing type reads as 0."""
    if tree["num_leaves"] == 1:
        return tree["leaf_value"][0]
    node = 0
    while node >= 0:
        v = x[tree["split_feature"][node]]
        decision = tree["decision_type"][node]
        missing_type = (decision >> 2) & 3
        default_left = bool(decision & 2)
        if math.isnan(v) and missing_type != 2:
            v = 0.0
        if (missing_type == 1 and abs(v) <= 1e-35) or (missing_type == 2 and math.isnan(v)):
            go_left = default_left
        else:
            go_left = v <= tree["threshold"][node]
        node = tree["left_child"][node] if go_left else tree["right_child"][node]
    return tree["leaf_value"][~node]


class TreeAlgorithmsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Both seed jobs run while the other tests do their own work.
        cls.jobs = {}
        for algorithm in ("lightgbm", "random_forest"):
            r = cls.server.submit(seed_config(algorithm), cls.acme)
            assert r.status == 202, r
            cls.jobs[algorithm] = r.json()["job_id"]

    # -- helpers --------------------------------------------------------------------
    def sample_rows(self, columns, where="total_charges IS NULL OR rowid % 97 = 0", limit=30):
        db = os.path.join(self.server.data_dir, "tenants", "acme-corp", "ml_features.db")
        con = sqlite3.connect(db)
        rows = con.execute(f"SELECT {', '.join(columns)} FROM customer_churn WHERE {where} "
                           f"LIMIT {limit}").fetchall()
        con.close()
        return rows

    def predict(self, model_id, columns, rows):
        body = {"rows": [dict(zip(columns, r)) for r in rows]}
        pr = self.server.request("POST", f"/api/v1/ml/models/{model_id}/predict", body, key=self.acme)
        self.assertEqual(pr.status, 200, pr)
        preds = pr.json()["predictions"]
        self.assertEqual(len(preds), len(rows))
        return preds

    def model_dir(self, model_id):
        for root, _dirs, files in os.walk(self.server.data_dir):
            if model_id in root and "preprocess.json" in files:
                return root
        self.fail(f"no model bundle for {model_id} under {self.server.data_dir}")

    def download(self, model_id):
        dl = self.server.request("GET", f"/api/v1/ml/models/{model_id}/download", key=self.acme)
        self.assertEqual(dl.status, 200, dl)
        return dl.body

    def check_classification_predictions(self, preds):
        for p in preds:
            probs = p["probabilities"]
            self.assertEqual(set(probs), {"0", "1"})
            self.assertAlmostEqual(sum(probs.values()), 1.0, places=6)
            self.assertEqual(p["label"], max(sorted(probs), key=lambda k: probs[k]))

    # -- the seed configuration -------------------------------------------------------
    def test_lightgbm_seed_configuration_completes_and_downloads_model_text(self):
        done = self.completed(self.jobs["lightgbm"])
        self.check_seed_result(done)
        self.assertIn(done.get("feature_importance_type", "split"), ("split",))
        model_id = done["model_artifact_id"]
        text = self.download(model_id).decode()
        self.assertTrue(text.startswith("tree\nversion=v4\n"), text[:80])
        self.assertIn("\nfeature_names=tenure monthly_charges total_charges\n", text)
        self.assertIn("\nobjective=binary sigmoid:1\n", text)
        # max_depth 6 without num_leaves: min(31, 2^6) leaves at most, 100 iterations.
        self.assertIn("\n[num_leaves: 31]\n", text)
        self.assertIn("\n[max_depth: 6]\n", text)
        self.assertEqual(text.count("\nTree="), 100)
        self.assertTrue(text.rstrip("\n").endswith("end of parameters") or "pandas_categorical" in text)

        rows = self.sample_rows(SEED_CONFIG["feature_columns"])
        self.assertTrue(any(r[2] is None for r in rows), "sample should hold a missing value")
        preds = self.predict(model_id, SEED_CONFIG["feature_columns"], rows)
        self.check_classification_predictions(preds)

        # LightGBM routes missing values itself: the raw row (as float32, NaN kept) walked
        # through the file's trees gives /predict's probability.
        trees = parse_lightgbm_trees(text)
        self.assertEqual(len(trees), 100)
        for row, pred in zip(rows, preds):
            x = [math.nan if v is None else float32(float(v)) for v in row]
            score = sum(lightgbm_leaf_value(t, x) for t in trees)
            self.assertAlmostEqual(pred["probabilities"]["1"], 1.0 / (1.0 + math.exp(-score)),
                                   places=9, msg=f"row {row}")

    def test_random_forest_seed_configuration_completes_and_the_json_trees_reproduce_predict(self):
        done = self.completed(self.jobs["random_forest"])
        self.check_seed_result(done)
        self.assertEqual(done.get("feature_importance_type", "impurity_decrease"), "impurity_decrease")
        model_id = done["model_artifact_id"]
        doc = json.loads(self.download(model_id))
        self.assertEqual(doc["format"], "traind-rf")
        self.assertEqual(doc["format_version"], 1)
        self.assertEqual(doc["task"], "classification")
        self.assertEqual(doc["classes"], [0, 1])
        self.assertEqual(doc["feature_names"], SEED_CONFIG["feature_columns"])
        self.assertEqual(len(doc["trees"]), 100)
        self.assertEqual(doc["params"]["max_depth"], 6)
        for tree in doc["trees"]:
            self.assertLessEqual(tree["max_depth"], 6)

        # The pipeline's preprocessing of this bundle: each raw value, NaN -> fill, then
        # (v - mean) / scale (no standardisation for forests; imputation since sklearn 1.2
        # forests refuse NaN).
        bundle = self.model_dir(model_id)
        with open(os.path.join(bundle, "preprocess.json")) as f:
            pre = json.load(f)
        with open(os.path.join(bundle, "model_meta.json")) as f:
            labels = json.load(f)["labels"]
        self.assertEqual(labels, ["0", "1"])
        self.assertTrue(pre["impute_missing"])
        self.assertFalse(pre["standardize"])
        scalings = {c["name"]: c["scalings"][0] for c in pre["columns"]}
        self.assertEqual(pre["feature_names"], SEED_CONFIG["feature_columns"])

        rows = self.sample_rows(SEED_CONFIG["feature_columns"])
        self.assertTrue(any(r[2] is None for r in rows), "sample should hold a missing value")
        preds = self.predict(model_id, SEED_CONFIG["feature_columns"], rows)
        self.check_classification_predictions(preds)

        def encode(row):
            out = []
            for name, v in zip(SEED_CONFIG["feature_columns"], row):
                s = scalings[name]
                v = s["fill"] if v is None else float(v)
                out.append(float32((v - s["mean"]) / s["scale"]))
            return out

        def walk(tree, x):
            node = 0
            while tree["children_left"][node] != -1:
                f = tree["feature"][node]
                node = (tree["children_left"][node] if x[f] <= tree["threshold"][node]
                        else tree["children_right"][node])
            value = tree["value"][node]
            total = sum(value) or 1.0
            return [v / total for v in value]

        for row, pred in zip(rows, preds):
            x = encode(row)
            proba = [0.0] * len(doc["classes"])
            for tree in doc["trees"]:
                for k, p in enumerate(walk(tree, x)):
                    proba[k] += p
            proba = [p / len(doc["trees"]) for p in proba]
            # The forest's classes are the pipeline's class indices into the job's labels.
            for k, class_index in enumerate(doc["classes"]):
                label = labels[int(class_index)]
                self.assertAlmostEqual(pred["probabilities"][label], proba[k], places=9,
                                       msg=f"row {row}")

    # -- regression ----------------------------------------------------------------
    def run_regression(self, algorithm, **hyperparameters):
        r = self.server.submit(regression_config(algorithm, **hyperparameters), self.acme)
        self.assertEqual(r.status, 202, r)
        done = self.completed(r.json()["job_id"])
        m = done["metrics"]
        for field in ("rmse", "mae", "r2"):
            self.assertIn(field, m)
        # total_charges ~ tenure x monthly_charges: the trees recover a good part of it.
        self.assertGreater(m["r2"], 0.3, m)
        fi = done["feature_importance"]
        self.assertEqual(set(fi), set(NUMERIC_FEATURES))
        self.assertAlmostEqual(sum(fi.values()), 1.0, places=6)
        rows = self.sample_rows(NUMERIC_FEATURES, where="rowid % 101 = 0", limit=10)
        preds = self.predict(done["model_artifact_id"], NUMERIC_FEATURES, rows)
        for p in preds:
            self.assertTrue(math.isfinite(p["value"]), p)
        return done

    def test_lightgbm_regression(self):
        done = self.run_regression("lightgbm", n_estimators=50)
        text = self.download(done["model_artifact_id"]).decode()
        self.assertTrue(text.startswith("tree\nversion=v4\n"))
        self.assertIn("\nobjective=regression\n", text)

    def test_random_forest_regression_with_oob_score(self):
        done = self.run_regression("random_forest", n_estimators=30, oob_score=True,
                                   max_features=0.5, min_samples_leaf=0.01)
        self.assertIn("oob_score", done["metrics"])
        self.assertGreater(done["metrics"]["oob_score"], 0.3)
        doc = json.loads(self.download(done["model_artifact_id"]))
        self.assertEqual(doc["task"], "regression")
        self.assertNotIn("classes", doc)
        self.assertEqual(doc["params"]["max_features"], 0.5)
        self.assertEqual(doc["params"]["min_samples_leaf"], 0.01)
        self.assertEqual(doc["resolved"]["max_features"], 1)  # max(1, int(0.5 * 3))

    def test_permutation_importance_over_the_api(self):
        cfg = seed_config("lightgbm", importance_type="permutation", n_estimators=20)
        r = self.server.submit(cfg, self.acme)
        self.assertEqual(r.status, 202, r)
        done = self.completed(r.json()["job_id"])
        if "feature_importance_type" in done:
            self.assertEqual(done["feature_importance_type"], "permutation_accuracy")
        fi = done["feature_importance"]
        self.assertEqual(set(fi), set(SEED_CONFIG["feature_columns"]))
        self.assertAlmostEqual(sum(fi.values()), 1.0, places=6)

    # -- refused up front ------------------------------------------------------------
    def test_bad_hyperparameters_are_refused_with_their_path(self):
        cases = [
            ("random_forest", {"max_features": "cube"}, "/hyperparameters/max_features"),
            ("random_forest", {"min_samples_split": "x"}, "/hyperparameters/min_samples_split"),
            ("random_forest", {"max_features": 0}, "/hyperparameters/max_features"),
            ("random_forest", {"random_state": 2 ** 40}, "/hyperparameters/random_state"),
            ("lightgbm", {"num_leaves": 1}, "/hyperparameters/num_leaves"),
            ("lightgbm", {"objective": "poisson"}, "/hyperparameters/objective"),
        ]
        for algorithm, hp, path in cases:
            with self.subTest(algorithm=algorithm, hp=hp):
                cfg = seed_config(algorithm)
                cfg["hyperparameters"] = hp
                err = self.assertError(self.server.submit(cfg, self.acme), 400, "INVALID_CONFIG",
                                       path)
                message = [d for d in err["details"] if d["path"] == path][0]["message"]
                self.assertNotIn("one of ;", message)  # no empty list of choices

    def test_objective_of_the_wrong_task_fails_with_a_clear_message(self):
        cfg = seed_config("lightgbm", objective="regression", n_estimators=5)
        r = self.server.submit(cfg, self.acme)
        if r.status == 400:
            self.assertError(r, 400, "INVALID_CONFIG", "/hyperparameters/objective")
            return
        self.assertEqual(r.status, 202, r)
        done = self.server.wait_status(r.json()["job_id"], self.acme, timeout=300)
        self.assertEqual(done["status"], "failed", done)
        self.assertIn("objective", done["error"]["message"])

    def test_algorithms_lists_both_with_their_hyperparameters(self):
        r = self.server.request("GET", "/api/v1/ml/algorithms", key=self.acme)
        self.assertEqual(r.status, 200, r)
        algorithms = {a["name"]: a for a in r.json()["algorithms"]}
        self.assertIn("lightgbm", algorithms)
        self.assertIn("random_forest", algorithms)
        lgbm = {p["name"]: p for p in algorithms["lightgbm"]["hyperparameters"]}
        rf = {p["name"]: p for p in algorithms["random_forest"]["hyperparameters"]}
        for name in ("num_iterations", "learning_rate", "num_leaves", "max_depth", "objective",
                     "early_stopping_round", "importance_type"):
            self.assertIn(name, lgbm)
        self.assertIn("n_estimators", lgbm["num_iterations"]["aliases"])
        self.assertEqual(lgbm["num_iterations"]["default"], 100)
        for name in ("n_estimators", "criterion", "max_depth", "min_samples_split",
                     "min_samples_leaf", "max_features", "bootstrap", "oob_score", "class_weight",
                     "max_samples", "random_state", "importance_type"):
            self.assertIn(name, rf)
        self.assertEqual(rf["max_features"]["type"], "number_or_string")
        self.assertIn("sqrt", rf["max_features"]["choices"])
        for a in ("lightgbm", "random_forest"):
            self.assertEqual(sorted(algorithms[a]["tasks"]), ["classification", "regression"])


if __name__ == "__main__":
    unittest.main()
