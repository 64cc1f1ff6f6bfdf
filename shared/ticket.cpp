#include "shared/ticket.hpp"

#include <cctype>
#include <cstdio>

#include "shared/crypto.hpp"

namespace shouxin {
namespace {

constexpr int kBase = static_cast<int>(kTicketAlphabet.size());  // 31, a prime
constexpr std::size_t kBody = 7;                                 // office (2) + random (5)

int valueOf(char c) {
    const auto at = kTicketAlphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Weights 1..7 modulo a prime: one changed character, or two neighbours
// swapped (unless equal), always changes the sum.
char checkCharacter(std::string_view body) {
    int sum = 0;
    for (std::size_t i = 0; i < body.size(); ++i)
        sum += static_cast<int>(i + 1) * valueOf(body[i]);
    return kTicketAlphabet[static_cast<std::size_t>(sum % kBase)];
}

std::string officeChars(std::string_view office) {
    const int suffix = office.size() == 9 ? std::stoi(std::string(office.substr(6))) : 0;
    return {kTicketAlphabet[static_cast<std::size_t>(suffix / kBase % kBase)],
            kTicketAlphabet[static_cast<std::size_t>(suffix % kBase)]};
}

std::string shown(std::string_view eight) {
    return std::string(eight.substr(0, 4)) + "-" + std::string(eight.substr(4));
}

}  // namespace

std::string newTicket(std::string_view office) {
    std::string body = officeChars(office);
    const std::string random = randomBytes(kBody - body.size());
    for (const char byte : random)
        body += kTicketAlphabet[static_cast<unsigned char>(byte) % kBase];
    return shown(body + checkCharacter(body));
}

std::optional<std::string> parseTicket(std::string_view typed) {
    std::string chars;
    for (const char c : typed) {
        if (c == '-' || c == ' ') continue;
        if (chars.size() > kBody) return std::nullopt;
        const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (valueOf(upper) < 0) return std::nullopt;
        chars += upper;
    }
    if (chars.size() != kBody + 1) return std::nullopt;
    if (checkCharacter(std::string_view(chars).substr(0, kBody)) != chars.back()) return std::nullopt;
    return shown(chars);
}

bool ticketOfOffice(std::string_view ticket, std::string_view office) {
    return ticket.size() >= 2 && office.size() == 9 && ticket.substr(0, 2) == officeChars(office);
}

std::string ticketOfficeSuffix(std::string_view ticket) {
    if (ticket.size() < 2 || valueOf(ticket[0]) < 0 || valueOf(ticket[1]) < 0) return {};
    const int suffix = valueOf(ticket[0]) * kBase + valueOf(ticket[1]);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d", suffix);
    return buf;
}

}  // namespace shouxin
