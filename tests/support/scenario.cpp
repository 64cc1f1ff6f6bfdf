#include "tests/support/scenario.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "shared/crypto.hpp"
#include "shared/hlc.hpp"
#include "shared/i18n.hpp"
#include "shared/rules.hpp"
#include "shared/ticket.hpp"

namespace shouxin::test {

Commitment sampleCommitment(std::string title, Date published, std::optional<Date> deadline) {
    Commitment c;
    c.id = newUuidV7();
    c.office = kOffice;
    c.category = Category::elderlyCare;
    c.kind = Kind::timeLimit;
    c.title = std::move(title);
    c.detail = "对辖区内年满80周岁的老年人，高龄津贴在申请后10个工作日内核定发放。";
    c.department = "社会事务办公室";
    c.responsible = "李䶮";
    c.deadline = deadline;
    c.timeLimit = "10个工作日";
    c.published = published;
    return c;
}

FulfilmentReport sampleReport(const std::string& commitment, Status status, int progress, Date date) {
    FulfilmentReport r;
    r.commitment = commitment;
    r.status = status;
    r.progress = progress;
    r.note = "已受理12户申请，材料核验中。";
    r.date = date;
    if (status == Status::amended) {
        r.reason = "上级政策调整，改由县级统一办理";
        r.legalBasis = "《中华人民共和国行政许可法》第八条";
    }
    return r;
}

void exchange(const Store& from, Store& to) {
    for (const Event& e : from.events()) {
        const auto r = to.apply(e);
        if (r.outcome == ApplyResult::Outcome::rejected || r.outcome == ApplyResult::Outcome::conflict) {
            throw std::runtime_error("exchange refused " + e.id + ": " + r.problems.front().message);
        }
    }
}

Scenario makeScenario(const TempDir& dir, int devices, int rounds, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<std::unique_ptr<Store>> nodes;
    std::vector<std::int64_t> clocks;
    // Ahead of the real clock that stamped each node's first event.
    const std::int64_t base = hlc::nowMillis() + 3'600'000;
    for (int d = 0; d < devices; ++d) {
        const auto path = dir.path() / ("kiosk" + std::to_string(d) + ".db");
        nodes.push_back(std::make_unique<Store>(Store::create(path, kOffice, kOfficeName)));
        // Skewed clocks: some kiosks run minutes behind the others.
        clocks.push_back(base - std::uniform_int_distribution<std::int64_t>(0, 600'000)(rng));
        const std::size_t i = nodes.size() - 1;
        nodes.back()->setClock([&clocks, i] { return clocks[i] += 1000; });
    }
    const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };

    int published = 0;
    for (int round = 0; round < rounds; ++round) {
        for (int d = 0; d < devices; ++d) {
            Store& node = *nodes[static_cast<std::size_t>(d)];
            // Publish now and then, so every device owns some commitments.
            if (pick(3) == 0 || node.commitments().empty()) {
                auto c = sampleCommitment("承诺事项" + std::to_string(++published));
                c.category = kCategories[static_cast<std::size_t>(pick(static_cast<int>(kCategoryCount)))];
                if (!node.record(c, "clerk:c" + std::to_string(d)))
                    throw std::runtime_error("publish failed");
            }
            // Report on what this device knows, without seeing the others'
            // latest reports: concurrent reports arise naturally.
            for (int k = 0; k < 2; ++k) {
                const auto known = node.commitments();
                const auto& target = known[static_cast<std::size_t>(pick(static_cast<int>(known.size())))];
                if (target.status == Status::amended) continue;
                Status next = Status::inProgress;
                int progress = std::min(100, target.progress + 10 + pick(30));
                const int roll = pick(10);
                if (roll == 0)
                    next = Status::broken;
                else if (roll == 1 && target.status == Status::broken)
                    next = Status::rectified;
                else if (roll == 2)
                    next = Status::amended;
                else if (progress == 100)
                    next = Status::fulfilled;
                if (next == Status::fulfilled) progress = 100;
                auto r = sampleReport(target.commitment.id, next, progress,
                                      target.commitment.published.plusDays(round + 1));
                r.basedOn = target.lastReport;
                if (const auto e = node.record(r, "clerk:c" + std::to_string(d)); !e) {
                    throw std::runtime_error("report failed: " + describe(e.problems()));
                }
            }
            if (pick(4) == 0) {
                const auto known = node.commitments();
                Complaint c;
                c.id = newUuidV7();
                c.office = kOffice;
                c.ticket = newTicket(kOffice);
                c.commitment = known.front().commitment.id;
                c.text = "承诺的期限已过，仍未办理，希望尽快答复。";
                c.filed = Date::fromCivil(2026, 5, 1);
                if (!node.record(c, "resident")) throw std::runtime_error("complaint failed");
                if (pick(2) == 0) {
                    node.record(
                        ComplaintStep{c.id, ComplaintStepKind::handling, "", Date::fromCivil(2026, 5, 2)},
                        "clerk:c" + std::to_string(d));
                }
                if (pick(2) == 0) {
                    if (!node.record(ComplaintAnswer{c.id, "已督促经办人员，本周内办结。",
                                                     Date::fromCivil(2026, 5, 3)},
                                     "clerk:c" + std::to_string(d))) {
                        throw std::runtime_error("answer failed");
                    }
                    if (pick(2) == 0)
                        node.record(Rating{"", c.id, 1 + pick(5), Date::fromCivil(2026, 5, 4)}, "resident");
                }
                Rating rating;
                rating.commitment = known.back().commitment.id;
                rating.score = 1 + pick(5);
                rating.date = Date::fromCivil(2026, 5, 2);
                if (!node.record(rating, "resident")) throw std::runtime_error("rating failed");
            }
        }
        // Breach records on broken commitments, and their office steps,
        // from what this device has seen: devices that have not synced
        // take conflicting steps (one objects, another rectifies), and the
        // fold keeps the first the rulebook allows in total order.
        for (int d = 0; d < devices; ++d) {
            Store& node = *nodes[static_cast<std::size_t>(d)];
            const std::string clerk = "clerk:c" + std::to_string(d);
            const Date on = Date::fromCivil(2026, 5, 10).plusDays(round);
            for (const auto& c : node.commitments()) {
                if (c.status != Status::broken || pick(3) != 0) continue;
                node.record(rules::confirmBreach(c, "逾期未兑现", on, on.plusDays(30)), clerk);
            }
            for (const auto& b : node.breaches(kOffice)) {
                const BreachStepKind k = pick(2) == 0 ? BreachStepKind::objected : BreachStepKind::rectified;
                if (pick(2) == 0) node.record(BreachStep{b.breach.id, k, "说明", on}, clerk);
            }
        }
        // Sync now and then: everyone pushes to kiosk 0, then pulls from it.
        if (pick(2) == 0 || round == rounds - 1) {
            for (int d = 1; d < devices; ++d)
                exchange(*nodes[static_cast<std::size_t>(d)], *nodes[0]);
            for (int d = 1; d < devices; ++d)
                exchange(*nodes[0], *nodes[static_cast<std::size_t>(d)]);
        }
    }

    Scenario s;
    s.events = nodes[0]->events();
    s.digest = nodes[0]->digest(kOffice);
    std::map<std::string, std::vector<Event>> byDevice;
    for (const Event& e : s.events)
        byDevice[e.device].push_back(e);
    for (auto& [device, stream] : byDevice) {
        std::sort(stream.begin(), stream.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
        s.streams.push_back(std::move(stream));
    }
    return s;
}

std::vector<Event> interleave(const std::vector<std::vector<Event>>& streams, std::mt19937& rng) {
    std::vector<std::size_t> next(streams.size(), 0);
    std::vector<Event> out;
    for (;;) {
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < streams.size(); ++i) {
            if (next[i] < streams[i].size()) open.push_back(i);
        }
        if (open.empty()) return out;
        const std::size_t pickStream =
            open[std::uniform_int_distribution<std::size_t>(0, open.size() - 1)(rng)];
        out.push_back(streams[pickStream][next[pickStream]++]);
    }
}

}  // namespace shouxin::test
