// The bytes of an imported file: which encoding they are in, and their
// RFC 4180 records one at a time (import.hpp). The rest of the import
// (columns, values, the plan) is import.cpp.
#include <iconv.h>

#include <cctype>
#include <cerrno>
#include <optional>

#include "shared/import.hpp"
#include "shared/text.hpp"

namespace shouxin {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// One physical line (without its '\n'), at most `cap` bytes kept; `long`
// when more were dropped. False at the end of the input with nothing read.
bool readCappedLine(std::istream& in, std::string& line, std::size_t cap, bool& tooLong) {
    line.clear();
    tooLong = false;
    bool any = false;
    std::streambuf* buf = in.rdbuf();
    for (;;) {
        const int c = buf->sbumpc();
        if (c == std::char_traits<char>::eof()) {
            in.setstate(std::ios::eofbit);
            return any;
        }
        any = true;
        if (c == '\n') return true;
        if (line.size() < cap) {
            line += static_cast<char>(c);
        } else {
            tooLong = true;
        }
    }
}

void rewind(std::istream& in) {
    in.clear();
    in.seekg(0);
}

bool isAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// GB18030 to UTF-8 through glibc's iconv; nullopt when the bytes are not
// clean GB18030.
class Gb18030 {
public:
    Gb18030() : m_cd(iconv_open("UTF-8", "GB18030")) {}
    ~Gb18030() {
        if (m_cd != reinterpret_cast<iconv_t>(-1)) iconv_close(m_cd);
    }
    Gb18030(const Gb18030&) = delete;
    Gb18030& operator=(const Gb18030&) = delete;

    std::optional<std::string> toUtf8(std::string_view bytes) {
        if (m_cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
        iconv(m_cd, nullptr, nullptr, nullptr, nullptr);
        std::string in(bytes);
        std::string out(bytes.size() * 2 + 16, '\0');
        char* src = in.data();
        std::size_t srcLeft = in.size();
        char* dst = out.data();
        std::size_t dstLeft = out.size();
        if (iconv(m_cd, &src, &srcLeft, &dst, &dstLeft) == static_cast<std::size_t>(-1)) return std::nullopt;
        if (iconv(m_cd, nullptr, nullptr, &dst, &dstLeft) == static_cast<std::size_t>(-1))
            return std::nullopt;
        out.resize(out.size() - dstLeft);
        if (!isValidUtf8(out)) return std::nullopt;
        return out;
    }

private:
    iconv_t m_cd;
};

}  // namespace

// ---- Encoding ------------------------------------------------------------------

Result<CsvEncoding> detectCsvEncoding(std::istream& in) {
    rewind(in);
    std::array<char, 4> magic{};
    in.read(magic.data(), magic.size());
    const std::string_view head(magic.data(), static_cast<std::size_t>(in.gcount()));
    if (head == std::string_view("PK\x03\x04", 4) || head == std::string_view("\xD0\xCF\x11\xE0", 4)) {
        rewind(in);
        return Problem{"", "error.import.spreadsheet", ""};
    }
    rewind(in);

    Gb18030 gb;
    std::string line;
    bool tooLong = false;
    bool bom = false;
    std::size_t lineNo = 0;
    std::size_t firstUtf8 = 0;  // a line with non-ASCII text that is UTF-8
    std::size_t firstGb = 0;    // a line that is not UTF-8 but GB18030
    while (readCappedLine(in, line, CsvReader::kMaxRecordBytes, tooLong)) {
        ++lineNo;
        std::string_view text = line;
        if (lineNo == 1 && text.substr(0, kBom.size()) == kBom) {
            bom = true;
            text.remove_prefix(kBom.size());
        }
        if (tooLong || isAscii(text)) continue;  // a cut line is the reader's to report
        if (isValidUtf8(text)) {
            if (firstUtf8 == 0) firstUtf8 = lineNo;
        } else if (gb.toUtf8(text)) {
            if (firstGb == 0) firstGb = lineNo;
        } else {
            rewind(in);
            return Problem{"", "error.import.encoding", "line " + std::to_string(lineNo)};
        }
    }
    rewind(in);
    if (firstGb != 0 && (firstUtf8 != 0 || bom)) {
        return Problem{"", "error.import.mixed_encoding",
                       "UTF-8: line " + std::to_string(firstUtf8 != 0 ? firstUtf8 : 1) + ", GB18030: line " +
                           std::to_string(firstGb)};
    }
    if (firstGb != 0) return CsvEncoding::gb18030;
    return bom ? CsvEncoding::utf8Bom : CsvEncoding::utf8;
}

// ---- CSV ---------------------------------------------------------------------------

CsvReader::CsvReader(std::istream& in, CsvEncoding encoding) : m_in(in), m_encoding(encoding) {}

bool CsvReader::readLine(std::string& line) {
    bool tooLong = false;
    if (!readCappedLine(m_in, line, kMaxRecordBytes, tooLong)) return false;
    if (m_first) {
        m_first = false;
        if (std::string_view(line).substr(0, kBom.size()) == kBom) line.erase(0, kBom.size());
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (m_encoding == CsvEncoding::gb18030 && !isAscii(line)) {
        static thread_local Gb18030 gb;
        // detectCsvEncoding checked every line; a line cut at the cap may
        // end inside a character.
        line = gb.toUtf8(line).value_or(line);
    }
    if (tooLong) line.append(kMaxRecordBytes, ' ');  // seen as too long by next()
    return true;
}

bool CsvReader::next(CsvRow& row) {
    row = CsvRow{};
    std::string line;
    // Blank lines between records are skipped (spreadsheets end with some).
    do {
        if (!readLine(line)) return false;
    } while (trim(line).empty());
    row.number = ++m_records;

    enum class State { start, unquoted, quoted, afterQuote };
    State state = State::start;
    std::string cell;
    std::size_t bytes = 0;
    const auto problem = [&](std::string message, std::string detail) {
        if (!row.problem) row.problem = Problem{"", std::move(message), std::move(detail)};
    };
    for (;;) {
        bytes += line.size() + 1;
        if (bytes > kMaxRecordBytes) {
            problem("error.import.row_long", std::to_string(kMaxRecordBytes) + " bytes");
            row.cells.clear();
            return true;
        }
        for (const char c : line) {
            switch (state) {
                case State::start:
                    if (c == '"') {
                        state = State::quoted;
                    } else if (c == ',') {
                        row.cells.push_back(std::move(cell));
                        cell.clear();
                    } else {
                        cell += c;
                        state = State::unquoted;
                    }
                    break;
                case State::unquoted:
                    if (c == ',') {
                        row.cells.push_back(std::move(cell));
                        cell.clear();
                        state = State::start;
                    } else {
                        if (c == '"') problem("error.import.quote", "stray \" in an unquoted cell");
                        cell += c;
                    }
                    break;
                case State::quoted:
                    if (c == '"') {
                        state = State::afterQuote;
                    } else {
                        cell += c;
                    }
                    break;
                case State::afterQuote:
                    if (c == '"') {
                        cell += '"';
                        state = State::quoted;
                    } else if (c == ',') {
                        row.cells.push_back(std::move(cell));
                        cell.clear();
                        state = State::start;
                    } else {
                        problem("error.import.quote", "text after a closing \"");
                        cell += c;
                        state = State::unquoted;
                    }
                    break;
            }
        }
        if (state != State::quoted) break;
        // A quoted cell runs on over the line break.
        if (!readLine(line)) {
            problem("error.import.quote", "unbalanced \"");
            break;
        }
        cell += '\n';
    }
    row.cells.push_back(std::move(cell));
    return true;
}

}  // namespace shouxin
