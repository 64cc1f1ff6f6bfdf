#pragma once
// Who may write which record, decided on the record an event is about and
// not on its envelope (DESIGN.md, "Security and privacy"). One rulebook for
// every place that takes events: the district on push, a node on pull, and
// a node's own local writes.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "shared/event.hpp"
#include "shared/result.hpp"

namespace shouxin {

/// The identities a replica knows. Each region (district, city, province:
/// domain.hpp) speaks through one signing device of its own: a server knows
/// its own, the regions enrolled at it (those directly below) and the ones
/// above it that it pinned at its own enrolment; a node knows its district's,
/// pinned at enrolment, and the regions above that the district passes on.
/// A region whose device is unknown here has no region-level act accepted.
struct Identities {
    std::string scope;  // what this replica holds: a node's district, a server's own region
    std::map<std::string, std::string, std::less<>> regionDevices;  // region code → its device

    /// The region `device` speaks for, "" when it is no region's.
    std::string regionOf(std::string_view device) const;
};

/// The office that owns a record, by subject ("commitment:<id>",
/// "complaint:<id>", "breach:<id>", "clerk:<office>/<id>", "office:<code>"), as fixed by the
/// event that created it; nullopt when no such record exists yet.
using OwnerOf = std::function<std::optional<std::string>(std::string_view subject)>;

/// The envelope's rules, which depend on who wrote the event and not on any
/// record (so arrival order cannot change them): `district:` actors only
/// from a region's device; a region's own code only from that region's
/// device; district-level acts (objection rulings, credit repair, reading a
/// complainant's contact) only from the device of the office's own district,
/// which in turn writes no office's own records but its complaint answers
/// and breach records; a city or province writes only its own records;
/// nothing from outside this replica's scope but the regions above it.
/// Message ids are `error.auth.*`.
Problems authoriseIdentity(const Event& event, const Payload& payload, const Identities& who);

/// The records' rules: an event may change or refer to a record only as its
/// owner allows. A record belongs to the office of the event that created
/// it; reports, revisions and answers come from that office (a district
/// answer carries the complaint's office), ratings and complaints may also
/// refer to their district's district-wide commitments, and a record's id
/// is created once, so it never moves to another office. A record not (yet)
/// known passes: the store checks on arrival, to refuse with a reason, and
/// the fold checks again in total order, so that every replica ends with
/// the same state whatever order the events arrived in.
Problems authoriseRecords(const Event& event, const Payload& payload, const OwnerOf& ownerOf);

/// Both, identity first.
Problems authorise(const Event& event, const Payload& payload, const Identities& who, const OwnerOf& ownerOf);

}  // namespace shouxin
