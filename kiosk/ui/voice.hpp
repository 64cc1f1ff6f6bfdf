#pragma once
// Residents' voice at the kiosk without a window: the complaint form, the
// phone number typed on the digit pad and sealed to the district, and the
// phrases a resident or a clerk can tap in. No ImGui here, so the sealing
// and the validation are tested as plain logic.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shared/domain.hpp"
#include "shared/result.hpp"

namespace shouxin::kiosk {

/// The digits of a phone number as a resident types them, in a fixed
/// buffer that is never copied and is zeroed (sodium_memzero) by clear()
/// and on destruction: the plaintext lives nowhere else (DESIGN.md,
/// "Security and privacy").
class PhoneDigits {
public:
    static constexpr std::size_t kMax = 11;
    PhoneDigits() = default;
    PhoneDigits(const PhoneDigits&) = delete;
    PhoneDigits& operator=(const PhoneDigits&) = delete;
    ~PhoneDigits() { clear(); }

    /// Adds a digit ('0'-'9'); false when full or not a digit.
    bool push(char digit);
    void pop();
    /// Zeroes the buffer.
    void clear();
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::string_view digits() const { return {m_buffer.data(), m_size}; }

private:
    std::array<char, kMax + 1> m_buffer{};
    std::size_t m_size = 0;
};

/// A mainland mobile number: eleven digits starting with 1.
bool isMobileNumber(std::string_view digits);

/// The phone number sealed to the district's key (crypto.hpp sealToDistrict):
/// "" when none was typed. Refuses a number that is not a mobile number
/// (kiosk.complaint.phone_invalid) or a kiosk without the district's key
/// (kiosk.complaint.not_enrolled). The digits are zeroed in every case.
Result<std::string> sealPhone(PhoneDigits& phone, std::string_view districtKeyHex);

/// What a resident chose and typed, short of the contact.
struct ComplaintForm {
    ComplaintReason reason = ComplaintReason::notKept;
    std::string text;
};

/// The complaint as the kiosk sends it: the controller's job gives it its
/// id and ticket (newTicket) when it records it.
Complaint draftComplaint(const ComplaintForm& form, std::string_view office, std::string_view commitment,
                         std::string sealedContact, Date today);

/// Phrases a resident can tap into a complaint (catalogue ids).
const std::vector<std::string>& complaintPhraseIds();
/// Phrases a clerk can tap into an answer (catalogue ids).
const std::vector<std::string>& answerPhraseIds();

}  // namespace shouxin::kiosk
