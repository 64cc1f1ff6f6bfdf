#pragma once
// The store's typed failure, apart so that the SQL layer (sql.hpp) can
// throw it too: a caller acts on `messageId`, never on message text.
#include <stdexcept>
#include <string>

namespace shouxin {

/// A store failure a person can act on; `messageId` is in the catalogue.
/// "error.store.corrupt": SQLite found the file damaged (SQLITE_CORRUPT,
/// SQLITE_NOTADB), whichever statement met it.
class StoreError : public std::runtime_error {
public:
    StoreError(std::string messageId, const std::string& detail)
        : std::runtime_error(detail), m_messageId(std::move(messageId)) {}
    const std::string& messageId() const { return m_messageId; }
    bool corrupt() const { return m_messageId == "error.store.corrupt"; }

private:
    std::string m_messageId;
};

}  // namespace shouxin
