// A minimal value-or-error type (C++20 has no std::expected). Core and protocol code return
// expected failures as values; exceptions are reserved for bugs.
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

namespace nonceforge::core {

template <class E>
struct Unexpected {
    E error;
};

template <class E>
Unexpected<std::decay_t<E>> MakeUnexpected(E&& e) {
    return {std::forward<E>(e)};
}

template <class T, class E>
class Expected {
public:
    Expected(const T& v)
        : m_v(std::in_place_index<0>, v) {}
    Expected(T&& v)
        : m_v(std::in_place_index<0>, std::move(v)) {}
    template <class G>
    Expected(Unexpected<G> u)
        : m_v(std::in_place_index<1>, std::move(u.error)) {}

    bool has_value() const { return m_v.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    const E& error() const { return std::get<1>(m_v); }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    template <class U>
    T value_or(U&& fallback) const {
        return has_value() ? value() : T(std::forward<U>(fallback));
    }

private:
    std::variant<T, E> m_v;
};

} // namespace nonceforge::core
