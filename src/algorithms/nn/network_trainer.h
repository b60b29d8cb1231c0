// The neural_network Trainer: builds the network for the data, trains it with the chosen
// optimiser and schedule, and returns a NetworkModel.
#pragma once

#include <memory>

#include "algorithms/trainer.h"

namespace traind::algorithms::nn {

std::unique_ptr<Trainer> make_network_trainer();

}  // namespace traind::algorithms::nn
