// The coroutines of one run (ticker, shutdown), owned instead of detached: each is spawned with
// a completion handler that reports an exception (a bug) through `on_failure` and counts it out.
// The io_context's run() returns only once every one has ended, so the scope is joined when
// run() returns; Active() says how many are still running.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace nonceforge::miner::app {

class TaskScope {
public:
    using FailureFn = std::function<void(const std::string& task, const std::string& what)>;

    TaskScope(boost::asio::io_context& ioc, FailureFn on_failure)
        : m_ioc(ioc)
        , m_on_failure(std::move(on_failure)) {}

    // Network thread only.
    void Spawn(std::string name, boost::asio::awaitable<void> task) {
        ++m_active;
        boost::asio::co_spawn(m_ioc, std::move(task),
                              [this, name = std::move(name)](std::exception_ptr e) {
                                  --m_active;
                                  if (e) {
                                      m_on_failure(name, What(e));
                                  }
                              });
    }

    std::size_t Active() const { return m_active; }

private:
    static std::string What(std::exception_ptr e) {
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            return ex.what();
        } catch (...) {
            return "unknown exception";
        }
    }

    boost::asio::io_context& m_ioc;
    FailureFn m_on_failure;
    std::size_t m_active = 0;
};

} // namespace nonceforge::miner::app
