#pragma once
// Realistic multi-device event logs for fold and store tests: several
// kiosks of one office that publish, report (sometimes concurrently, with
// skewed clocks), take complaints and ratings, and exchange events now and
// then as sync would.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "shared/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace shouxin::test {

inline constexpr const char* kOffice = "330110104";
inline constexpr const char* kOfficeName = "青山镇人民政府";

/// A valid commitment of kOffice with a fresh id.
Commitment sampleCommitment(std::string title, Date published = Date::fromCivil(2026, 3, 1),
                            std::optional<Date> deadline = Date::fromCivil(2026, 6, 30));
/// A valid report on `commitment`.
FulfilmentReport sampleReport(const std::string& commitment, Status status, int progress,
                              Date date = Date::fromCivil(2026, 4, 1));

/// Copies every event `from` holds that `to` lacks, in total order (which
/// keeps each device's own order), like a sync round.
void exchange(const Store& from, Store& to);

struct Scenario {
    std::vector<Event> events;                // every event of every device
    std::vector<std::vector<Event>> streams;  // the same, per device in seq order
    std::string digest;                       // of kOffice on a node that holds them all
};

/// `devices` kiosks, `rounds` rounds of offline work with an exchange after
/// some of them. Deterministic for a seed (ids and keys aside).
Scenario makeScenario(const TempDir& dir, int devices, int rounds, std::uint32_t seed);

/// A random interleaving of the streams that keeps each device's order.
std::vector<Event> interleave(const std::vector<std::vector<Event>>& streams, std::mt19937& rng);

}  // namespace shouxin::test
