// A loopback TCP server that runs a script per connection on its own thread, for transport
// tests that need a pool to misbehave in one exact way. Blocking sockets with receive
// timeouts, so a script never hangs a test.
#pragma once

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace nonceforge::test {

class ScriptedServer {
public:
    using Socket = boost::asio::ip::tcp::socket;
    using Script = std::function<void(Socket&, int connection_index)>;

    explicit ScriptedServer(Script script)
        : m_acceptor(m_io, {boost::asio::ip::make_address("127.0.0.1"), 0})
        , m_script(std::move(script)) {
        m_thread = std::thread([this] { Loop(); });
    }
    ~ScriptedServer() {
        m_stop = true;
        // A blocking accept is not woken by close(): connect once to release it.
        boost::system::error_code ignored;
        Socket wake(m_io);
        wake.connect({boost::asio::ip::make_address("127.0.0.1"), m_port}, ignored);
        m_thread.join();
    }

    uint16_t Port() const { return m_port; }
    std::string Url() const { return "stratum+tcp://127.0.0.1:" + std::to_string(m_port); }
    int Connections() const { return m_connections; }

    // Reads one line (with "\n" removed); empty on timeout or error.
    static std::string ReadLine(Socket& s, std::string& buffer) {
        boost::system::error_code ec;
        const std::size_t n =
            boost::asio::read_until(s, boost::asio::dynamic_buffer(buffer), '\n', ec);
        if (ec) {
            return {};
        }
        std::string line = buffer.substr(0, n - 1);
        buffer.erase(0, n);
        return line;
    }
    static void Send(Socket& s, const std::string& text) {
        boost::system::error_code ignored;
        boost::asio::write(s, boost::asio::buffer(text), ignored);
    }

private:
    void Loop() {
        while (!m_stop) {
            Socket socket(m_io);
            boost::system::error_code ec;
            m_acceptor.accept(socket, ec);
            if (ec || m_stop) {
                return;
            }
            timeval tv{2, 0}; // reads give up after 2 s
            ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            m_script(socket, m_connections++);
        }
    }

    boost::asio::io_context m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    uint16_t m_port = m_acceptor.local_endpoint().port();
    Script m_script;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_connections{0};
    std::thread m_thread;
};

} // namespace nonceforge::test
