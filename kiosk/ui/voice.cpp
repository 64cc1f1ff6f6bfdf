#include "kiosk/ui/voice.hpp"

#include <sodium.h>

#include <algorithm>

#include "shared/crypto.hpp"

namespace shouxin::kiosk {

bool PhoneDigits::push(char digit) {
    if (digit < '0' || digit > '9' || m_size >= kMax) return false;
    m_buffer[m_size++] = digit;
    return true;
}

void PhoneDigits::pop() {
    if (m_size == 0) return;
    m_buffer[--m_size] = '\0';
}

void PhoneDigits::clear() {
    sodium_memzero(m_buffer.data(), m_buffer.size());
    m_size = 0;
}

bool isMobileNumber(std::string_view digits) {
    return digits.size() == PhoneDigits::kMax && digits.front() == '1' &&
           std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::string> sealPhone(PhoneDigits& phone, std::string_view districtKeyHex) {
    if (phone.empty()) return std::string();
    if (!isMobileNumber(phone.digits())) {
        phone.clear();
        return Problems{{"contact", "kiosk.complaint.phone_invalid", ""}};
    }
    std::optional<std::string> sealed;
    if (!districtKeyHex.empty()) sealed = sealToDistrict(phone.digits(), districtKeyHex);
    phone.clear();
    if (!sealed) return Problems{{"contact", "kiosk.complaint.not_enrolled", ""}};
    return std::move(*sealed);
}

Complaint draftComplaint(const ComplaintForm& form, std::string_view office, std::string_view commitment,
                         std::string sealedContact, Date today) {
    return Complaint{"",        std::string(office),      "",    std::string(commitment),
                     form.text, std::move(sealedContact), today, form.reason};
}

const std::vector<std::string>& complaintPhraseIds() {
    static const std::vector<std::string> ids = {
        "kiosk.complaint.phrase.no_reply", "kiosk.complaint.phrase.many_trips",
        "kiosk.complaint.phrase.past_due", "kiosk.complaint.phrase.unclear",
        "kiosk.complaint.phrase.rude",
    };
    return ids;
}

const std::vector<std::string>& answerPhraseIds() {
    static const std::vector<std::string> ids = {
        "kiosk.answer.phrase.checked",   "kiosk.answer.phrase.fixed",     "kiosk.answer.phrase.called",
        "kiosk.answer.phrase.explained", "kiosk.answer.phrase.forwarded",
    };
    return ids;
}

}  // namespace shouxin::kiosk
