#include "bench/workload.hpp"

#include <vector>

#include "shared/crypto.hpp"

namespace shouxin::bench {

bool recordWorkload(Store& store, long n) {
    const std::string office = store.node().office;
    std::vector<std::string> ids;
    for (long i = 0; i < n; ++i) {
        if (i % 5 == 0 || ids.empty()) {
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
            if (!store.record(c, "clerk:bench")) return false;
            ids.push_back(c.id);
            continue;
        }
        FulfilmentReport r;
        r.commitment = ids[static_cast<std::size_t>(i) % ids.size()];
        r.status = Status::inProgress;
        r.progress = static_cast<int>(i % 100);
        r.note = "已受理，材料核验中。";
        r.date = Date::fromCivil(2026, 3, 1);
        r.basedOn = store.commitment(r.commitment)->lastReport;
        if (!store.record(r, "clerk:bench")) return false;
    }
    return true;
}

}  // namespace shouxin::bench
