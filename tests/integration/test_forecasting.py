"""Forecasting end to end on a real traind: arima (automatic order) and prophet on the demo
tenant's daily sales (5 stores, promo as an exogenous feature) and monthly passengers complete
with hold-out metrics, per-series forecasts with intervals and fitted parameters; /predict
forecasts from the saved model; bad forecasting input is refused up front with the field's
path (non-time column, horizon <= 0, too short a history, irregular timestamps without a
frequency)."""

import datetime
import math
import unittest

from traind_harness import ServerTestCase

DAILY = {"source": "sql", "query": "SELECT date, store_id, sales, promo FROM ml_features.daily_sales"}
MONTHLY = {"source": "sql", "query": "SELECT date, passengers FROM ml_features.monthly_passengers"}


def daily_config(algorithm, **extra):
    cfg = {"name": f"daily-{algorithm}", "algorithm": algorithm, "task_type": "forecasting",
           "dataset": DAILY, "time_column": "date", "target_column": "sales",
           "series_column": "store_id", "feature_columns": ["promo"],
           "forecast": {"horizon": 30}, "split": {"strategy": "time", "test_size": 28}}
    cfg.update(extra)
    return cfg


def monthly_config(algorithm, **extra):
    cfg = {"name": f"monthly-{algorithm}", "algorithm": algorithm, "task_type": "forecasting",
           "dataset": MONTHLY, "time_column": "date", "target_column": "passengers",
           "forecast": {"horizon": 24}, "split": {"test_size": 24}}
    cfg.update(extra)
    return cfg


class ForecastingTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jobs = {}
        configs = {
            "daily-prophet": daily_config("prophet"),
            # auto.arima on five 3-year daily series would take a while; a fixed weekly
            # SARIMAX keeps the test short. Automatic selection runs on the monthly series.
            "daily-arima": daily_config("arima", hyperparameters={
                "order": [1, 0, 1], "seasonal_order": [1, 0, 0, 7], "trend": "c"}),
            "monthly-arima": monthly_config("arima"),
            "monthly-prophet": monthly_config(
                "prophet", hyperparameters={"seasonality_mode": "multiplicative"}),
        }
        for name, cfg in configs.items():
            r = cls.server.submit(cfg, cls.acme)
            assert r.status == 202, (name, r)
            cls.jobs[name] = r.json()["job_id"]

    def completed(self, name):
        done = self.server.wait_status(self.jobs[name], self.acme, timeout=600)
        self.assertEqual(done["status"], "completed", done)
        return done

    def check_path(self, part, length, with_y, bounds_from=0):
        for key in ("ds", "yhat", "yhat_lower", "yhat_upper"):
            self.assertEqual(len(part[key]), length, key)
        if with_y:
            self.assertEqual(len(part["y"]), length)
        for i in range(bounds_from, length):
            lo, hi, yhat = part["yhat_lower"][i], part["yhat_upper"][i], part["yhat"][i]
            self.assertIsNotNone(yhat)
            self.assertTrue(lo is not None and hi is not None, (i, part))
            self.assertLessEqual(lo, yhat + 1e-9)
            self.assertLessEqual(yhat, hi + 1e-9)

    def check_daily(self, done):
        m = done["metrics"]
        for key in ("mae", "rmse", "mape", "smape", "mase", "coverage"):
            self.assertIn(key, m)
            self.assertIsNotNone(m[key], key)
        self.assertEqual(m["n_series"], 5)
        self.assertLess(m["mape"], 25.0)  # the demo series are forecastable
        self.assertGreater(m["coverage"], 0.3)
        self.assertEqual(set(done["series_metrics"]), {f"store_{i}" for i in range(1, 6)})
        summary = done["data_summary"]
        self.assertEqual(summary["frequency"], "D")
        self.assertTrue(summary["frequency_inferred"])
        self.assertEqual(summary["seasonal_period"], 7)
        self.assertEqual(summary["test_samples"], 5 * 28)
        self.assertEqual(summary["train_samples"] + summary["test_samples"], summary["total_samples"])
        self.assertEqual(len(done["forecast"]), 5)
        first = done["forecast"][0]
        self.assertEqual(first["series"], "store_1")
        self.assertEqual(first["holdout"]["ds"][0], "2025-12-04")
        self.assertEqual(first["holdout"]["ds"][-1], "2025-12-31")
        self.assertEqual(first["horizon"]["ds"], [
            (datetime.date(2026, 1, 1) + datetime.timedelta(days=i)).isoformat() for i in range(30)])
        self.check_path(first["holdout"], 28, with_y=True)
        self.check_path(first["horizon"], 30, with_y=False)
        self.assertEqual(len(first["history"]["ds"]), 1096)
        self.assertTrue(done["model"]["refit_on_full_history"])
        self.assertEqual(len(done["model"]["series"]), 5)
        return done

    def test_prophet_forecasts_the_daily_sales_of_every_store(self):
        done = self.check_daily(self.completed("daily-prophet"))
        fitted = done["model"]["series"][0]
        self.assertEqual(fitted["growth"], "linear")
        self.assertIn("weekly", fitted["seasonalities"])
        self.assertIn("yearly", fitted["seasonalities"])
        self.assertEqual(len(fitted["changepoints"]), 25)
        self.assertIn("promo", fitted["columns"])
        self.check_path(done["forecast"][0]["history"], 1096, with_y=True)

    def test_arima_with_a_given_order_forecasts_the_daily_sales(self):
        done = self.check_daily(self.completed("daily-arima"))
        fitted = done["model"]["series"][0]
        self.assertEqual(fitted["order"], [1, 0, 1])
        self.assertEqual(fitted["seasonal_order"], [1, 0, 0, 7])
        for name in ("intercept", "promo", "ar.L1", "ma.L1", "ar.S.L7", "sigma2"):
            self.assertIn(name, fitted["params"])
            self.assertGreater(fitted["bse"][name], 0.0)
        self.assertGreater(fitted["params"]["promo"], 0.0)  # the demo's promotions lift sales
        for key in ("llf", "aic", "aicc", "bic"):
            self.assertTrue(math.isfinite(fitted[key]), key)
        # The saved model forecasts a store's next days from /predict, promo values given.
        model_id = done["model_artifact_id"]
        body = {"horizon": 3, "series": "store_2", "rows": [{"promo": 0}, {"promo": 1}, {"promo": 0}]}
        pr = self.server.request("POST", f"/api/v1/ml/models/{model_id}/predict", body, key=self.acme)
        self.assertEqual(pr.status, 200, pr)
        preds = pr.json()["predictions"]
        self.assertEqual([p["ds"] for p in preds], ["2026-01-01", "2026-01-02", "2026-01-03"])
        self.assertTrue(all(p["series"] == "store_2" for p in preds))
        for p in preds:
            self.assertLess(p["yhat_lower"], p["yhat"])
            self.assertLess(p["yhat"], p["yhat_upper"])
        # The same horizon as the job's own forecast, with the same promo values.
        job_horizon = done["forecast"][1]["horizon"]
        self.assertEqual(job_horizon["ds"][:3], [p["ds"] for p in preds])
        missing = self.server.request("POST", f"/api/v1/ml/models/{model_id}/predict",
                                      {"horizon": 2, "series": "store_2"}, key=self.acme)
        self.assertError(missing, 400, "INVALID_CONFIG", "/rows")

    def test_automatic_arima_chooses_a_seasonal_model_for_the_monthly_series(self):
        done = self.completed("monthly-arima")
        fitted = done["model"]["series"][0]
        self.assertIn("auto", fitted)
        self.assertEqual(fitted["auto"]["seasonal_period"], 12)
        self.assertEqual(fitted["seasonal_order"][3], 12)
        self.assertGreaterEqual(sum(fitted["seasonal_order"][:3]), 1)
        self.assertEqual(done["data_summary"]["frequency"], "MS")
        self.assertEqual(done["data_summary"]["test_samples"], 24)
        self.assertLess(done["metrics"]["mape"], 15.0)
        horizon = done["forecast"][0]["horizon"]
        self.assertEqual(horizon["ds"][0], "2026-01-01")
        self.assertEqual(horizon["ds"][-1], "2027-12-01")
        pr = self.server.request("POST", f"/api/v1/ml/models/{done['model_artifact_id']}/predict",
                                 {"horizon": 12}, key=self.acme)
        self.assertEqual(pr.status, 200, pr)
        preds = pr.json()["predictions"]
        self.assertEqual(len(preds), 12)
        self.assertNotIn("series", preds[0])
        for got, job in zip(preds, horizon["yhat"][:12]):
            self.assertAlmostEqual(got["yhat"], job, places=6)

    def test_multiplicative_prophet_forecasts_the_monthly_series(self):
        done = self.completed("monthly-prophet")
        fitted = done["model"]["series"][0]
        self.assertIn("yearly", fitted["seasonalities"])
        self.assertNotIn("weekly", fitted["seasonalities"])
        self.assertLess(done["metrics"]["mape"], 15.0)
        self.check_path(done["forecast"][0]["horizon"], 24, with_y=False)

    # -- bad input ---------------------------------------------------------------------------
    def validate(self, cfg):
        return self.server.request("POST", "/api/v1/ml/train/validate", cfg, key=self.acme)

    def test_a_column_without_times_is_refused_at_its_path(self):
        no_series = daily_config("prophet", time_column="store_id")
        del no_series["series_column"]
        self.assertError(self.validate(no_series), 400, "INVALID_CONFIG", "/time_column")
        self.assertError(self.validate(monthly_config("prophet", time_column="passengers")), 400,
                         "INVALID_CONFIG", "/time_column")
        self.assertError(self.validate(daily_config("prophet", time_column="day")), 400,
                         "INVALID_CONFIG", "/time_column")

    def test_a_horizon_below_one_is_refused(self):
        cfg = daily_config("arima")
        cfg["forecast"] = {"horizon": 0}
        self.assertError(self.validate(cfg), 400, "INVALID_CONFIG", "/forecast/horizon")

    def test_too_short_a_history_is_refused(self):
        cfg = monthly_config("arima", hyperparameters={"order": [2, 1, 2], "seasonal_order": [1, 1, 1, 12]})
        cfg["dataset"] = {"source": "sql", "query": "SELECT date, passengers FROM "
                          "ml_features.monthly_passengers ORDER BY date LIMIT 30"}
        cfg["split"] = {"test_size": 6}
        self.assertError(self.validate(cfg), 400, "INVALID_CONFIG", "/hyperparameters/order")
        one = monthly_config("prophet")
        one["dataset"] = {"source": "sql", "query": "SELECT date, passengers FROM "
                          "ml_features.monthly_passengers ORDER BY date LIMIT 3"}
        one["split"] = {"test_size": 2}
        self.assertError(self.validate(one), 400, "INVALID_CONFIG", "/split/test_size")

    def test_irregular_timestamps_without_a_frequency_are_refused(self):
        cfg = monthly_config("prophet")
        # Months, then a stray mid-month timestamp: no regular grid.
        cfg["dataset"] = {"source": "sql", "query":
                          "SELECT date, passengers FROM ml_features.monthly_passengers "
                          "UNION ALL SELECT '2026-01-17', 500.0"}
        r = self.validate(cfg)
        self.assertError(r, 400, "INVALID_CONFIG", "/forecast/frequency")
        self.assertIn("forecast.frequency", r.json()["error"]["details"][0]["message"])

    def test_forecasting_fields_are_refused_for_other_tasks_and_time_splits_enforced(self):
        cfg = daily_config("arima")
        cfg["split"] = {"strategy": "random", "test_size": 0.2}
        self.assertError(self.validate(cfg), 400, "INVALID_CONFIG", "/split/strategy")


if __name__ == "__main__":
    unittest.main()
