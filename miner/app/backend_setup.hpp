// The hashing backends of `nonceforge mine`: the CPU path that passes its self-test on this CPU
// (one backend per thread) and, when built with CUDA, every GPU that passes its own.
#pragma once

#include <string>

#include "miner/app/mine_options.hpp"
#include "miner/app/pool_setup.hpp"
#include "miner/dispatcher.hpp"

namespace nonceforge::miner::app {

// Adds the backends `o` asks for to `dispatcher` and logs what was chosen and what failed.
// Returns an empty string, or why mining cannot start (no usable CPU path, no backend at all).
std::string AddBackends(const BackendOptions& o, miner::Dispatcher& dispatcher, const LogFn& log);

} // namespace nonceforge::miner::app
