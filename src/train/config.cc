// Placeholder until the configuration schema lands.
#include "train/config.h"
