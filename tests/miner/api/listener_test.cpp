// The API listener on loopback: the accept back-off (sans-I/O, then a real accept failing for
// want of file descriptors), an exception from a connection's coroutine logged rather than
// lost, and Join returning once Stop has ended every coroutine. Every wait is bounded.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "miner/api/listener.hpp"
#include "support/process_stats.hpp"

using namespace nonceforge;

using namespace nonceforge::miner::api;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);

// Reads a line; "throw" makes the coroutine throw, anything else is answered with "ok".
asio::awaitable<void> EchoOk(boost::beast::tcp_stream& stream) {
    std::string buf;
    auto [ec, n] =
        co_await asio::async_read_until(stream, asio::dynamic_buffer(buf), '\n', AS_TUPLE);
    if (ec) {
        co_return;
    }
    if (buf.rfind("throw", 0) == 0) {
        throw std::runtime_error("boom");
    }
    co_await asio::async_write(stream, asio::buffer(std::string("ok\n")), AS_TUPLE);
}

// A Listener on 127.0.0.1:0 with its own network thread, recording what it logs.
class RunningListener {
public:
    explicit RunningListener(Listener::Session session = EchoOk)
        : m_listener(m_io.get_executor(), 8, 8, std::move(session), [this](const std::string& t) {
            std::lock_guard l(m_mutex);
            m_log += t + "\n";
        }) {
        auto port = m_listener.Start({asio::ip::make_address("127.0.0.1"), 0});
        EXPECT_TRUE(port) << port.error();
        m_port = port ? *port : 0;
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~RunningListener() {
        asio::post(m_io, [this] { m_listener.Stop(); });
        m_thread.join(); // returns once every coroutine of the listener has ended
    }

    Listener& Get() { return m_listener; }
    asio::io_context& Io() { return m_io; }
    tcp::endpoint Endpoint() const { return {asio::ip::make_address("127.0.0.1"), m_port}; }
    std::string Log() {
        std::lock_guard l(m_mutex);
        return m_log;
    }
    void Post(std::function<void()> fn) { asio::post(m_io, std::move(fn)); }

private:
    asio::io_context m_io;
    Listener m_listener;
    uint16_t m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::string m_log;
};

// Polls `done` until it holds or `limit` passes.
template <class Pred>
bool WaitUntil(Pred done, std::chrono::milliseconds limit = 5s) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) {
            return false;
        }
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::size_t Count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

// A blocking client whose reads give up after 5 s.
struct Client {
    asio::io_context io;
    tcp::socket socket{io};
    Client() {
        socket.open(tcp::v4());
        const timeval timeout{5, 0};
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    // Sends `line` and returns the reply line ("" when the connection closed or timed out).
    std::string Exchange(const std::string& line) {
        boost::system::error_code ec;
        asio::write(socket, asio::buffer(line + "\n"), ec);
        std::string buf;
        const std::size_t n = asio::read_until(socket, asio::dynamic_buffer(buf), '\n', ec);
        return ec ? std::string() : buf.substr(0, n - 1);
    }
};

} // namespace

TEST(AcceptBackoff, WaitsDoubleFromAHundredMillisecondsToOneSecond) {
    AcceptBackoff b;
    const auto emfile = boost::system::error_code(EMFILE, boost::system::system_category());
    std::vector<long> delays;
    for (int i = 0; i < 7; ++i) {
        delays.push_back(b.OnError(emfile).delay.count());
    }
    EXPECT_EQ(delays, (std::vector<long>{100, 200, 400, 800, 1000, 1000, 1000}));
    b.OnAccepted();
    EXPECT_EQ(b.OnError(emfile).delay, 100ms) << "an accepted connection starts again";
}

TEST(AcceptBackoff, EachDistinctErrorIsLoggedOnceWhileItRepeats) {
    AcceptBackoff b;
    const auto emfile = boost::system::error_code(EMFILE, boost::system::system_category());
    const auto enfile = boost::system::error_code(ENFILE, boost::system::system_category());
    EXPECT_TRUE(b.OnError(emfile).log);
    EXPECT_FALSE(b.OnError(emfile).log);
    EXPECT_FALSE(b.OnError(emfile).log);
    EXPECT_TRUE(b.OnError(enfile).log) << "another error is news";
    EXPECT_TRUE(b.OnError(emfile).log);
    EXPECT_FALSE(b.OnError(emfile).log);
    b.OnAccepted();
    EXPECT_TRUE(b.OnError(emfile).log) << "it came back after a good accept";
}

TEST(Listener, AConnectionCoroutineThatThrowsIsLoggedAndTheListenerServesOn) {
    RunningListener l;
    Client bad;
    bad.socket.connect(l.Endpoint());
    EXPECT_EQ(bad.Exchange("throw"), "") << "the connection is closed";
    EXPECT_TRUE(WaitUntil([&] { return l.Log().find("boom") != std::string::npos; })) << l.Log();
    EXPECT_NE(l.Log().find("API: connection from 127.0.0.1 failed: boom"), std::string::npos)
        << l.Log();
    Client good;
    good.socket.connect(l.Endpoint());
    EXPECT_EQ(good.Exchange("hello"), "ok");
}

TEST(Listener, JoinReturnsOnceStopHasEndedTheAcceptLoopAndEveryConnection) {
    RunningListener l([](boost::beast::tcp_stream& stream) -> asio::awaitable<void> {
        char byte;
        co_await stream.async_read_some(asio::buffer(&byte, 1), AS_TUPLE); // until closed
    });
    Client a, b;
    a.socket.connect(l.Endpoint());
    b.socket.connect(l.Endpoint());
    ASSERT_TRUE(WaitUntil([&] { return l.Get().Running() == 3; })) << l.Get().Running();
    std::atomic<bool> joined{false};
    l.Post([&] {
        asio::co_spawn(l.Io(), l.Get().Join(), [&](std::exception_ptr) { joined = true; });
    });
    l.Post([&] { l.Get().Stop(); });
    EXPECT_TRUE(WaitUntil([&] { return joined.load(); }));
    EXPECT_EQ(l.Get().Running(), 0u);
}

// While the process is out of file descriptors every accept fails at once (the connection waits
// in the backlog): the listener must pause between attempts, not spin, and say so once.
TEST(Listener, AcceptFailingForWantOfDescriptorsBacksOffLogsOnceAndRecovers) {
#ifdef NF_UNDEFINED_SANITIZER
    GTEST_SKIP() << "UndefinedBehaviorSanitizer's vptr check needs a pipe, which a process out "
                    "of descriptors cannot make; this test runs in the other builds";
#endif
    RunningListener l;
    Client client; // its descriptor exists before the limit
    rlimit original{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &original), 0);
    rlimit low = original;
    low.rlim_cur = std::min<rlim_t>(original.rlim_cur, test::OpenDescriptors() + 16);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0) << std::strerror(errno);
    std::vector<int> fillers; // take every descriptor left under the limit
    for (int fd; fillers.size() < 1000 && (fd = ::open("/dev/null", O_RDONLY)) >= 0;) {
        fillers.push_back(fd);
    }
    const auto start = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    client.socket.connect(l.Endpoint(), ec); // completed by the kernel, from the backlog
    const bool three = WaitUntil([&] { return l.Get().AcceptErrors() >= 3; });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    for (int fd : fillers) {
        ::close(fd);
    }
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &original), 0);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_TRUE(three) << l.Get().AcceptErrors() << "\n" << l.Log();
    EXPECT_GE(elapsed, 300ms) << "three failures with waits of 100 and 200 ms between them";
    const std::string log = l.Log();
    EXPECT_EQ(Count(log, "API: accept failed: Too many open files; retrying in 100 ms, backing "
                         "off to 1000 ms (not logged again while it repeats)"),
              1u)
        << log;
    EXPECT_EQ(Count(log, "accept failed"), 1u) << log;
    EXPECT_EQ(client.Exchange("hello"), "ok") << "served once descriptors are back\n" << l.Log();
}
