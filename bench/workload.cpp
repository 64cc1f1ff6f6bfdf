#include "bench/workload.hpp"

#include <algorithm>
#include <vector>

#include "shared/crypto.hpp"

namespace shouxin::bench {

namespace {

Commitment makeCommitment(const std::string& office, long i) {
    Commitment c;
    c.id = newUuidV7();
    c.office = office;
    c.category = kCategories[static_cast<std::size_t>(i) % kCategoryCount];
    c.kind = Kind::timeLimit;
    c.title = "城乡居民养老保险待遇十个工作日内核定发放" + std::to_string(i);
    c.detail =
        "本镇户籍居民申请城乡居民养老保险待遇的，材料齐全的自受理之日起10个工作日内完成核定，"
        "次月起按月发放至本人社保卡银行账户。受理地点：镇便民服务中心一楼3号窗口。";
    c.department = "社会事务办公室";
    c.deadline = Date::fromCivil(2026, 12, 31);
    c.published = Date::fromCivil(2026, 1, 5);
    return c;
}

FulfilmentReport makeReport(const std::string& commitment, long i) {
    FulfilmentReport r;
    r.commitment = commitment;
    r.status = Status::inProgress;
    r.progress = static_cast<int>(i % 100);
    r.note = "已受理，材料核验中。";
    r.date = Date::fromCivil(2026, 3, 1);
    return r;
}

}  // namespace

bool recordWorkload(Store& store, long n) {
    const std::string office = store.node().office;
    std::vector<std::string> ids;
    for (long i = 0; i < n; ++i) {
        if (i % 5 == 0 || ids.empty()) {
            const Commitment c = makeCommitment(office, i);
            if (!store.record(c, "clerk:bench")) return false;
            ids.push_back(c.id);
            continue;
        }
        FulfilmentReport r = makeReport(ids[static_cast<std::size_t>(i) % ids.size()], i);
        r.basedOn = store.commitment(r.commitment)->lastReport;
        if (!store.record(r, "clerk:bench")) return false;
    }
    return true;
}

std::vector<std::string> recordCommitments(Store& store, long n, long batch) {
    const std::string office = store.node().office;
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(n));
    std::vector<Payload> payloads;
    for (long i = 0; i < n; i += batch) {
        payloads.clear();
        for (long j = i; j < std::min(n, i + batch); ++j) {
            Commitment c = makeCommitment(office, j);
            ids.push_back(c.id);
            payloads.emplace_back(std::move(c));
        }
        if (!store.recordAll(payloads, "clerk:bench")) return {};
    }
    return ids;
}

bool recordReports(Store& store, const std::vector<std::string>& ids, long batch) {
    const auto n = static_cast<long>(ids.size());
    std::vector<Payload> payloads;
    for (long i = 0; i < n; i += batch) {
        payloads.clear();
        for (long j = i; j < std::min(n, i + batch); ++j) {
            const std::string& id = ids[static_cast<std::size_t>(j)];
            FulfilmentReport r = makeReport(id, j);
            r.basedOn = store.commitment(id)->lastReport;  // distinct ids: none in this batch
            payloads.emplace_back(std::move(r));
        }
        if (!store.recordAll(payloads, "clerk:bench")) return false;
    }
    return true;
}

}  // namespace shouxin::bench
