#include "miner/app/signals.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace nonceforge::miner::app {

namespace {

// The one piece of process-wide state: a signal handler can reach nothing else.
int g_pipe_write = -1;

struct Reactions {
    std::mutex mutex;
    std::function<void(int)> on_stop;
    std::function<void()> on_hangup;
};

Reactions& TheReactions() {
    static Reactions r;
    return r;
}

extern "C" void OnSignal(int sig) {
    const int saved = errno;
    const unsigned char byte = static_cast<unsigned char>(sig);
    // A full pipe (hundreds of unread signals) drops this one: there are enough queued.
    [[maybe_unused]] const auto n = ::write(g_pipe_write, &byte, 1);
    errno = saved;
}

void Watch(int read_fd) {
    for (;;) {
        unsigned char byte = 0;
        const ssize_t n = ::read(read_fd, &byte, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n != 1) {
            return;
        }
        const int sig = byte;
        std::function<void(int)> on_stop;
        std::function<void()> on_hangup;
        {
            std::lock_guard lock(TheReactions().mutex);
            on_stop = TheReactions().on_stop;
            on_hangup = TheReactions().on_hangup;
        }
        if (sig == SIGHUP) {
            if (on_hangup) {
                on_hangup();
            }
            continue;
        }
        if (on_stop) {
            on_stop(sig);
        } else {
            std::fprintf(stderr, "nonceforge: stopped by %s\n",
                         sig == SIGINT ? "SIGINT" : "SIGTERM");
            std::_Exit(128 + sig);
        }
    }
}

} // namespace

void InstallSignalHandlers() {
    static std::once_flag once;
    std::call_once(once, [] {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            std::fprintf(stderr, "nonceforge: cannot create the signal pipe: %s\n",
                         std::strerror(errno));
            return;
        }
        ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
        g_pipe_write = fds[1];
        struct sigaction sa {};
        sa.sa_handler = OnSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
            ::sigaction(sig, &sa, nullptr);
        }
        // Lives as long as the process: it only ever waits on the pipe.
        std::thread(Watch, fds[0]).detach();
    });
}

void OnStopSignal(std::function<void(int)> on_stop) {
    std::lock_guard lock(TheReactions().mutex);
    TheReactions().on_stop = std::move(on_stop);
}

void OnHangupSignal(std::function<void()> on_hangup) {
    std::lock_guard lock(TheReactions().mutex);
    TheReactions().on_hangup = std::move(on_hangup);
}

} // namespace nonceforge::miner::app
