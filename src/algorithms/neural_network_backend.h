// NeuralNetworkBackend: the libtorch half of the neural_network algorithm.
//
// libtorch is heavy: ~290 shared libraries and about a second to load. It lives in its
// own module, libtraind_nn.so (src/algorithms/nn/), which this layer opens the first time
// a neural network is trained or loaded, so the server, the workers of other algorithms
// and every test binary that never touches a network pay nothing for it.
// The module is built from this code base by the same compiler; the interface passes
// C++ types, and no exception crosses it (errors are Status values).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "algorithms/trainer.h"
#include "core/status.h"

namespace traind::algorithms {

class NeuralNetworkBackend {
 public:
  virtual ~NeuralNetworkBackend() = default;
  virtual std::unique_ptr<Trainer> make_trainer() const = 0;
  // Loads what Model::save wrote into `dir`; `meta` is what Model::metadata gave.
  virtual Result<std::unique_ptr<Model>> load_model(const std::string& dir,
                                                    const nlohmann::json& meta) const = 0;
  // e.g. "libtorch 1.13.1, sentencepiece 0.1.97", for the job's record.
  virtual std::string library_versions() const = 0;
};

// Opens libtraind_nn.so once per process (later calls return the same backend). Looks in
// $TRAIND_NN_MODULE when set, then beside the running executable, then in the build tree
// this code was compiled in. kInternal naming the paths tried when none loads.
Result<const NeuralNetworkBackend*> load_neural_network_backend();

}  // namespace traind::algorithms

// The module's one exported symbol.
extern "C" const traind::algorithms::NeuralNetworkBackend* traind_neural_network_backend();
