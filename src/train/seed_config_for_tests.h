// The seed's example training configuration, verbatim, for the train layer's tests.
#pragma once

namespace traind::train::testing {

inline constexpr const char* kSeedConfig = R"({
"name": "churn-predictor-v2",
"algorithm": "xgboost",
"task_type": "classification",
"dataset": {
"source": "sql",
"query": "SELECT * FROM ml_features.customer_churn",
"tenant_id": "acme-corp"
},
"target_column": "churned",
"feature_columns": ["tenure", "monthly_charges", "total_charges"],
"split": {
"strategy": "stratified",
"test_size": 0.2,
"random_state": 42
},
"hyperparameters": {
"n_estimators": 100,
"max_depth": 6,
"learning_rate": 0.1
}
})";

}  // namespace traind::train::testing
