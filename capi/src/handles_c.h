// handles_c.h: the C handles that wrap core objects. sluice_batch is defined
// by the core itself (core/engine/batch.h) since push-mode workers create it.
#pragma once

#include <memory>

#include "core/config/config.h"
#include "core/engine/batch.h"
#include "core/engine/engine.h"
#include "sluice.h"

struct sluice_conf {
  sluice::config::Config cfg;
  sluice_handler_fn handler = nullptr;
  void* opaque = nullptr;
};

struct sluice_engine {
  std::unique_ptr<sluice::engine::Engine> impl;
};
