// Signals, handled from the first line of main: SIGINT, SIGTERM and SIGHUP are caught whatever
// disposition the process inherited (a shell script's `cmd &` starts it with SIGINT ignored).
// The handler only writes the signal number into a pipe; one watcher thread reads it and calls
// what the running command asked for. Until a command asks, a stop signal ends the process at
// once with status 128 + signal, and SIGHUP is ignored.
#pragma once

#include <functional>

namespace nonceforge::miner::app {

// Call once, first thing in main. Safe to call again (does nothing).
void InstallSignalHandlers();

// `on_stop(sig)` for SIGINT/SIGTERM; `on_hangup()` for SIGHUP. Called on the watcher thread.
// An empty function restores the default reaction.
void OnStopSignal(std::function<void(int)> on_stop);
void OnHangupSignal(std::function<void()> on_hangup);

} // namespace nonceforge::miner::app
