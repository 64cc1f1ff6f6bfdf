#include "tests/support/csv_text.hpp"

#include <iconv.h>

#include <stdexcept>

namespace shouxin::test {

std::string toGb18030(const std::string& utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv cannot convert to GB18030");
    std::string in = utf8;
    std::string out(in.size() * 2 + 16, '\0');
    char* src = in.data();
    std::size_t srcLeft = in.size();
    char* dst = out.data();
    std::size_t dstLeft = out.size();
    const bool converted = iconv(cd, &src, &srcLeft, &dst, &dstLeft) != static_cast<std::size_t>(-1);
    iconv_close(cd);
    if (!converted) throw std::runtime_error("not convertible to GB18030: " + utf8);
    out.resize(out.size() - dstLeft);
    return out;
}

std::vector<std::vector<std::string>> parseExcelCsv(std::string_view text) {
    const auto malformed = [](const char* why) { throw std::runtime_error(std::string("malformed CSV: ") + why); };
    if (text.substr(0, 3) != "\xEF\xBB\xBF") malformed("no UTF-8 BOM");
    text.remove_prefix(3);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
            continue;
        }
        if (c == '"') {
            if (!cell.empty()) malformed("a quote inside a bare cell");
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\r') {
            if (i + 1 >= text.size() || text[i + 1] != '\n') malformed("CR without LF");
            ++i;
            row.push_back(std::move(cell));
            cell.clear();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            if (c == '\n') malformed("a bare LF outside quotes");
            cell += c;
        }
    }
    if (quoted) malformed("an open quote at the end");
    if (!row.empty() || !cell.empty()) malformed("the last row does not end with CRLF");
    return rows;
}

}  // namespace shouxin::test
