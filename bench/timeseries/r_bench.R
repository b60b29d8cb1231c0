# R baseline of the time-series benchmark (spec A.10, B.8 "Speed"), on the same CSV files as
# ts_bench (run_timeseries_bench.py runs both):
#   arima    stats::arima with its defaults (method "CSS-ML") for the ARIMA/SARIMA cases;
#            statsmodels' trend "c" is R's include.mean (the same model, mean instead of
#            intercept), "ct" adds xreg = time index, exog columns go to xreg;
#   auto     forecast::auto.arima(x) with its defaults on the order-selection series of A.10;
#   prophet  prophet(df, ...) elapsed, in this warm process (package and compiled Stan model
#            loaded, one warm-up fit), with the fixtures' settings (make_prophet_fixtures.R);
#   predict  predict(m, df) with the default 1000 uncertainty samples, history + future rows.
# Each case: one warm-up, then the median of `repeats` timed runs (fewer once `budget_s` is
# spent, never fewer than 3). One JSON line per case on stdout.
#
#   Rscript bench/timeseries/r_bench.R ROOT REPEATS [SECTIONS] [BUDGET_S] [CASES]
#     ROOT = bench/timeseries, SECTIONS = arima,auto,prophet,predict (comma list),
#     CASES = comma list of case names (default: all)
suppressPackageStartupMessages({
  library(jsonlite)
  library(forecast)
  library(prophet)
})

args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) >= 1) args[1] else "bench/timeseries"
repeats <- if (length(args) >= 2) as.integer(args[2]) else 10L
sections <- if (length(args) >= 3) strsplit(args[3], ",")[[1]] else
  c("arima", "auto", "prophet", "predict")
budget_s <- if (length(args) >= 4) as.numeric(args[4]) else Inf
cases_wanted <- if (length(args) >= 5 && nzchar(args[5])) strsplit(args[5], ",")[[1]] else NULL
wanted <- function(name) is.null(cases_wanted) || name %in% cases_wanted

time_runs <- function(work) {
  work()  # warm-up
  seconds <- c()
  for (r in seq_len(repeats)) {
    t0 <- proc.time()[["elapsed"]]
    work()
    seconds <- c(seconds, proc.time()[["elapsed"]] - t0)
    if (sum(seconds) > budget_s && length(seconds) >= 3) break
  }
  list(median_s = median(seconds), min_s = min(seconds), runs = length(seconds))
}

emit <- function(line, timing) {
  line <- c(list(tool = "R"), line, timing)
  cat(toJSON(line, auto_unbox = TRUE, digits = NA), "\n", sep = "")
  flush(stdout())
}

s <- "fixtures/sarimax/series/"
arima_cases <- list(
  list(name = "1_log_air_airline", file = paste0(s, "log_air_passengers.csv"),
       order = c(0, 1, 1), seasonal = c(0, 1, 1), period = 12, trend = "n"),
  list(name = "2_air_211_010", file = paste0(s, "air_passengers.csv"),
       order = c(2, 1, 1), seasonal = c(0, 1, 0), period = 12, trend = "n"),
  list(name = "3_arma21_c", file = paste0(s, "simulated_arma21.csv"),
       order = c(2, 0, 1), seasonal = c(0, 0, 0), period = NA, trend = "c"),
  list(name = "4_wwwusage_111", file = paste0(s, "wwwusage.csv"),
       order = c(1, 1, 1), seasonal = c(0, 0, 0), period = NA, trend = "n"),
  list(name = "5_lake_huron_100_ct", file = paste0(s, "lake_huron.csv"),
       order = c(1, 0, 0), seasonal = c(0, 0, 0), period = NA, trend = "ct"),
  list(name = "6_regression_sarma_c", file = paste0(s, "simulated_regression_sarma.csv"),
       order = c(1, 0, 1), seasonal = c(1, 0, 0), period = 4, trend = "c",
       exog = c("x1", "x2")),
  list(name = "sim_sarima_111_101_24_n5000", file = "data/sarima_111_101_24_n5000.csv",
       order = c(1, 1, 1), seasonal = c(1, 0, 1), period = 24, trend = "n")
)

if ("arima" %in% sections) {
  for (case in arima_cases) {
    if (!wanted(case$name)) next
    df <- read.csv(file.path(root, case$file))
    y <- df$y
    xreg <- if (!is.null(case$exog)) as.matrix(df[, case$exog]) else NULL
    if (case$trend == "ct") xreg <- cbind(xreg, time = seq_along(y))
    seasonal <- if (is.na(case$period)) list(order = case$seasonal) else
      list(order = case$seasonal, period = case$period)
    include_mean <- case$trend %in% c("c", "ct")
    fit <- function() stats::arima(y, order = case$order, seasonal = seasonal, xreg = xreg,
                                   include.mean = include_mean)
    result <- fit()
    timing <- time_runs(fit)
    emit(list(section = "arima", case = case$name, n = length(y), llf = result$loglik,
              params = unname(result$coef), param_names = names(result$coef),
              sigma2 = result$sigma2, converged = result$code == 0), timing)
  }
}

auto_series <- c("AirPassengers", "log_AirPassengers", "USAccDeaths", "UKgas", "WWWusage",
                 "Nile", "LakeHuron", "lynx", "nottem", "co2", "sunspot_year",
                 "Seatbelts_DriversKilled")
if ("auto" %in% sections) {
  reference <- fromJSON(file.path(root, "fixtures/auto_arima/reference.json"))
  for (name in auto_series) {
    if (!wanted(name)) next
    ref <- reference[[name]]
    df <- read.csv(file.path(root, "fixtures/auto_arima", ref$file))
    y <- ts(df$y, frequency = ref$frequency)
    xreg <- if (length(ref$exog) > 0) as.matrix(df[, ref$exog, drop = FALSE]) else NULL
    fit <- function() if (is.null(xreg)) auto.arima(y) else auto.arima(y, xreg = xreg)
    result <- fit()
    timing <- time_runs(fit)
    a <- result$arma  # p, q, P, Q, m, d, D
    emit(list(section = "auto", case = name, n = length(y),
              order = c(a[1], a[6], a[2], a[3], a[7], a[4], a[5]),
              constant = any(names(result$coef) %in% c("intercept", "drift")),
              aicc = result$aicc), timing)
  }
}

prophet_cases <- c("daily", "air_passengers", "logistic", "regressors", "short", "holidays")
if (any(c("prophet", "predict") %in% sections)) {
  for (name in prophet_cases) {
    if (!wanted(name)) next
    df <- read.csv(file.path(root, "fixtures/prophet", paste0(name, ".csv")))
    df$ds <- as.POSIXct(df$ds, tz = "GMT")
    ref <- fromJSON(file.path(root, "fixtures/prophet", paste0(name, ".json")),
                    simplifyVector = FALSE)
    holidays <- NULL
    if (length(ref$holidays) > 0) {
      h <- ref$holidays
      holidays <- data.frame(
        holiday = sapply(h, function(x) x$holiday),
        ds = as.Date(as.POSIXct(sapply(h, function(x) x$ds), origin = "1970-01-01", tz = "GMT")),
        lower_window = sapply(h, function(x) x$lower_window),
        upper_window = sapply(h, function(x) x$upper_window),
        prior_scale = sapply(h, function(x) x$prior_scale))
    }
    regressors <- lapply(ref$extra_regressors, function(r) r$standardize)
    names(regressors) <- sapply(ref$extra_regressors, function(r) r$name)
    # prophet(df, ...) when the model has no regressors (the call the spec times); with
    # regressors Prophet needs add_regressor before fitting, so that case times fit.prophet.
    fit <- function() {
      if (length(regressors) == 0) {
        return(prophet(df, growth = ref$growth, seasonality.mode = ref$seasonality_mode,
                       holidays = holidays))
      }
      m <- prophet(growth = ref$growth, seasonality.mode = ref$seasonality_mode,
                   holidays = holidays, fit = FALSE)
      for (r in names(regressors)) m <- add_regressor(m, r, standardize = regressors[[r]])
      fit.prophet(m, df)
    }
    model <- suppressMessages(fit())
    n_history <- sum(!is.na(df$y))
    if ("prophet" %in% sections) {
      # Stan's objective at every timed fit: R's optimum is not the same from run to run.
      stan_values <- c()
      timing <- suppressMessages(time_runs(function() {
        m <- fit()
        stan_values <<- c(stan_values, m$stan.fit$value)
      }))
      fcst <- predict(model, df)
      emit(list(section = "prophet", case = name, n = n_history, yhat = fcst$yhat,
                stan_value = model$stan.fit$value, return_code = model$stan.fit$return_code,
                stan_values = stan_values),
           timing)
    }
    if ("predict" %in% sections) {
      fcst <- NULL
      timing <- time_runs(function() fcst <<- predict(model, df))
      emit(list(section = "predict", case = name, n = nrow(df),
                samples = model$uncertainty.samples, yhat_lower = fcst$yhat_lower,
                yhat_upper = fcst$yhat_upper), timing)
    }
  }
}
