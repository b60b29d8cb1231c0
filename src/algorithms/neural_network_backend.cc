// Finds and opens libtraind_nn.so once per process.
#include "algorithms/neural_network_backend.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

namespace traind::algorithms {
namespace {

constexpr const char* kModuleFile = "libtraind_nn.so";
constexpr const char* kEntryPoint = "traind_neural_network_backend";

std::string executable_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

// Where the module may be, in the order tried.
std::vector<std::string> candidate_paths() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("TRAIND_NN_MODULE"); env != nullptr && *env != '\0') {
    paths.emplace_back(env);
  }
  if (const std::string dir = executable_dir(); !dir.empty()) {
    paths.push_back(dir + "/" + kModuleFile);
  }
#ifdef TRAIND_NN_BUILD_MODULE
  // Test binaries live in <build>/tests; the module is built into <build>/bin.
  paths.emplace_back(TRAIND_NN_BUILD_MODULE);
#endif
  return paths;
}

Result<const NeuralNetworkBackend*> open_backend() {
  std::string tried;
  for (const std::string& path : candidate_paths()) {
    if (!std::filesystem::exists(path)) {
      tried += (tried.empty() ? "" : ", ") + path + " (absent)";
      continue;
    }
    // RTLD_LOCAL: libtorch's symbols stay private to the module. Never closed: models it
    // made may outlive any owner we could give the handle.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* error = dlerror();
      tried += (tried.empty() ? "" : ", ") + path + " (" + (error ? error : "dlopen failed") + ")";
      continue;
    }
    using Entry = const NeuralNetworkBackend* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, kEntryPoint));
    const NeuralNetworkBackend* backend = entry ? entry() : nullptr;
    if (backend != nullptr) return backend;
    tried += (tried.empty() ? "" : ", ") + path + " (no " + kEntryPoint + ")";
  }
  return Status(ErrorCode::kInternal, "the neural-network module " + std::string(kModuleFile) +
                                          " could not be loaded; tried: " + tried);
}

}  // namespace

Result<const NeuralNetworkBackend*> load_neural_network_backend() {
  // A failure is remembered too: retrying a dlopen that ran out of memory under the
  // job's limit would only fail again.
  static std::once_flag once;
  static Result<const NeuralNetworkBackend*> backend = Status(ErrorCode::kInternal, "not loaded");
  std::call_once(once, [] { backend = open_backend(); });
  return backend;
}

}  // namespace traind::algorithms
