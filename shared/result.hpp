#pragma once
// Problems and results: how validation and decoding of untrusted input report
// failure without exceptions (STYLE.md, "Errors").
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace shouxin {

/// One thing wrong with an input. `message` is a catalogue id (i18n.hpp);
/// `detail` is the offending value or a technical note, never translated.
struct Problem {
    std::string field;
    std::string message;
    std::string detail;
};

using Problems = std::vector<Problem>;

/// Either a value or the problems that prevented it.
template <class T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}                      // NOLINT: implicit by design
    Result(Problem problem) : m_state(Problems{std::move(problem)}) {}  // NOLINT
    Result(Problems problems) : m_state(std::move(problems)) {}         // NOLINT

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(m_state); }
    T& value() & { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }

    const Problems& problems() const { return std::get<Problems>(m_state); }

private:
    std::variant<T, Problems> m_state;
};

}  // namespace shouxin
