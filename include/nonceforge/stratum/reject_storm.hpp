// Reject storms: a session whose shares — every one re-verified locally before it was sent —
// are all refused by the pool (public-pool once answered 972 of them in a row with
// "Difficulty too low (code 23)"). Hashing on into such a session wastes the machine, so the
// transport drops it: first for a fresh session on the same pool, and when that storms too,
// for the next pool (or, alone, after a backoff).
//
// Sans-I/O: the transport feeds every share verdict with its time and gets a decision back;
// tests pass literal time points and need no clock and no socket.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "nonceforge/core/hash256.hpp"
#include "nonceforge/stratum/session_events.hpp"

namespace nonceforge::stratum {

struct RejectStormConfig {
    // This many counted rejects in a row make a storm; 0 switches detection off.
    unsigned consecutive = 10;
    // Or: the current run of rejects has lasted at least `window`, and at least
    // `window_minimum` of its rejects fall within the last `window` (a slow miner, whose ten
    // shares in a row would take many minutes).
    std::chrono::milliseconds window{60'000};
    unsigned window_minimum = 3;
};

// What the transport does about a storm.
enum class StormAction {
    FreshSession, // the first storm: reconnect to the same pool with a new mining.subscribe
    MoveOn,       // another storm with no accepted share since: the next pool, or back off
};

struct RejectStorm {
    StormAction action = StormAction::FreshSession;
    unsigned rejects = 0;                    // in the run that made the storm
    std::map<std::string, unsigned> reasons; // the pool's reasons in that run, with counts
    core::Hash256 last_hash;                 // the last rejected share's (wire order)
    unsigned storms = 0; // storms on this pool without an accepted share between them

    // "Difficulty too low (code 23) x10, Bad ntime x2"
    std::string ReasonsText() const;
};

class RejectStormDetector {
public:
    explicit RejectStormDetector(RejectStormConfig config);

    // One share's verdict. Counted: Rejected. Reset: Accepted (which also forgets earlier
    // storms). Neither: Stale (the session already maps stale-like pool reasons such as
    // "job not found" there) and Lost (no answer from the pool at all). A storm clears the run,
    // so the next one needs a full run again.
    std::optional<RejectStorm> OnVerdict(VerdictKind kind, std::string_view reason,
                                         const core::Hash256& hash, TimePoint now);

    // The transport moved to another pool: earlier storms no longer count.
    void OnPoolChanged();
    // The connection closed for another reason: a run does not carry into the next session.
    void OnDisconnected();

    bool Enabled() const { return m_config.consecutive > 0; }
    unsigned Streak() const { return unsigned(m_run_times.size() + m_run_dropped); }
    unsigned Storms() const { return m_storms; }

private:
    void ClearRun();

    RejectStormConfig m_config;
    std::deque<TimePoint> m_run_times; // of the run's rejects within the last `window`
    std::size_t m_run_dropped = 0;     // rejects of the run older than `window`
    std::optional<TimePoint> m_run_start;
    std::map<std::string, unsigned> m_reasons;
    unsigned m_storms = 0;
};

} // namespace nonceforge::stratum
