#pragma once
// A complaint's ticket number (受理号): what a resident keeps to look the
// complaint up. Eight characters shown as "Q7K3-9MPD", from an alphabet
// without look-alikes (no 0, 1, I, L, O): two name the office it was filed
// at (so a ticket of another office is told apart from a mistyped one), five
// are random, and the last is a check character that catches any one
// character mistyped and any two neighbours swapped.
#include <optional>
#include <string>
#include <string_view>

namespace shouxin {

/// The characters a ticket is written with.
inline constexpr std::string_view kTicketAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A new ticket for a complaint at `office` (a 9-digit office code).
std::string newTicket(std::string_view office);
/// What a resident typed, as a ticket: case, spaces and dashes do not
/// matter; nullopt unless it has eight characters of the alphabet and its
/// check character holds.
std::optional<std::string> parseTicket(std::string_view typed);
/// Whether `ticket` (as parseTicket gives it) was issued at `office`.
bool ticketOfOffice(std::string_view ticket, std::string_view office);
/// The last three digits of the office a ticket was issued at ("104").
std::string ticketOfficeSuffix(std::string_view ticket);

}  // namespace shouxin
