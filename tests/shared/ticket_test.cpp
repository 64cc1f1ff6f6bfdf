// Complaint tickets: what a resident keeps must survive being read out,
// mistyped in one place, or typed in lower case, and must say whose it is.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "shared/ticket.hpp"

using namespace shouxin;

TEST_CASE("a new ticket parses back, names its office and has no look-alike characters", "[ticket]") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string t = newTicket("330110104");
        INFO(t);
        REQUIRE(t.size() == 9);
        CHECK(t[4] == '-');
        CHECK(parseTicket(t) == t);
        CHECK(ticketOfOffice(t, "330110104"));
        CHECK_FALSE(ticketOfOffice(t, "330110105"));
        CHECK(ticketOfficeSuffix(t) == "104");
        CHECK(t.find_first_of("01ILO") == std::string::npos);
        seen.insert(t);
    }
    CHECK(seen.size() > 190);  // 31^5 random tickets per office
    CHECK(ticketOfficeSuffix(newTicket("330110399")) == "399");
}

TEST_CASE("a ticket typed in lower case, with spaces or without the dash is the same ticket", "[ticket]") {
    const std::string t = newTicket("330110201");
    std::string lower;
    for (const char c : t)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(parseTicket(lower) == t);
    CHECK(parseTicket(t.substr(0, 4) + t.substr(5)) == t);
    CHECK(parseTicket(" " + t.substr(0, 4) + " " + t.substr(5) + " ") == t);
}

TEST_CASE("one mistyped character or two swapped neighbours fail the check character", "[ticket]") {
    const std::string t = newTicket("330110104");
    std::string body = t.substr(0, 4) + t.substr(5);
    for (std::size_t i = 0; i < body.size(); ++i) {
        for (const char c : kTicketAlphabet) {
            if (c == body[i]) continue;
            std::string typo = body;
            typo[i] = c;
            INFO(typo);
            CHECK_FALSE(parseTicket(typo).has_value());
        }
        if (i + 1 < body.size() && body[i] != body[i + 1]) {
            std::string swapped = body;
            std::swap(swapped[i], swapped[i + 1]);
            INFO(swapped);
            CHECK_FALSE(parseTicket(swapped).has_value());
        }
    }
    for (const char* bad : {"", "Q7K3", "Q7K3-9MPD-2", "Q7K3-9MP0", "Q7K3_9MPD", "语音投诉"})
        CHECK_FALSE(parseTicket(bad).has_value());
}
