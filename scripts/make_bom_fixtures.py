#!/usr/bin/python3
r"""Writes tests/fixtures/bom/: Training BOMs (seed 004) as pydantic v2 would dump them.

For each case NAME it writes
  NAME.input.json    the field values (or, for "run" cases, an MLflow run whose BOM the
                     seed's create_training_bom_from_mlflow builds),
  NAME.json          TrainingBOM(...).model_dump_json()          (no trailing newline),
  NAME.indent2.json  TrainingBOM(...).model_dump_json(indent=2)  (no trailing newline).
src/tracking/training_bom_test.cc builds each BOM from its input with traind's code and
compares its dump with these bytes.

pydantic 2 cannot be installed here (no PyPI), so model_dump_json's rules are written out
below, from the sources they come from:
  * pydantic-core src/serializers/type_serializers/float.rs: finite floats go to serde_json's
    serialize_f64; NaN and infinities follow ser_json_inf_nan, default 'null' -> null.
    Fields keep the model's declaration order; dict values are serialized by their Python
    type (str, int, float, bool, None, list, dict), dicts in insertion order.
  * serde_json src/ser.rs: compact form has no spaces ("," and ":"); PrettyFormatter
    (pydantic-core uses it with indent spaces when indent is given) writes "[" / "{", each
    element on its own line after "\n" or ",\n" and the indentation, ": " after a key, and
    the closer on its own line only when the container is not empty ("[]", "{}").
    Strings: '"', '\\', \b \f \n \r \t by name; other chars below U+0020 as \u00xx
    (lowercase hex); everything else raw UTF-8 ('/' and U+007F included).
  * ryu src/pretty/mod.rs (d2s_buffered_n) via serde_json's write_f64 / format_finite:
    shortest round-trip digits (the same digits Python's repr finds), n = their count,
    value = digits * 10^k, kk = n + k:
      0 -> "0.0" / "-0.0";  k >= 0 and kk <= 21 -> digits + zeros + ".0";
      0 < kk <= 21 -> point inside the digits;  -6 < kk <= 0 -> "0." + zeros + digits;
      else "d" or "d.ddd", then "e" and kk - 1 ('-' when negative, no '+', no padding).
  * Python's int is written in decimal; bool as true/false; None as null.
Validation (required fields, defaults, types) uses the seed's model under pydantic 1.10
(Debian's python3-pydantic) when it is installed, and a check that nothing was coerced,
since pydantic 2 in strict terms would refuse what 1.10 silently converts.

Run: /usr/bin/python3 scripts/make_bom_fixtures.py   (from the repository root)
"""

import json
import math
import os
import sys
from typing import Dict, List

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "bom")

try:
    from pydantic import BaseModel

    class TrainingBOM(BaseModel):
        """
        Represent a Bill of Materials for model training.
        """

        class DatasetInfo(BaseModel):
            origin: str
            size: int = 0

        class FeatureInfo(BaseModel):
            original_features: List[str] = []
            selected_features: List[str] = []

        class ModelInfo(BaseModel):
            type: str
            architecture: str

        id: str
        start_time: str
        end_time: str
        dataset_info: DatasetInfo
        feature_info: FeatureInfo
        model_info: ModelInfo
        mlflow_params: Dict
        mlflow_metrics: Dict

except ImportError:  # pragma: no cover - the fixtures are then built without pydantic
    TrainingBOM = None

FIELD_ORDER = {
    None: ["id", "start_time", "end_time", "dataset_info", "feature_info", "model_info",
           "mlflow_params", "mlflow_metrics"],
    "dataset_info": ["origin", "size"],
    "feature_info": ["original_features", "selected_features"],
    "model_info": ["type", "architecture"],
}
DEFAULTS = {"dataset_info": {"size": 0},
            "feature_info": {"original_features": [], "selected_features": []}}


def ryu_float(value: float) -> str:
    """A finite float laid out as ryu's format_finite does (see the header)."""
    if value == 0.0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    text = repr(value)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    mantissa, _, exp_text = text.partition("e")
    exponent = int(exp_text) if exp_text else 0
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    exponent -= len(frac)  # value = int(whole + frac) * 10^exponent
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    digits = stripped
    n = len(digits)
    k = exponent
    kk = n + k
    if k >= 0 and kk <= 21:
        body = digits + "0" * k + ".0"
    elif 0 < kk <= 21:
        body = digits[:kk] + "." + digits[kk:]
    elif -6 < kk <= 0:
        body = "0." + "0" * (-kk) + digits
    else:
        body = digits[0] + ("." + digits[1:] if n > 1 else "") + "e" + str(kk - 1)
    return sign + body


NAMED_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                 "\t": "\\t"}


def json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in NAMED_ESCAPES:
            out.append(NAMED_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dump(value, indent=None, depth=0) -> str:
    """serde_json's writer with pydantic-core's value rules (see the header)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ryu_float(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, dict):
        items = [json_string(k) + (":" if indent is None else ": ") + dump(v, indent, depth + 1)
                 for k, v in value.items()]
        return container("{", "}", items, indent, depth)
    if isinstance(value, (list, tuple)):
        return container("[", "]", [dump(v, indent, depth + 1) for v in value], indent, depth)
    raise TypeError("no JSON form for %r" % (value,))


def container(open_, close, items, indent, depth):
    if not items:
        return open_ + close
    if indent is None:
        return open_ + ",".join(items) + close
    inner = "\n" + " " * (indent * (depth + 1))
    return open_ + inner + ("," + inner).join(items) + "\n" + " " * (indent * depth) + close


def validated(fields: dict) -> dict:
    """The model's values, defaults filled, in field order; refuses what pydantic refuses."""
    if TrainingBOM is not None:
        model = TrainingBOM(**fields)
        values = model.dict()
    else:
        values = {}
        for key in FIELD_ORDER[None]:
            values[key] = fields[key]  # KeyError = "Field required"
        for sub, defaults in DEFAULTS.items():
            values[sub] = {**defaults, **values[sub]}
    ordered = {}
    for key in FIELD_ORDER[None]:
        value = values[key]
        if key in FIELD_ORDER:
            value = {k: value[k] for k in FIELD_ORDER[key]}
        ordered[key] = value
    check_not_coerced(fields, ordered)
    return ordered


def check_not_coerced(given, result, path=""):
    """pydantic 1.10 converts 1 -> "1" for a str field; strict pydantic 2 would refuse."""
    if isinstance(given, dict) and isinstance(result, dict):
        for key, value in given.items():
            if key in result:
                check_not_coerced(value, result[key], path + "/" + key)
        return
    if type(given) is not type(result) or given != result:
        if not (isinstance(given, float) and math.isnan(given)):
            raise ValueError("%s: %r was coerced to %r" % (path, given, result))


def bom_from_run(run: dict) -> dict:
    """The seed's create_training_bom_from_mlflow over a run given as plain data."""
    params = {p["key"]: p["value"] for p in run["params"]}
    metrics = {m["key"]: float(m["value"]) for m in run["metrics"]}
    return dict(
        id=f"mlflow-{run['run_id']}",
        start_time=str(run["start_time"]),
        end_time=str(run.get("end_time")),
        dataset_info=dict(origin=params.get("dataset_path", "unknown"),
                          size=int(params.get("dataset_size", 0))),
        feature_info=dict(
            original_features=params.get("original_features", "").split(",")
            if params.get("original_features") else [],
            selected_features=params.get("selected_features", "").split(",")
            if params.get("selected_features") else []),
        model_info=dict(type=params.get("model_type", "unknown"),
                        architecture=params.get("model_architecture", "unknown")),
        mlflow_params=params,
        mlflow_metrics=metrics,
    )


CASES = {
    # The seed's "Basic Training BOM Creation", with fixed isoformat() times.
    "seed_basic": dict(
        id="training-run-2024-09-05-001",
        start_time="2024-09-05T10:15:30.123456",
        end_time="2024-09-05T10:47:02.654321",
        dataset_info=dict(origin="s3://ml-data-bucket/training-data-v2.0.parquet", size=1500000),
        feature_info=dict(
            original_features=["age", "income", "credit_score", "employment_years", "debt_ratio"],
            selected_features=["age", "income", "credit_score", "employment_years"]),
        model_info=dict(type="RandomForestClassifier", architecture="ensemble_tree_based"),
        mlflow_params={"n_estimators": 100, "max_depth": 10, "min_samples_split": 2,
                       "random_state": 42},
        mlflow_metrics={"accuracy": 0.87, "precision": 0.84, "recall": 0.89, "f1_score": 0.86,
                        "auc_roc": 0.91},
    ),
    # The seed's TrainingWorkflowTracker example (traind writes aware UTC times).
    "seed_tracker": dict(
        id="fraud-detection-v3.2",
        start_time="2026-11-23T17:40:15.123000+00:00",
        end_time="2026-11-23T17:52:01+00:00",
        dataset_info=dict(origin="s3://fraud-data/transactions-2024.parquet", size=2500000),
        feature_info=dict(
            original_features=["amount", "merchant", "timestamp", "location", "card_type",
                               "user_age"],
            selected_features=["amount", "merchant", "timestamp", "location"]),
        model_info=dict(type="GradientBoostingClassifier", architecture="tree_ensemble"),
        mlflow_params={"n_estimators": 200, "learning_rate": 0.1, "max_depth": 8},
        mlflow_metrics={"accuracy": 0.94, "precision": 0.91, "recall": 0.96},
    ),
    # The seed's MLflow example: a finished run with two params and one metric.
    "seed_mlflow_run": {"run": dict(
        run_id="5f2c8e1a9b7d4c3e8f6a0b1c2d3e4f5a", start_time=1725531330123,
        end_time=1725531391456,
        params=[{"key": "dataset_path", "value": "s3://bucket/data.parquet"},
                {"key": "model_type", "value": "XGBoostClassifier"}],
        metrics=[{"key": "accuracy", "value": 0.92}])},
    # A run still going (end_time None) that names every param the seed reads.
    "run_all_params": {"run": dict(
        run_id="train-3f9a0c51d2e4b7a8", start_time=1795000000000,
        params=[{"key": "model_architecture", "value": "gbdt"},
                {"key": "dataset_path", "value": "tenants/t1/datasets/iris.csv"},
                {"key": "dataset_size", "value": "150"},
                {"key": "original_features", "value": "a,b,,c"},
                {"key": "selected_features", "value": ""},
                {"key": "model_type", "value": "gradient_boosting"}],
        metrics=[{"key": "accuracy", "value": 1.0}, {"key": "log_loss", "value": 1e-07},
                 {"key": "rmse", "value": 0.30000000000000004}])},
    # Only what the model requires: the defaults fill the rest.
    "defaults_only": dict(
        id="d", start_time="", end_time="",
        dataset_info=dict(origin="unknown"), feature_info={},
        model_info=dict(type="unknown", architecture="unknown"),
        mlflow_params={}, mlflow_metrics={}),
    "unicode_escapes": dict(
        id="quote\" backslash\\ slash/ </script>",
        start_time="tab\tnl\ncr\rbs\bff\f",
        end_time="ctl\x01\x1f del\x7f",
        dataset_info=dict(origin="s3://données/数据集 🚀.parquet", size=-1),
        feature_info=dict(original_features=["ä", "\u2028", "e\u0301"], selected_features=[""]),
        model_info=dict(type="Ωmega", architecture="\x00nul"),
        mlflow_params={"clé": "valeur\"", "emoji 😀": "\U0001F600", "": "empty key"},
        mlflow_metrics={"naïve": 0.5}),
    "float_edges": dict(
        id="floats", start_time="0", end_time="1",
        dataset_info=dict(origin="x", size=9223372036854775807),
        feature_info={}, model_info=dict(type="t", architecture="a"),
        mlflow_params={},
        mlflow_metrics={
            "zero": 0.0, "neg_zero": -0.0, "one": 1.0, "tenth": 0.1, "sum": 0.30000000000000004,
            "e_minus5": 1e-05, "e_minus6": 1e-06, "e_minus7": 1e-07, "e_minus4": 0.0001,
            "small": 1.5e-07, "e15": 1e15, "e16": 1e16, "e20_half": 1.5e20, "e20": 1e20,
            "e21": 1e21, "e22": 1e22, "big_digits": 1.2345678901234568e20,
            "int_like": 123456789012345.0, "hundred": 100.0, "neg": -2.5,
            "max": 1.7976931348623157e308, "min_normal": 2.2250738585072014e-308,
            "min_sub": 5e-324, "third": 1 / 3, "pi": 3.141592653589793, "e100": 1e100,
            "neg_small": -1.25e-10, "kk21": 123456789012345678901.0,
        }),
    "ints_vs_floats": dict(
        id="ints", start_time="s", end_time="e",
        dataset_info=dict(origin="o", size=0), feature_info={},
        model_info=dict(type="t", architecture="a"),
        mlflow_params={"int": 1, "float": 1.0, "string": "1", "bool": True, "false": False,
                       "none": None, "neg": -42, "int64_max": 9223372036854775807,
                       "int64_min": -9223372036854775808, "uint64_max": 18446744073709551615,
                       "two53": 9007199254740993},
        mlflow_metrics={"int_metric": 3, "float_metric": 3.0}),
    "nested_values": dict(
        id="nested", start_time="s", end_time="e",
        dataset_info=dict(origin="o", size=3),
        feature_info=dict(original_features=["a", "b"], selected_features=["b"]),
        model_info=dict(type="t", architecture="a"),
        mlflow_params={"layers": [64, 32, {"dropout": 0.5, "act": "relu"}], "empty_list": [],
                       "empty_dict": {}, "deep": {"a": {"b": {"c": [[], [{}], [1.5e300]]}}},
                       "zeta": 1, "alpha": 2},
        mlflow_metrics={"per_class": {"setosa": 1.0, "versicolor": 0.94}}),
}


def main() -> int:
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, given in CASES.items():
        fields = bom_from_run(given["run"]) if "run" in given else given
        values = validated(fields)
        files = {
            name + ".input.json": json.dumps(given, ensure_ascii=False, indent=1) + "\n",
            name + ".json": dump(values),
            name + ".indent2.json": dump(values, indent=2),
        }
        for file_name, text in files.items():
            with open(os.path.join(OUT_DIR, file_name), "w", encoding="utf-8", newline="") as f:
                f.write(text)
    print("wrote %d cases to %s" % (len(CASES), os.path.normpath(OUT_DIR)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
