#pragma once
#include <filesystem>

namespace shouxin::kiosk {

/// Reads the current GL back buffer (width x height) and writes it as PNG.
bool writeScreenshot(const std::filesystem::path& file, int width, int height);

}  // namespace shouxin::kiosk
