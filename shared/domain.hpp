#pragma once
// The domain of DESIGN.md: offices, service areas, kinds, statuses, dates,
// commitments, fulfilment reports, complaints and ratings, with validation.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace shouxin {

// ---- Offices and scope ------------------------------------------------------

enum class OfficeKind { street, town, township };

/// A 6-digit GB/T 2260 county-level code (the district).
bool isDistrictCode(std::string_view code);
/// A 9-digit office code: district code + 001-099 street, 100-199 town,
/// 200-399 township.
bool isOfficeCode(std::string_view code);
std::optional<OfficeKind> officeKind(std::string_view officeCode);
/// A scope covers a record when the scope's code is a prefix of the record's
/// office code (a district covers its offices; an office covers itself).
bool inScope(std::string_view scopeCode, std::string_view recordOffice);
/// The district-wide scope of an office: its 6-digit prefix.
std::string districtOf(std::string_view officeCode);

// Levels above the office (逐级归集): a 2-digit province, a 4-digit city
// (prefecture) and a 6-digit district (county) are regions. The same
// server program serves any of them; each level holds what is below it.

/// A 2-digit GB/T 2260 province code.
bool isProvinceCode(std::string_view code);
/// A 4-digit city (prefecture-level) code: a province code and 01-99.
bool isCityCode(std::string_view code);
/// A province, city or district code: what a server at some level serves.
bool isRegionCode(std::string_view code);
/// The regions strictly above a code, nearest first: for 330110104,
/// {330110, 3301, 33}; for 3301, {33}. Only codes that are regions.
std::vector<std::string> regionsAbove(std::string_view code);
/// The length of the codes directly below a region: 4 under a province,
/// 6 under a city, 9 (offices) under a district; 0 for anything else.
std::size_t childCodeLength(std::string_view regionCode);
/// `code` is directly below `region`: inside its prefix, one level down.
bool isChildOf(std::string_view region, std::string_view code);
/// The level a code names, as open data and message ids spell it:
/// "province", "city", "district", "office"; "" for anything else.
std::string_view levelOf(std::string_view code);

/// GB 32100 unified social credit code, including its check character.
bool isCreditCode(std::string_view code);

// ---- Enumerations -----------------------------------------------------------

enum class Category : std::uint8_t {
    employment,
    property,
    schooling,
    familyPlanning,
    elderlyCare,
    disability,
    povertyRelief,
    medicalInsurance,
    housing,
    transport,
    parking,
    fireTheft,
    militaryFamilies,
    convenience,
};
inline constexpr std::size_t kCategoryCount = 14;
extern const std::array<Category, kCategoryCount> kCategories;

enum class Kind : std::uint8_t { serviceQuality, timeLimit, guarantee };
inline constexpr std::size_t kKindCount = 3;
extern const std::array<Kind, kKindCount> kKinds;

/// Stored statuses. Overdue is not one of them: see isOverdue().
enum class Status : std::uint8_t { notStarted, inProgress, fulfilled, broken, rectified, amended };
inline constexpr std::size_t kStatusCount = 6;
extern const std::array<Status, kStatusCount> kStatuses;

/// Stable ids used in payloads, the database and on the command line
/// ("employment", "time_limit", "in_progress"); also catalogue keys with a
/// prefix ("category.employment").
std::string_view idOf(Category c);
std::string_view idOf(Kind k);
std::string_view idOf(Status s);
std::optional<Category> parseCategory(std::string_view id);
std::optional<Kind> parseKind(std::string_view id);
std::optional<Status> parseStatus(std::string_view id);
/// Catalogue message id of the value's display name, e.g. "status.broken".
std::string messageIdOf(Category c);
std::string messageIdOf(Kind k);
std::string messageIdOf(Status s);

/// Statuses that close a commitment (fulfilled, broken, rectified, amended).
bool isClosed(Status s);

// ---- Dates ------------------------------------------------------------------

/// A civil date, stored as days since 1970-01-01; text form YYYY-MM-DD.
struct Date {
    std::int32_t days = 0;

    static std::optional<Date> parse(std::string_view text);
    static Date fromCivil(int year, unsigned month, unsigned day);
    /// Today in the machine's local time zone.
    static Date today();
    /// The day `unixMillis` falls on in the machine's local time zone.
    static Date localOf(std::int64_t unixMillis);
    std::string toString() const;
    Date plusDays(std::int32_t n) const { return Date{days + n}; }
    friend auto operator<=>(const Date&, const Date&) = default;
};

// ---- Records ----------------------------------------------------------------

/// Field bounds, in code points.
struct Limits {
    static constexpr std::size_t kTitle = 60;
    static constexpr std::size_t kDetail = 2000;
    static constexpr std::size_t kDepartment = 40;
    static constexpr std::size_t kResponsible = 40;
    static constexpr std::size_t kTimeLimit = 40;
    static constexpr std::size_t kNote = 500;
    static constexpr std::size_t kReason = 500;
    static constexpr std::size_t kLegalBasis = 200;
    static constexpr std::size_t kEvidence = 200;
    static constexpr std::size_t kEvidenceCount = 10;
    static constexpr std::size_t kOfficeName = 40;
    static constexpr std::size_t kComplaintText = 1000;
    static constexpr std::size_t kAnswer = 1000;
    static constexpr std::size_t kSealedContact = 1024;  // base64 of a sealed box
    static constexpr std::size_t kActor = 64;
    static constexpr std::size_t kClerkName = 20;
    static constexpr std::size_t kPinHash = 127;    // crypto_pwhash_STRBYTES - 1
    static constexpr std::size_t kSealedPin = 240;  // "sealed:" + base64(24 + 16 + kPinHash)
};

/// A commitment as published (payload of `commitment.published`).
struct Commitment {
    std::string id;      // UUIDv7
    std::string office;  // 9-digit office, or 6-digit district for district-wide
    Category category = Category::convenience;
    Kind kind = Kind::serviceQuality;
    std::string title;
    std::string detail;
    std::string department;
    std::string responsible;  // optional post or person
    std::optional<Date> deadline;
    std::string timeLimit;  // optional, e.g. "10个工作日"
    Date published;
};

/// A dated fulfilment report (payload of `fulfilment.reported`). Never
/// edited: a correction is a new report.
struct FulfilmentReport {
    std::string commitment;
    Status status = Status::inProgress;
    int progress = 0;  // percent
    std::string note;
    Date date;
    std::vector<std::string> evidence;  // references (file names, archive numbers)
    std::string reason;                 // required when status is amended
    std::string legalBasis;             // required when status is amended
    std::string basedOn;                // id of the report the clerk saw as current ("" if none)
};

/// Why a resident complains: the kiosk's short list.
enum class ComplaintReason : std::uint8_t { notKept, late, attitude, wrongInfo, other };
inline constexpr std::size_t kComplaintReasonCount = 5;
extern const std::array<ComplaintReason, kComplaintReasonCount> kComplaintReasons;

/// A resident's complaint (payload of `complaint.filed`).
struct Complaint {
    std::string id;  // UUIDv7
    std::string office;
    std::string ticket;      // what the resident keeps (ticket.hpp), e.g. "Q7K3-9MPD"
    std::string commitment;  // optional
    std::string text;
    std::string sealedContact;  // base64 sealed box to the district (crypto.hpp); optional
    Date filed;
    // Events written before reasons existed have no "reason": other.
    ComplaintReason reason = ComplaintReason::other;
};

/// Where a complaint stands, derived from its events: received when filed,
/// handling once the office takes it up, answered, closed once the
/// resident rated the answer or the office or district closed it.
enum class ComplaintStatus : std::uint8_t { received, handling, answered, closed };

/// A step in a complaint's handling other than the answer (payload of
/// `complaint.progressed`): taken up, closed, or its sealed contact read by
/// the district (each reading is itself on the record).
enum class ComplaintStepKind : std::uint8_t { handling, closed, contactRead };
struct ComplaintStep {
    std::string complaint;
    ComplaintStepKind step = ComplaintStepKind::handling;
    std::string note;  // optional; for contactRead, why it was read
    Date date;
};

/// An answer to a complaint (payload of `complaint.answered`).
struct ComplaintAnswer {
    std::string complaint;
    std::string text;
    Date date;
};

/// A resident's 1-5 satisfaction with a commitment or an answer.
struct Rating {
    std::string commitment;  // exactly one of commitment and complaint
    std::string complaint;
    int score = 0;
    Date date;
};

/// A breach record (政务失信记录, payload of `breach.confirmed`): a broken
/// commitment confirmed as a breach by a supervisor or the district. The
/// office may object until `objectBy`, and must rectify by `rectifyBy`.
struct Breach {
    std::string id;  // UUIDv7
    std::string office;
    std::string commitment;
    std::string note;  // what was broken
    Date confirmed;
    Date objectBy;   // last day for an objection (default: 15 days after confirmation)
    Date rectifyBy;  // rectification deadline
};

/// A later step of a breach record (payload of `breach.progressed`). The
/// order and who may take each step are in the rulebook (rules.hpp).
enum class BreachStepKind : std::uint8_t { objected, upheld, dismissed, rectified, repaired };
inline constexpr std::size_t kBreachStepCount = 5;
extern const std::array<BreachStepKind, kBreachStepCount> kBreachSteps;
struct BreachStep {
    std::string breach;
    BreachStepKind step = BreachStepKind::objected;
    std::string note;  // the objection's reason, the ruling, what was rectified or why repaired
    Date date;
};

/// Where a breach record stands after its steps: confirmed (also after a
/// dismissed objection), objected (waiting for the district's ruling),
/// annulled (objection upheld), rectified, repaired (信用修复: in the
/// history, no longer an open breach).
enum class BreachStage : std::uint8_t { confirmed, objected, annulled, rectified, repaired };

/// What a clerk account may do. Supervisors also revise and lawfully amend
/// or withdraw commitments and manage clerks.
enum class Role : std::uint8_t { clerk, supervisor };
std::string_view idOf(Role r);
std::optional<Role> parseRole(std::string_view id);
/// A clerk id: 1-32 of [a-z0-9_.-], unique within an office.
bool isClerkId(std::string_view id);

/// A clerk account (payload of `clerk.added`; re-adding an account changes
/// its name, role or PIN). The PIN is kept only as its Argon2id string
/// (libsodium crypto_pwhash_str), and that travels sealed with the office
/// key (pin.hpp): Store::record seals a readable one before it enters the
/// log. Logs from before sealing hold readable ones (JSON key "pin_hash").
struct ClerkAdded {
    std::string clerk;
    std::string office;
    std::string name;
    Role role = Role::clerk;
    std::string pinVerifier;  // "$argon2id$..." (made here, or legacy) or "sealed:..."
};

/// A clerk account switched off (payload of `clerk.disabled`).
struct ClerkDisabled {
    std::string clerk;
    std::string office;
    std::string reason;
};

/// A supervisor's revision of a commitment's text (payload of
/// `commitment.revised`); the earlier text stays in the public history.
struct CommitmentRevised {
    std::string commitment;
    std::string title;
    std::string detail;
    std::string department;
    std::string responsible;
    std::optional<Date> deadline;
    std::string timeLimit;
    std::string reason;
    Date date;
};

/// The office's own name (payload of `office.named`).
struct OfficeNamed {
    std::string code;
    std::string name;
};

std::string_view idOf(ComplaintReason r);
std::string_view idOf(ComplaintStatus s);
std::string_view idOf(ComplaintStepKind k);
std::string_view idOf(BreachStepKind k);
std::string_view idOf(BreachStage s);
std::optional<ComplaintReason> parseComplaintReason(std::string_view id);
std::optional<ComplaintStepKind> parseComplaintStep(std::string_view id);
std::optional<BreachStepKind> parseBreachStep(std::string_view id);
std::optional<BreachStage> parseBreachStage(std::string_view id);
/// "complaint.reason.late", "complaint.status.answered", "breach.step.upheld",
/// "breach.stage.repaired".
std::string messageIdOf(ComplaintReason r);
std::string messageIdOf(ComplaintStatus s);
std::string messageIdOf(BreachStepKind k);
std::string messageIdOf(BreachStage s);

Problems validate(const Commitment& c);
Problems validate(const FulfilmentReport& r);
Problems validate(const Complaint& c);
Problems validate(const ComplaintAnswer& a);
Problems validate(const Rating& r);
Problems validate(const ComplaintStep& s);
Problems validate(const Breach& b);
Problems validate(const BreachStep& s);
Problems validate(const OfficeNamed& o);
Problems validate(const ClerkAdded& c);
Problems validate(const ClerkDisabled& c);
Problems validate(const CommitmentRevised& r);

/// UUIDv7 text form (8-4-4-4-12 lower-case hex, version 7).
bool isUuid(std::string_view text);
/// An actor: "resident", "clerk:<id>", "district:<id>", "system".
bool isActor(std::string_view actor);

}  // namespace shouxin
