#include "shared/domain.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <set>

#include "shared/crypto.hpp"
#include "shared/text.hpp"
#include "shared/ticket.hpp"

namespace shouxin {
namespace {

bool allDigits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view digits) {
    int n = 0;
    for (const char c : digits)
        n = n * 10 + (c - '0');
    return n;
}

// GB/T 2260 province-level codes.
constexpr std::array<int, 34> kProvinces = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                            35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                            53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

template <class E, std::size_t N>
std::optional<E> parseEnum(std::string_view id, const std::array<E, N>& all) {
    for (const E e : all) {
        if (idOf(e) == id) return e;
    }
    return std::nullopt;
}

void addIf(Problems& out, std::optional<Problem> p) {
    if (p) out.push_back(std::move(*p));
}

// `allowRegion`: a region's own records (a district- or city-wide
// commitment, a region's name) may name a region code.
void requireOffice(Problems& out, std::string_view office, bool allowRegion) {
    if (isOfficeCode(office) || (allowRegion && isRegionCode(office))) return;
    out.push_back({"office", "error.office_code", std::string(office)});
}

void requireUuid(Problems& out, std::string_view field, std::string_view id) {
    if (!isUuid(id)) out.push_back({std::string(field), "error.id", std::string(id)});
}

}  // namespace

// ---- Offices ----------------------------------------------------------------

bool isDistrictCode(std::string_view code) {
    if (code.size() != 6 || !allDigits(code)) return false;
    const int province = number(code.substr(0, 2));
    if (std::find(kProvinces.begin(), kProvinces.end(), province) == kProvinces.end()) return false;
    return code.substr(4, 2) != "00";  // a county, not a prefecture or province
}

bool isOfficeCode(std::string_view code) {
    return code.size() == 9 && isDistrictCode(code.substr(0, 6)) && allDigits(code) &&
           officeKind(code).has_value();
}

std::optional<OfficeKind> officeKind(std::string_view officeCode) {
    if (officeCode.size() != 9 || !allDigits(officeCode)) return std::nullopt;
    const int n = number(officeCode.substr(6));
    if (n >= 1 && n <= 99) return OfficeKind::street;
    if (n >= 100 && n <= 199) return OfficeKind::town;
    if (n >= 200 && n <= 399) return OfficeKind::township;
    return std::nullopt;
}

bool inScope(std::string_view scopeCode, std::string_view recordOffice) {
    return !scopeCode.empty() && recordOffice.substr(0, scopeCode.size()) == scopeCode;
}

std::string districtOf(std::string_view officeCode) { return std::string(officeCode.substr(0, 6)); }

bool isProvinceCode(std::string_view code) {
    return code.size() == 2 && allDigits(code) &&
           std::find(kProvinces.begin(), kProvinces.end(), number(code)) != kProvinces.end();
}

bool isCityCode(std::string_view code) {
    return code.size() == 4 && allDigits(code) && isProvinceCode(code.substr(0, 2)) && code.substr(2) != "00";
}

bool isRegionCode(std::string_view code) {
    return isProvinceCode(code) || isCityCode(code) || isDistrictCode(code);
}

std::vector<std::string> regionsAbove(std::string_view code) {
    std::vector<std::string> out;
    for (const std::size_t n : {std::size_t{6}, std::size_t{4}, std::size_t{2}}) {
        if (n < code.size() && isRegionCode(code.substr(0, n))) out.emplace_back(code.substr(0, n));
    }
    return out;
}

std::size_t childCodeLength(std::string_view regionCode) {
    if (!isRegionCode(regionCode)) return 0;
    return regionCode.size() == 6 ? 9 : regionCode.size() + 2;
}

bool isChildOf(std::string_view region, std::string_view code) {
    const std::size_t n = childCodeLength(region);
    if (n == 0 || code.size() != n || !inScope(region, code)) return false;
    return n == 9 ? isOfficeCode(code) : isRegionCode(code);
}

std::string_view levelOf(std::string_view code) {
    if (isOfficeCode(code)) return "office";
    if (isDistrictCode(code)) return "district";
    if (isCityCode(code)) return "city";
    if (isProvinceCode(code)) return "province";
    return "";
}

bool isCreditCode(std::string_view code) {
    static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    if (code.size() != 18) return false;
    int sum = 0;
    int weight = 1;  // 3^(i-1) mod 31
    for (std::size_t i = 0; i < 17; ++i) {
        const std::size_t value = kAlphabet.find(code[i]);
        if (value == std::string_view::npos) return false;
        sum += static_cast<int>(value) * weight;
        weight = weight * 3 % 31;
    }
    const int check = (31 - sum % 31) % 31;
    return code[17] == kAlphabet[static_cast<std::size_t>(check)];
}

// ---- Enumerations -----------------------------------------------------------

const std::array<Category, kCategoryCount> kCategories = {
    Category::employment,       Category::property,    Category::schooling,     Category::familyPlanning,
    Category::elderlyCare,      Category::disability,  Category::povertyRelief, Category::medicalInsurance,
    Category::housing,          Category::transport,   Category::parking,       Category::fireTheft,
    Category::militaryFamilies, Category::convenience,
};
const std::array<Kind, kKindCount> kKinds = {Kind::serviceQuality, Kind::timeLimit, Kind::guarantee};
const std::array<Status, kStatusCount> kStatuses = {Status::notStarted, Status::inProgress, Status::fulfilled,
                                                    Status::broken,     Status::rectified,  Status::amended};

std::string_view idOf(Category c) {
    static constexpr std::array<std::string_view, kCategoryCount> kIds = {
        "employment", "property",       "schooling",         "family_planning", "elderly_care",
        "disability", "poverty_relief", "medical_insurance", "housing",         "transport",
        "parking",    "fire_theft",     "military_families", "convenience"};
    return kIds[static_cast<std::size_t>(c)];
}

std::string_view idOf(Kind k) {
    static constexpr std::array<std::string_view, kKindCount> kIds = {"service_quality", "time_limit",
                                                                      "guarantee"};
    return kIds[static_cast<std::size_t>(k)];
}

std::string_view idOf(Status s) {
    static constexpr std::array<std::string_view, kStatusCount> kIds = {
        "not_started", "in_progress", "fulfilled", "broken", "rectified", "amended"};
    return kIds[static_cast<std::size_t>(s)];
}

std::optional<Category> parseCategory(std::string_view id) { return parseEnum(id, kCategories); }
std::optional<Kind> parseKind(std::string_view id) { return parseEnum(id, kKinds); }
std::optional<Status> parseStatus(std::string_view id) { return parseEnum(id, kStatuses); }

const std::array<ComplaintReason, kComplaintReasonCount> kComplaintReasons = {
    ComplaintReason::notKept, ComplaintReason::late, ComplaintReason::attitude, ComplaintReason::wrongInfo,
    ComplaintReason::other};
const std::array<BreachStepKind, kBreachStepCount> kBreachSteps = {
    BreachStepKind::objected, BreachStepKind::upheld, BreachStepKind::dismissed, BreachStepKind::rectified,
    BreachStepKind::repaired};

namespace {
constexpr std::array<ComplaintStepKind, 3> kComplaintSteps = {
    ComplaintStepKind::handling, ComplaintStepKind::closed, ComplaintStepKind::contactRead};
constexpr std::array<BreachStage, 5> kBreachStages = {BreachStage::confirmed, BreachStage::objected,
                                                      BreachStage::annulled, BreachStage::rectified,
                                                      BreachStage::repaired};
}  // namespace

std::string_view idOf(ComplaintReason r) {
    static constexpr std::array<std::string_view, kComplaintReasonCount> kIds = {
        "not_kept", "late", "attitude", "wrong_info", "other"};
    return kIds[static_cast<std::size_t>(r)];
}

std::string_view idOf(ComplaintStatus s) {
    static constexpr std::array<std::string_view, 4> kIds = {"received", "handling", "answered", "closed"};
    return kIds[static_cast<std::size_t>(s)];
}

std::string_view idOf(ComplaintStepKind k) {
    static constexpr std::array<std::string_view, 3> kIds = {"handling", "closed", "contact_read"};
    return kIds[static_cast<std::size_t>(k)];
}

std::string_view idOf(BreachStepKind k) {
    static constexpr std::array<std::string_view, kBreachStepCount> kIds = {"objected", "upheld", "dismissed",
                                                                            "rectified", "repaired"};
    return kIds[static_cast<std::size_t>(k)];
}

std::string_view idOf(BreachStage s) {
    static constexpr std::array<std::string_view, 5> kIds = {"confirmed", "objected", "annulled", "rectified",
                                                             "repaired"};
    return kIds[static_cast<std::size_t>(s)];
}

std::optional<ComplaintReason> parseComplaintReason(std::string_view id) {
    return parseEnum(id, kComplaintReasons);
}
std::optional<ComplaintStepKind> parseComplaintStep(std::string_view id) {
    return parseEnum(id, kComplaintSteps);
}
std::optional<BreachStepKind> parseBreachStep(std::string_view id) { return parseEnum(id, kBreachSteps); }
std::optional<BreachStage> parseBreachStage(std::string_view id) { return parseEnum(id, kBreachStages); }

std::string messageIdOf(ComplaintReason r) { return "complaint.reason." + std::string(idOf(r)); }
std::string messageIdOf(ComplaintStatus s) { return "complaint.status." + std::string(idOf(s)); }
std::string messageIdOf(BreachStepKind k) { return "breach.step." + std::string(idOf(k)); }
std::string messageIdOf(BreachStage s) { return "breach.stage." + std::string(idOf(s)); }

std::string messageIdOf(Category c) { return "category." + std::string(idOf(c)); }
std::string messageIdOf(Kind k) { return "kind." + std::string(idOf(k)); }
std::string messageIdOf(Status s) { return "status." + std::string(idOf(s)); }

bool isClosed(Status s) { return s != Status::notStarted && s != Status::inProgress; }

// ---- Dates ------------------------------------------------------------------

std::optional<Date> Date::parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const auto y = text.substr(0, 4);
    const auto m = text.substr(5, 2);
    const auto d = text.substr(8, 2);
    if (!allDigits(y) || !allDigits(m) || !allDigits(d)) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{number(y)},
                                          std::chrono::month{static_cast<unsigned>(number(m))},
                                          std::chrono::day{static_cast<unsigned>(number(d))}};
    if (!ymd.ok() || number(y) < 1970) return std::nullopt;
    return Date{static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count())};
}

Date Date::fromCivil(int year, unsigned month, unsigned day) {
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                          std::chrono::day{day}};
    return Date{static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count())};
}

Date Date::today() { return localOf(static_cast<std::int64_t>(std::time(nullptr)) * 1000); }

Date Date::localOf(std::int64_t unixMillis) {
    // Floor division: a moment before 1970 belongs to the second before it.
    const std::time_t seconds =
        static_cast<std::time_t>(unixMillis >= 0 ? unixMillis / 1000 : (unixMillis - 999) / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    return fromCivil(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                     static_cast<unsigned>(local.tm_mday));
}

std::string Date::toString() const {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string_view idOf(Role r) { return r == Role::supervisor ? "supervisor" : "clerk"; }

std::optional<Role> parseRole(std::string_view id) {
    if (id == "clerk") return Role::clerk;
    if (id == "supervisor") return Role::supervisor;
    return std::nullopt;
}

bool isClerkId(std::string_view id) {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_' || c == '-' || c == '.';
    });
}

// ---- Identifiers ------------------------------------------------------------

bool isUuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return text[14] == '7';
}

bool isActor(std::string_view actor) {
    if (actor == "resident" || actor == "system") return true;
    for (const std::string_view prefix : {"clerk:", "district:"}) {
        if (actor.substr(0, prefix.size()) != prefix) continue;
        const auto name = actor.substr(prefix.size());
        return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                   c == '-' || c == '.';
        });
    }
    return false;
}

// ---- Validation -------------------------------------------------------------

Problems validate(const Commitment& c) {
    Problems out;
    requireUuid(out, "id", c.id);
    requireOffice(out, c.office, true);
    addIf(out, checkText("title", c.title, 1, Limits::kTitle));
    addIf(out, checkText("detail", c.detail, 1, Limits::kDetail, true));
    addIf(out, checkText("department", c.department, 1, Limits::kDepartment));
    addIf(out, checkText("responsible", c.responsible, 0, Limits::kResponsible));
    addIf(out, checkText("time_limit", c.timeLimit, 0, Limits::kTimeLimit));
    if (c.deadline && *c.deadline < c.published) {
        out.push_back({"deadline", "error.deadline_before_published", c.deadline->toString()});
    }
    return out;
}

Problems validate(const FulfilmentReport& r) {
    Problems out;
    requireUuid(out, "commitment", r.commitment);
    if (r.progress < 0 || r.progress > 100) {
        out.push_back({"progress", "error.progress", std::to_string(r.progress)});
    }
    addIf(out, checkText("note", r.note, 0, Limits::kNote, true));
    if (r.evidence.size() > Limits::kEvidenceCount) {
        out.push_back({"evidence", "error.too_many", std::to_string(r.evidence.size())});
    }
    for (const auto& e : r.evidence)
        addIf(out, checkText("evidence", e, 1, Limits::kEvidence));
    const std::size_t minReason = r.status == Status::amended ? 1 : 0;
    addIf(out, checkText("reason", r.reason, minReason, Limits::kReason, true));
    addIf(out, checkText("legal_basis", r.legalBasis, minReason, Limits::kLegalBasis));
    if (!r.basedOn.empty()) requireUuid(out, "based_on", r.basedOn);
    return out;
}

Problems validate(const Complaint& c) {
    Problems out;
    requireUuid(out, "id", c.id);
    requireOffice(out, c.office, false);
    // Four characters of the alphabet, '-', four more: '-' only at index 4.
    bool ticketOk = c.ticket.size() == 9;
    for (std::size_t i = 0; ticketOk && i < c.ticket.size(); ++i) {
        ticketOk = i == 4 ? c.ticket[i] == '-' : kTicketAlphabet.find(c.ticket[i]) != std::string_view::npos;
    }
    if (!ticketOk) out.push_back({"ticket", "error.ticket", c.ticket});
    if (!c.commitment.empty()) requireUuid(out, "commitment", c.commitment);
    addIf(out, checkText("text", c.text, 1, Limits::kComplaintText, true));
    if (!c.sealedContact.empty() && !isSealedBox(c.sealedContact, Limits::kSealedContact)) {
        out.push_back({"contact", "error.complaint.contact_not_sealed", ""});
    }
    return out;
}

Problems validate(const ComplaintStep& s) {
    Problems out;
    requireUuid(out, "complaint", s.complaint);
    addIf(out, checkText("note", s.note, 0, Limits::kAnswer, true));
    return out;
}

Problems validate(const Breach& b) {
    Problems out;
    requireUuid(out, "id", b.id);
    requireOffice(out, b.office, true);
    requireUuid(out, "commitment", b.commitment);
    addIf(out, checkText("note", b.note, 1, Limits::kReason, true));
    if (b.objectBy < b.confirmed)
        out.push_back({"object_by", "error.breach.date_before", b.objectBy.toString()});
    if (b.rectifyBy < b.confirmed) {
        out.push_back({"rectify_by", "error.breach.date_before", b.rectifyBy.toString()});
    }
    return out;
}

Problems validate(const BreachStep& s) {
    Problems out;
    requireUuid(out, "breach", s.breach);
    addIf(out, checkText("note", s.note, 1, Limits::kReason, true));
    return out;
}

Problems validate(const ComplaintAnswer& a) {
    Problems out;
    requireUuid(out, "complaint", a.complaint);
    addIf(out, checkText("text", a.text, 1, Limits::kAnswer, true));
    return out;
}

Problems validate(const Rating& r) {
    Problems out;
    if (r.commitment.empty() == r.complaint.empty()) {
        out.push_back({"target", "error.rating_target", ""});
    }
    if (!r.commitment.empty()) requireUuid(out, "commitment", r.commitment);
    if (!r.complaint.empty()) requireUuid(out, "complaint", r.complaint);
    if (r.score < 1 || r.score > 5) out.push_back({"score", "error.score", std::to_string(r.score)});
    return out;
}

Problems validate(const OfficeNamed& o) {
    Problems out;
    requireOffice(out, o.code, true);
    addIf(out, checkText("name", o.name, 1, Limits::kOfficeName));
    return out;
}

}  // namespace shouxin

namespace shouxin {

Problems validate(const ClerkAdded& c) {
    Problems out;
    if (!isClerkId(c.clerk)) out.push_back({"clerk", "error.clerk.id", c.clerk});
    requireOffice(out, c.office, false);
    addIf(out, checkText("name", c.name, 1, Limits::kClerkName));
    const std::string& v = c.pinVerifier;
    const bool printable = std::all_of(v.begin(), v.end(), [](char ch) { return ch > ' ' && ch < 0x7F; });
    const bool readable = v.rfind("$argon2id$", 0) == 0 && v.size() <= Limits::kPinHash;
    const bool sealed =
        v.rfind("sealed:", 0) == 0 && v.size() <= Limits::kSealedPin && v.size() > 7 &&
        std::all_of(v.begin() + 7, v.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '/' || ch == '=';
        });
    const bool hashOk = printable && (readable || sealed);
    if (!hashOk) out.push_back({"pin_hash", "error.clerk.pin_hash", ""});
    return out;
}

Problems validate(const ClerkDisabled& c) {
    Problems out;
    if (!isClerkId(c.clerk)) out.push_back({"clerk", "error.clerk.id", c.clerk});
    requireOffice(out, c.office, false);
    addIf(out, checkText("reason", c.reason, 0, Limits::kReason, true));
    return out;
}

Problems validate(const CommitmentRevised& r) {
    Problems out;
    requireUuid(out, "commitment", r.commitment);
    addIf(out, checkText("title", r.title, 1, Limits::kTitle));
    addIf(out, checkText("detail", r.detail, 1, Limits::kDetail, true));
    addIf(out, checkText("department", r.department, 1, Limits::kDepartment));
    addIf(out, checkText("responsible", r.responsible, 0, Limits::kResponsible));
    addIf(out, checkText("time_limit", r.timeLimit, 0, Limits::kTimeLimit));
    addIf(out, checkText("reason", r.reason, 1, Limits::kReason, true));
    return out;
}

}  // namespace shouxin
