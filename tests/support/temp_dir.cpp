#include "tests/support/temp_dir.hpp"

#include <stdexcept>
#include <string>

#include <stdlib.h>

namespace shouxin::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "shouxin-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

}  // namespace shouxin::test
