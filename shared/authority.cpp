#include "shared/authority.hpp"

#include <algorithm>
#include <initializer_list>

namespace shouxin {
namespace {

std::string commitmentSubject(std::string_view id) { return "commitment:" + std::string(id); }
std::string complaintSubject(std::string_view id) { return "complaint:" + std::string(id); }

std::string breachSubject(std::string_view id) { return "breach:" + std::string(id); }

// Acts only the district takes: ruling on an objection, credit repair, and
// reading a complainant's sealed contact.
bool isDistrictAct(const Payload& payload) {
    if (const auto* b = std::get_if<BreachStep>(&payload)) {
        return b->step == BreachStepKind::upheld || b->step == BreachStepKind::dismissed ||
               b->step == BreachStepKind::repaired;
    }
    if (const auto* c = std::get_if<ComplaintStep>(&payload))
        return c->step == ComplaintStepKind::contactRead;
    return false;
}

// What the district's device writes in an office's name: answers and
// steps on that office's complaints, and its breach records.
bool isDistrictActOnOffice(const Payload& payload) {
    return std::holds_alternative<ComplaintAnswer>(payload) ||
           std::holds_alternative<ComplaintStep>(payload) || std::holds_alternative<Breach>(payload) ||
           std::holds_alternative<BreachStep>(payload);
}

// The device of `region` as this replica knows it: "" when unknown.
std::string_view deviceOf(const Identities& who, std::string_view region) {
    const auto it = who.regionDevices.find(region);
    return it == who.regionDevices.end() ? std::string_view() : std::string_view(it->second);
}

bool isFrom(const Event& e, const Identities& who, std::string_view region) {
    const std::string_view device = deviceOf(who, region);
    return !device.empty() && e.device == device;
}

// This replica holds records of its scope, and the region-wide records of
// the regions above it.
bool holds(const Identities& who, std::string_view office) {
    if (who.scope.empty() || inScope(who.scope, office)) return true;
    const auto above = regionsAbove(who.scope);
    return std::find(above.begin(), above.end(), office) != above.end();
}

// Collects the first refusal: one reason is what the set-aside row keeps.
class Refusal {
public:
    void operator()(const char* field, const char* messageId, std::string detail) {
        if (m_problems.empty()) m_problems.push_back({field, messageId, std::move(detail)});
    }
    Problems take() { return std::move(m_problems); }

private:
    Problems m_problems;
};

}  // namespace

Problems authoriseIdentity(const Event& e, const Payload& payload, const Identities& who) {
    Refusal refuse;
    const std::string region = who.regionOf(e.device);  // "" unless a region's device wrote it
    if (e.actor.rfind("district:", 0) == 0 && region.empty())
        refuse("actor", "error.auth.district_actor", e.actor);
    if (isRegionCode(e.office) && !isFrom(e, who, e.office))
        refuse("office", "error.auth.district_only", e.office);
    if (!holds(who, e.office)) refuse("office", "error.auth.other_district", e.office);
    if (isDistrictAct(payload) && !isFrom(e, who, districtOf(e.office)))
        refuse("type", "error.auth.district_only", e.type);
    if (!region.empty()) {
        // A region's device speaks for its region. A district's also answers
        // complaints and keeps breach records in the office they belong to;
        // none files complaints or ratings or keeps an office's clerks or
        // commitments.
        const bool residentOrClerkAct =
            std::holds_alternative<Complaint>(payload) || std::holds_alternative<Rating>(payload) ||
            std::holds_alternative<ClerkAdded>(payload) || std::holds_alternative<ClerkDisabled>(payload);
        const bool ownRecord = e.office == region;
        const bool onItsOffice = isDistrictCode(region) && isChildOf(region, e.office) && isDistrictActOnOffice(payload);
        if ((!ownRecord && !onItsOffice) || residentOrClerkAct) {
            refuse("office", "error.auth.district_scope", e.type + " for " + e.office);
        }
    }
    return refuse.take();
}

std::string Identities::regionOf(std::string_view device) const {
    for (const auto& [code, d] : regionDevices)
        if (!d.empty() && d == device) return code;
    return {};
}

Problems authoriseRecords(const Event& e, const Payload& payload, const OwnerOf& ownerOf) {
    Refusal refuse;
    // The region-wide records (district, city, province) an office may refer to.
    const auto above = regionsAbove(e.office);
    const std::string wide = above.size() > 0 ? above[0] : std::string();
    const std::string wider = above.size() > 1 ? above[1] : std::string();
    const std::string widest = above.size() > 2 ? above[2] : std::string();
    // The record must belong to one of `owners` (when it is known at all).
    const auto owned = [&](const std::string& subject, std::initializer_list<std::string_view> owners) {
        const auto owner = ownerOf(subject);
        if (!owner) return;
        for (const auto o : owners)
            if (*owner == o) return;
        refuse("subject", "error.auth.not_owner", subject + " belongs to " + *owner);
    };
    // A record is created once: an id taken already, by this office or
    // another, is refused, so a record never moves between offices.
    const auto fresh = [&](const std::string& subject) {
        const auto owner = ownerOf(subject);
        if (!owner) return;
        if (*owner != e.office)
            return refuse("subject", "error.auth.not_owner", subject + " belongs to " + *owner);
        refuse("subject", "error.auth.record_exists", subject);
    };
    std::visit(
        [&](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, Commitment>) {
                fresh(commitmentSubject(p.id));
            } else if constexpr (std::is_same_v<T, FulfilmentReport>) {
                owned(commitmentSubject(p.commitment), {e.office});
            } else if constexpr (std::is_same_v<T, CommitmentRevised>) {
                owned(commitmentSubject(p.commitment), {e.office});
            } else if constexpr (std::is_same_v<T, Complaint>) {
                fresh(complaintSubject(p.id));
                if (!p.commitment.empty()) owned(commitmentSubject(p.commitment), {e.office, wide, wider, widest});
            } else if constexpr (std::is_same_v<T, ComplaintAnswer>) {
                owned(complaintSubject(p.complaint), {e.office});
            } else if constexpr (std::is_same_v<T, Rating>) {
                if (!p.commitment.empty()) owned(commitmentSubject(p.commitment), {e.office, wide, wider, widest});
                if (!p.complaint.empty()) owned(complaintSubject(p.complaint), {e.office});
            } else if constexpr (std::is_same_v<T, ComplaintStep>) {
                owned(complaintSubject(p.complaint), {e.office});
            } else if constexpr (std::is_same_v<T, Breach>) {
                fresh(breachSubject(p.id));
                owned(commitmentSubject(p.commitment), {e.office});
            } else if constexpr (std::is_same_v<T, BreachStep>) {
                owned(breachSubject(p.breach), {e.office});
            } else if constexpr (std::is_same_v<T, ClerkDisabled>) {
                owned("clerk:" + p.office + "/" + p.clerk, {e.office});
            }
            // office.named and clerk.added name their office in the payload,
            // which the store holds against the envelope's.
        },
        payload);
    return refuse.take();
}

Problems authorise(const Event& e, const Payload& payload, const Identities& who, const OwnerOf& ownerOf) {
    if (Problems p = authoriseIdentity(e, payload, who); !p.empty()) return p;
    return authoriseRecords(e, payload, ownerOf);
}

}  // namespace shouxin
