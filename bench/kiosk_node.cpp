#include "bench/kiosk_node.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "shared/domain.hpp"

namespace shouxin::bench {

namespace {

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

const std::vector<std::string> kPlaces = {"青山村",   "溪口村", "上塘村", "锦绣苑小区",
                                          "桃源社区", "河西村", "东岙村"};
const std::vector<std::string> kThings = {"养老服务",       "助餐点",     "高龄津贴", "低保复核",
                                          "公益性岗位补贴", "道路修缮",   "停车位",   "充电桩",
                                          "消防通道",       "残疾人补贴", "医保报销", "学位"};
const std::vector<std::string> kVerbs = {"按月足额发放", "十个工作日内办结", "年内建成投用",
                                         "上门办理",     "全覆盖",           "及时公示"};
const std::vector<std::string> kDepartments = {"社会事务办公室", "城建办", "便民服务中心", "卫生健康办公室",
                                               "综合治理办公室"};
const std::vector<std::string> kNotes = {"已完成入户核查", "资金已拨付到位", "施工进度过半",
                                         "已召开协调会",   "材料已审核",     "本月已发放到账"};

std::string uuid(std::mt19937_64& rng) {
    // A UUIDv7-shaped id (time part fixed; randomness makes it unique).
    char buf[37];
    const auto a = rng();
    const auto b = rng();
    std::snprintf(buf, sizeof buf, "01a22577-%04x-7%03x-%04x-%012llx", static_cast<unsigned>(a & 0xffff),
                  static_cast<unsigned>((a >> 16) & 0xfff),
                  static_cast<unsigned>(0x8000 | ((a >> 28) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buf;
}

}  // namespace

void makeKioskNode(const std::string& cli, const std::filesystem::path& db, long commitments, long reports) {
    const std::string init =
        cli + " --db " + db.string() + " init --office 330110104 --name 青山镇人民政府 >/dev/null";
    if (std::system(init.c_str()) != 0) throw std::runtime_error("init failed: " + init);
    fillNode(db, {{"330110104", "青山镇人民政府"}}, commitments, reports);
}

void fillNode(const std::filesystem::path& db, const std::vector<std::pair<std::string, std::string>>& offices,
              long commitments, long reports) {
    sqlite3* h = nullptr;
    check(sqlite3_open(db.c_str(), &h), h, "open");
    check(sqlite3_exec(h, "PRAGMA journal_mode=WAL; BEGIN", nullptr, nullptr, nullptr), h, "begin");
    check(sqlite3_exec(h,
                       "INSERT INTO device(id, office, public_key, head_seq, head_hash) "
                       "VALUES ('bench-device', '330110104', '', 0, '')",
                       nullptr, nullptr, nullptr),
          h, "device");
    sqlite3_stmt* ins = nullptr;
    check(sqlite3_prepare_v2(
              h,
              "INSERT INTO commitment VALUES (?1, ?14, ?2, ?3, ?4, ?5, ?6, '', ?7, '', ?8, ?9, "
              "?10, ?11, ?12, ?13, '', 0, '', '')",
              -1, &ins, nullptr),
          h, "prepare commitment");
    sqlite3_stmt* ev = nullptr;
    check(sqlite3_prepare_v2(
              h,
              "INSERT INTO event(id, office, device, seq, hlc, actor, type, payload_version, payload, "
              "prev_hash, hash, subject) VALUES (?1, '330110104', 'bench-device', ?2, ?3, "
              "'clerk:bench', 'fulfilment.reported', 1, '{}', '', '', ?4)",
              -1, &ev, nullptr),
          h, "prepare event");
    sqlite3_stmt* fu = nullptr;
    check(sqlite3_prepare_v2(
              h,
              "INSERT INTO fulfilment VALUES (?1, ?2, '330110104', 'clerk:bench', ?3, ?4, ?5, ?6, ?7, "
              "'', '', '', '', 0)",
              -1, &fu, nullptr),
          h, "prepare fulfilment");
    sqlite3_stmt* named = nullptr;
    check(sqlite3_prepare_v2(h, "INSERT OR IGNORE INTO office(code, name) VALUES (?1, ?2)", -1, &named, nullptr), h,
          "prepare office");
    for (const auto& [code, name] : offices) {
        sqlite3_reset(named);
        sqlite3_bind_text(named, 1, code.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(named, 2, name.c_str(), -1, SQLITE_TRANSIENT);
        check(sqlite3_step(named), h, "insert office");
    }
    sqlite3_finalize(named);
    std::mt19937_64 rng(42);
    const Date today = Date::today();
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(commitments));
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    auto bindText = [](sqlite3_stmt* s, int i, const std::string& t) {
        sqlite3_bind_text(s, i, t.c_str(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
    };
    for (long i = 0; i < commitments; ++i) {
        const std::string id = uuid(rng);
        ids.push_back(id);
        const Category cat = kCategories[rng() % kCategories.size()];
        const Kind kind = kKinds[rng() % kKinds.size()];
        const std::string title = pick(kPlaces) + pick(kThings) + pick(kVerbs);
        const std::string detail =
            "对" + pick(kPlaces) + "群众承诺：" + title + "，由" + pick(kDepartments) + "负责落实。";
        const Date published = today.plusDays(-static_cast<int>(rng() % 400));
        const Date deadline = published.plusDays(static_cast<int>(30 + rng() % 300));
        const Status status = kStatuses[rng() % 5];  // not amended: no reason needed
        const int progress =
            status == Status::fulfilled || status == Status::rectified ? 100 : static_cast<int>(rng() % 100);
        sqlite3_reset(ins);
        bindText(ins, 1, id);
        bindText(ins, 2, std::string(idOf(cat)));
        bindText(ins, 3, std::string(idOf(kind)));
        bindText(ins, 4, title);
        bindText(ins, 5, detail);
        bindText(ins, 6, pick(kDepartments));
        bindText(ins, 7, deadline.toString());
        bindText(ins, 8, published.toString());
        bindText(ins, 9, std::string(idOf(status)));
        sqlite3_bind_int(ins, 10, progress);
        bindText(ins, 11, published.plusDays(10).toString());
        if (status == Status::fulfilled)
            bindText(ins, 12, deadline.plusDays(static_cast<int>(rng() % 20) - 10).toString());
        else
            sqlite3_bind_null(ins, 12);
        sqlite3_bind_int(ins, 13, static_cast<int>(reports / std::max(1L, commitments)));
        bindText(ins, 14, offices[static_cast<std::size_t>(i) % offices.size()].first);
        check(sqlite3_step(ins), h, "insert commitment");
    }
    for (long i = 0; i < reports; ++i) {
        const std::string eid = uuid(rng);
        const std::string& cid = ids[static_cast<std::size_t>(i % commitments)];
        const auto hlc = static_cast<sqlite3_int64>((1'780'000'000'000LL + i) << 16);
        sqlite3_reset(ev);
        bindText(ev, 1, eid);
        sqlite3_bind_int64(ev, 2, i + 1);
        sqlite3_bind_int64(ev, 3, hlc);
        bindText(ev, 4, cid);
        check(sqlite3_step(ev), h, "insert event");
        sqlite3_reset(fu);
        bindText(fu, 1, eid);
        bindText(fu, 2, cid);
        sqlite3_bind_int64(fu, 3, hlc);
        bindText(fu, 4, today.plusDays(-static_cast<int>(rng() % 300)).toString());
        bindText(fu, 5, "in_progress");
        sqlite3_bind_int(fu, 6, static_cast<int>(rng() % 100));
        bindText(fu, 7, pick(kNotes));
        check(sqlite3_step(fu), h, "insert fulfilment");
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(ev);
    sqlite3_finalize(fu);
    // Written behind the store's back, so the search index is not brought
    // up to date at commit (Fold::flushSearch): it is rebuilt from the
    // commitments in one go instead.
    check(sqlite3_exec(h,
                       "INSERT INTO commitment_search(commitment_search) VALUES('rebuild'); "
                       "DELETE FROM commitment_search_pending; COMMIT",
                       nullptr, nullptr, nullptr),
          h, "commit");
    sqlite3_close(h);
}

}  // namespace shouxin::bench
