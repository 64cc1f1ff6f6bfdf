#pragma once
// A district server's database holding two townships' records, as the open
// data and the assessment read them: commitments due before, in and after
// 2026-Q4, fulfilment reports (one on time, one late), a revision, a lawful
// amendment, a breach record taken to credit repair, a complaint with a
// sealed phone number, a rating, and a district-wide commitment. Titles
// begin with the characters a spreadsheet takes for a formula.
#include <filesystem>
#include <string>

#include "shared/store.hpp"

namespace shouxin::test {

struct DistrictData {
    static constexpr const char* kDistrict = "330110";
    static constexpr const char* kDistrictName = "余杭区";
    static constexpr const char* kTownA = "330110104";
    static constexpr const char* kTownAName = "青山镇人民政府";
    static constexpr const char* kTownB = "330110105";
    static constexpr const char* kTownBName = "瓶窑镇人民政府";
    static constexpr const char* kPhone = "13800138000";
    static constexpr const char* kComplaintText = "路灯坏了一周还没修，投诉正文";
    static constexpr const char* kInjection = "=cmd|' /C calc'!A0";
    static constexpr const char* kTrickyNote = "已完成，\"验收\"通过\n第二行, 含逗号";

    std::filesystem::path db;  // the district's database
    // Town A: due 2026-10-15 fulfilled on time; due 2026-11-20 untouched
    // (overdue from 2026-11-21); due 2026-09-30 broken, a breach repaired;
    // due 2027-01-15 in progress; due 2026-12-31 revised then amended.
    std::string onTime, overdue, broken, nextYear, amended;
    // Town B: due 2026-10-31 fulfilled late; no deadline, published
    // 2026-11-10; due 2026-03-31 fulfilled.
    std::string late, noDeadline, firstQuarter;
    std::string districtWide;   // due 2026-12-15
    std::string complaint;      // about `overdue`, filed 2026-11-25, answered 2026-11-27
    std::string breach;         // on `broken`
    std::string sealedContact;  // the complaint's sealed box, as stored
};

/// Builds the data in `dir` (two township nodes and the district database,
/// the townships' events pushed to the district as a sync would).
DistrictData makeDistrictData(const std::filesystem::path& dir);

}  // namespace shouxin::test
