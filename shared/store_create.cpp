// Making a store: a node (`shouxin init`), a district (`shouxin-district
// init`), a node set up again after damage (heal), and the scratch replica
// an audit refolds into. Each SQLite file is made whole under another name
// and renamed into place last, so a creation cut short (a power cut, a
// kill) leaves nothing that `open` would take (docs/RELIABILITY.md).
#include <filesystem>
#include <optional>

#include "shared/atomic_file.hpp"
#include "shared/crypto.hpp"
#include "shared/pin.hpp"
#include "shared/rules.hpp"
#include "shared/store.hpp"
#include "shared/store_impl.hpp"
#include "shared/text.hpp"

namespace shouxin {

namespace fs = std::filesystem;
using namespace store_detail;

namespace {

// A store's SQLite files: the database and the journals beside it.
void removeDatabaseFiles(const fs::path& file) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(file.string() + suffix, ignored);
}

// A store made whole under `building`, its connections closed, goes into
// place at `path` last: its bytes synced, one rename, the directory synced.
// A creation cut before the rename leaves only `building`, which the next
// attempt removes and makes again.
void moveIntoPlace(const fs::path& building, const fs::path& path) {
    std::error_code ignored;
    fs::remove(building.string() + "-shm", ignored);  // the WAL went with the last connection
    syncFile(building);
    fs::rename(building, path);
    syncDirectoryOf(path);
}

}  // namespace

Store Store::create(const fs::path& path, std::string_view office, std::string_view name,
                    std::string_view officeKey) {
    if (sql::isUrl(path.string())) throw StoreError("error.store.postgres_node", sql::redacted(path.string()));
    if (!officeKey.empty() && !pin::isOfficeKey(officeKey)) throw StoreError("error.office_key", "");
    if (!isOfficeCode(office)) throw StoreError("error.office_code", std::string(office));
    if (const auto p = checkText("name", name, 1, Limits::kOfficeName))
        throw StoreError(p->message, p->detail);
    const fs::path keyPath = keyFileFor(path);
    const fs::path officeKeyPath = officeKeyFileFor(path);
    if (fs::exists(path)) throw StoreError("error.store.exists", path.string());
    // The node is made whole under another name and renamed into place last,
    // so a creation cut short (a power cut, a kill) leaves no half-made node
    // that neither `init` nor `open` would take. Its files, the key files it
    // may have written included, are what a new attempt starts over from.
    const fs::path building = path.string() + ".creating";
    const auto removeBuilding = [&] { removeDatabaseFiles(building); };
    if (fs::exists(building)) {
        removeBuilding();
        fs::remove(keyPath);
        fs::remove(officeKeyPath);
    }
    if (fs::exists(keyPath)) throw StoreError("error.store.key_exists", keyPath.string());

    const KeyPair keys = newKeyPair();
    std::optional<StoreError> refused;
    {
        auto db = openDb(building, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        migrate(*db, building.string());
        {
            sql::Transaction tx(*db);
            setNodeValue(*db, "office", office);
            setNodeValue(*db, "device", newUuidV7());
            setNodeValue(*db, "public_key", keys.publicKeyHex);
            setNodeValue(*db, "hlc", "0");
            tx.commit();
        }
        Store store(std::make_unique<Impl>(building, std::move(db)));
        const auto named = store.record(OfficeNamed{std::string(office), std::string(name)}, "system");
        if (named) {
            // Everything into the (synced) file, so that the rename moves it all.
            store.m_impl->db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } else {
            refused = StoreError(named.problems().front().message, named.problems().front().detail);
        }
    }
    if (refused) {
        removeBuilding();
        throw *refused;
    }
    try {
        writeKeyFile(keyPath, keys);
        fs::remove(officeKeyPath);
        writeSecretFile(officeKeyPath, officeKey.empty() ? pin::newOfficeKey() : std::string(officeKey));
    } catch (const std::exception& ex) {
        removeBuilding();
        fs::remove(keyPath);
        throw StoreError("error.store.key_write", ex.what());
    }
    moveIntoPlace(building, path);
    return open(path);
}

Store Store::createHealed(const fs::path& path, const std::vector<std::pair<std::string, std::string>>& rows) {
    if (fs::exists(path)) throw StoreError("error.store.exists", path.string());
    fs::path making = path;
    making += ".healing";
    removeDatabaseFiles(making);
    {
        auto db = openDb(making, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        migrate(*db, making.string());
        sql::Transaction tx(*db);
        for (const auto& [key, value] : rows)
            setNodeValue(*db, key, value);
        if (nodeValue(*db, "hlc").empty()) setNodeValue(*db, "hlc", "0");
        tx.commit();
        db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
        db->exec("PRAGMA journal_mode = DELETE");  // one file to rename
    }
    // Whole or not at all: a crash before the rename leaves only the
    // ".healing" file, made again next time.
    moveIntoPlace(making, path);
    Store store = open(path);
    if (store.node().office.empty() || store.node().device.empty())
        throw StoreError("error.store.not_a_node", path.string());
    return store;
}

Store Store::createDistrict(const fs::path& path, std::string_view district, std::string_view name,
                            const fs::path& keyFile) {
    if (!isRegionCode(district)) throw StoreError("error.district_code", std::string(district));
    if (const auto p = checkText("name", name, 1, Limits::kOfficeName))
        throw StoreError(p->message, p->detail);
    const bool postgres = sql::isUrl(path.string());
    if (postgres && keyFile.empty()) throw StoreError("error.store.keys_required", sql::redacted(path.string()));
    if (!postgres && fs::exists(path)) throw StoreError("error.store.exists", path.string());
    const fs::path keyPath = keyFile.empty() ? keyFileFor(path) : keyFile;
    // A file is made whole under another name and renamed into place last,
    // as a node's is (Store::create): a creation cut short leaves nothing
    // that `open` would take, and its files, its key included, are what
    // the next attempt starts over from.
    const fs::path building = postgres ? path : fs::path(path.string() + ".creating");
    const auto removeBuilding = [&] {
        if (postgres) return;
        removeDatabaseFiles(building);
        std::error_code ignored;
        fs::remove(keyPath, ignored);
    };
    if (!postgres && fs::exists(building)) removeBuilding();
    if (fs::exists(keyPath)) throw StoreError("error.store.key_exists", keyPath.string());
    // The district's signing key: it countersigns every accepted push and
    // belongs to no device that can be enrolled.
    const KeyPair keys = newKeyPair();
    std::optional<Store> store;
    {
        auto db = postgres ? connect(path.string()) : openDb(building, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        migrate(*db, building.string(), true);
        try {
            writeKeyFile(keyPath, keys);
        } catch (const std::exception& ex) {
            db.reset();
            // A PostgreSQL database keeps its (empty) schema: the next attempt
            // is refused as existing, and the operator drops and recreates it.
            if (!postgres) removeDatabaseFiles(building);
            throw StoreError("error.store.key_write", ex.what());
        }
        sql::Transaction tx(*db);
        setNodeValue(*db, "office", district);
        setNodeValue(*db, "device", newUuidV7());
        setNodeValue(*db, "public_key", keys.publicKeyHex);
        setNodeValue(*db, "hlc", "0");
        setNodeValue(*db, "role", "district");
        tx.commit();
        store.emplace(Store(std::make_unique<Impl>(building, std::move(db))));
    }
    store->m_impl->district = true;
    store->renewEpoch();
    const auto named = store->record(OfficeNamed{std::string(district), std::string(name)}, "system");
    if (!named) {
        store.reset();
        removeBuilding();
        throw StoreError(named.problems().front().message, named.problems().front().detail);
    }
    if (postgres) return std::move(*store);
    store->m_impl->db->exec("PRAGMA wal_checkpoint(TRUNCATE)");  // everything into the file renamed
    store.reset();
    moveIntoPlace(building, path);
    return open(path);
}

Store Store::createReplica(const fs::path& path, std::string_view district, std::string_view districtDevice,
                           std::string_view districtKeyHex) {
    if (!isRegionCode(district)) throw StoreError("error.district_code", std::string(district));
    if (sql::isUrl(path.string())) throw StoreError("error.store.postgres_node", sql::redacted(path.string()));
    if (fs::exists(path)) throw StoreError("error.store.exists", path.string());
    auto db = openDb(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    migrate(*db, path.string());
    {
        sql::Transaction tx(*db);
        setNodeValue(*db, "office", district);
        setNodeValue(*db, "device", newUuidV7());
        setNodeValue(*db, "public_key", "");
        setNodeValue(*db, "hlc", "0");
        setNodeValue(*db, "role", "replica");
        setNodeValue(*db, settingRow(Setting::districtDevice), districtDevice);
        setNodeValue(*db, settingRow(Setting::districtKey), districtKeyHex);
        tx.commit();
    }
    Store store(std::make_unique<Impl>(path, std::move(db)));
    store.m_impl->replica = true;
    return store;
}

}  // namespace shouxin
