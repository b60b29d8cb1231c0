// How traind's job values become MLflow run data: params as the strings an MLflow client
// would have logged, metrics flattened to numbers, and the dataset's origin as a URI.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace traind::tracking {

// The string MLflow's Python client stores for a param value: Python's str() of the value
// as json.loads would give it (100 -> "100", 0.1 -> "0.1", true -> "True", null -> "None",
// [64, 32] -> "[64, 32]", {"a": "b"} -> "{'a': 'b'}"), so that a run logged by traind reads
// like one logged from Python.
std::string python_str(const nlohmann::json& value);

// Python's repr() of the value (strings quoted: 'a'), and of bytes (b'...'), for messages
// that must read like MLflow's.
std::string python_repr(const nlohmann::json& value);
std::string python_bytes_repr(const std::string& bytes);

// A job's metrics flattened to (key, number) in the object's key order: nested objects and arrays
// join their keys with '.' ("confusion_matrix.0.1", "per_class.1.recall"); strings, booleans
// and nulls are left out.
std::vector<std::pair<std::string, double>> flatten_metrics(const nlohmann::json& metrics);

// Where a job's data came from, naming the tenant, the source and the query and never a
// credential: "sql://acme-corp/?query=SELECT%20%2A%20FROM%20ml_features.customer_churn".
std::string dataset_origin(const std::string& tenant, const std::string& source,
                           const std::string& query);

}  // namespace traind::tracking
