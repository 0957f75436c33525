// What the process holds right now, read from /proc: resident memory and open descriptors.
// The soak and hostile-pool tests compare them before and after to show nothing leaks.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <fstream>

namespace nonceforge::test {

// Resident set size in bytes (/proc/self/statm, second field, in pages); 0 when unreadable.
inline std::size_t ResidentBytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t size_pages = 0, resident_pages = 0;
    if (!(statm >> size_pages >> resident_pages)) {
        return 0;
    }
    return resident_pages * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Open file descriptors (entries of /proc/self/fd, less the one the listing itself uses).
inline std::size_t OpenDescriptors() {
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        ++n;
    }
    return n > 0 ? n - 1 : 0;
}

constexpr double MiB(std::size_t bytes) {
    return double(bytes) / (1024.0 * 1024.0);
}

} // namespace nonceforge::test
