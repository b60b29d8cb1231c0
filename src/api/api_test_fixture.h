// ApiFixture: a real JobService in a fresh data directory and an Api over it, for the api
// layer's tests. The worker is /bin/false: jobs are accepted but never train.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "api/api.h"
#include "core/ids.h"
#include "jobs/job_service.h"

namespace traind::api {

class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override { open_api(ApiOptions{}); }
  void TearDown() override {
    if (service_) service_->shutdown();
    api_.reset();
    service_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Opens the service and the Api with `options` (call from SetUp).
  void open_api(ApiOptions options) {
    dir_ = std::filesystem::temp_directory_path() / ("traind-api-test-" + random_hex(6));
    std::filesystem::create_directories(dir_);
    jobs::JobServiceOptions opts;
    opts.data_dir = dir_.string();
    opts.worker_binary = "/bin/false";
    jobs::BootstrapReport report;
    auto service = jobs::JobService::open(opts, &report);
    ASSERT_TRUE(service.is_ok()) << service.status().to_string();
    service_ = std::move(service).value();
    admin_key_ = report.admin_key;
    acme_key_ = report.demo_tenant_key;
    ASSERT_FALSE(acme_key_.empty());
    api_ = std::make_unique<Api>(*service_, std::move(options));
  }

  std::filesystem::path dir_;
  std::unique_ptr<jobs::JobService> service_;
  std::unique_ptr<Api> api_;
  std::string admin_key_;
  std::string acme_key_;
};

}  // namespace traind::api
