# ranger side of the tree benchmark: R's ranger (r-cran-ranger 0.14) on a data set from
# make_data.py, in its own process. Prints one JSON line like forest_bench.
#
#   Rscript bench/trees/ranger_bench.R DIR/clf THREADS TREES REPEATS OOB PRED_OUT
#
# Settings (spec §B.7 mapping to scikit-learn's defaults): num.trees = TREES, mtry =
# floor(sqrt(p)) for classification and p for regression (ranger's own default is floor(sqrt(p))
# for both), replace = TRUE, sample.fraction = 1, min.node.size = 1 (a node of in-bag size <= 1
# is not split, ~ scikit-learn's min_samples_split = 2, for both tasks), probability = TRUE for
# classification (averaged class probabilities as scikit-learn, for AUC; a plain classification
# forest votes), oob.error = OOB (scikit-learn computes no OOB score by default), seed 0.
suppressPackageStartupMessages(library(ranger))

args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
threads <- as.integer(args[2])
trees <- as.integer(args[3])
repeats <- as.integer(args[4])
oob <- as.integer(args[5]) != 0
pred_out <- if (length(args) >= 6) args[6] else ""

header_text <- paste(readLines(file.path(dir, "header.json")), collapse = "")
field <- function(name) {
  as.numeric(sub(paste0('.*"', name, '": *([0-9]+).*'), "\\1", header_text))
}
task <- sub('.*"task": *"([a-z]+)".*', "\\1", header_text)
cols <- field("cols")
n_train <- field("n_train")
n_test <- field("n_test")
read_f32 <- function(name, n) {
  con <- file(file.path(dir, name), "rb")
  on.exit(close(con))
  readBin(con, what = "numeric", n = n, size = 4, endian = "little")
}
# Row-major on disk: fill by row.
x_train <- matrix(read_f32("x_train.f32", n_train * cols), nrow = n_train, byrow = TRUE)
x_test <- matrix(read_f32("x_test.f32", n_test * cols), nrow = n_test, byrow = TRUE)
colnames(x_train) <- colnames(x_test) <- paste0("f", seq_len(cols) - 1)
y_train <- read_f32("y_train.f32", n_train)
clf <- task == "clf"
if (clf) y_train <- factor(y_train, levels = c(0, 1))
mtry <- if (clf) floor(sqrt(cols)) else cols

status_mib <- function(field) {
  lines <- readLines("/proc/self/status")
  line <- lines[startsWith(lines, paste0(field, ":"))]
  as.numeric(strsplit(trimws(sub(".*:", "", line)), " +")[[1]][1]) / 1024
}
data_mib <- status_mib("VmRSS")

fit_runs <- c()
predict_runs <- c()
oob_score <- NA
for (r in seq_len(repeats)) {
  t0 <- proc.time()[["elapsed"]]
  model <- ranger(x = x_train, y = y_train, num.trees = trees, mtry = mtry, replace = TRUE,
                  sample.fraction = 1, min.node.size = 1, probability = clf,
                  num.threads = threads, oob.error = oob, seed = 0, verbose = FALSE)
  fit_runs <- c(fit_runs, proc.time()[["elapsed"]] - t0)
  if (oob) {
    oob_score <- if (clf) 1 - model$prediction.error else model$r.squared
  }
  t0 <- proc.time()[["elapsed"]]
  p <- predict(model, data = x_test, num.threads = threads, verbose = FALSE)$predictions
  predict_runs <- c(predict_runs, proc.time()[["elapsed"]] - t0)
  pred <- if (clf) p[, "1"] else p
  rm(model)
  invisible(gc())
}
if (nchar(pred_out) > 0) {
  con <- file(pred_out, "wb")
  writeBin(as.numeric(pred), con, size = 8, endian = "little")
  close(con)
}
# prediction.error of a probability forest is the Brier score, not 1 - accuracy: leave the
# classification OOB figure out rather than mislabel it.
oob_text <- if (is.na(oob_score) || clf) "null" else sprintf("%.6f", oob_score)
cat(sprintf(paste0(
  '{"tool": "ranger", "ranger": "%s", "task": "%s", "threads": %d, "repeats": %d, ',
  '"fit_s": %.6f, "fit_runs_s": [%s], "predict_s": %.6f, "data_loaded_mib": %.3f, ',
  '"peak_rss_mib": %.3f, "mtry": %d, "oob_score": %s}\n'),
  as.character(packageVersion("ranger")), task, threads, repeats, median(fit_runs),
  paste(sprintf("%.6f", fit_runs), collapse = ", "), median(predict_runs), data_mib,
  status_mib("VmHWM"), mtry, oob_text))
