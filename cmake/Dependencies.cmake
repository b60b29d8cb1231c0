# Every dependency comes from a Debian package (scripts/install-deps.sh installs them).
# Notes on each package's quirks are in docs/ARCHITECTURE.md ("Dependencies").

find_package(Threads REQUIRED)
# OpenMP (GCC's libgomp, which libxgboost already uses): the standby worker sets its thread
# count once it knows its job.
find_package(OpenMP REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
# yaml-cpp (trainctl reads YAML job files): Debian's 0.7 config names the target `yaml-cpp`.
find_package(yaml-cpp CONFIG REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
# NLopt installs two configs; plain find_package(NLopt) finds the C library. Take the C++ one.
find_package(NLopt CONFIG REQUIRED PATHS /usr/lib/x86_64-linux-gnu/cmake/nlopt_cxx NO_DEFAULT_PATH)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(GTest CONFIG REQUIRED)
include(GoogleTest)
find_package(benchmark CONFIG QUIET)

# valijson: header-only; Debian installs a config with target `valijson` (no namespace).
find_package(valijson CONFIG QUIET)
if(NOT TARGET valijson)
  find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp REQUIRED)
  add_library(valijson INTERFACE IMPORTED)
  target_include_directories(valijson INTERFACE ${VALIJSON_INCLUDE_DIR})
endif()

# libxgboost-dev's CMake config refers to /usr/bin/xgboost from another package and its
# .pc file has a wrong libdir, so import the C API by hand.
find_path(XGBOOST_INCLUDE_DIR xgboost/c_api.h REQUIRED)
find_library(XGBOOST_LIBRARY xgboost REQUIRED)
add_library(xgboost_c INTERFACE IMPORTED)
target_include_directories(xgboost_c INTERFACE ${XGBOOST_INCLUDE_DIR})
target_link_libraries(xgboost_c INTERFACE ${XGBOOST_LIBRARY})

# liblinear ships neither CMake nor pkg-config files.
find_path(LIBLINEAR_INCLUDE_DIR linear.h PATH_SUFFIXES liblinear REQUIRED)
find_library(LIBLINEAR_LIBRARY linear REQUIRED)
add_library(liblinear INTERFACE IMPORTED)
target_include_directories(liblinear INTERFACE ${LIBLINEAR_INCLUDE_DIR})
target_link_libraries(liblinear INTERFACE ${LIBLINEAR_LIBRARY})
