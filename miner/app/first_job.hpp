// Connects to a pool just long enough to receive its first job (for `profit --from-pool`).
#pragma once

#include <memory>
#include <string>

#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/client.hpp"

namespace nonceforge::miner::app {

core::Expected<std::shared_ptr<const core::Job>, std::string>
FetchFirstJob(const std::string& url, const std::string& user, const std::string& password,
              const stratum::TlsOptions& tls, double timeout_seconds);

} // namespace nonceforge::miner::app
