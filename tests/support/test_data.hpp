// Access to the real-block vectors copied into tests/data/vectors (see their README in
// ../shared/vectors/README.md for what each field means and where it came from).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nonceforge/core/hex.hpp"

namespace nonceforge::test {

inline std::string DataDir() {
    return NF_TEST_DATA_DIR;
}

inline nlohmann::json LoadJsonFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open test data file " + path);
    }
    return nlohmann::json::parse(in);
}

inline nlohmann::json LoadVector(const std::string& file) {
    return LoadJsonFile(DataDir() + "/vectors/" + file);
}

// Every vector listed in index.json, by file name.
inline std::vector<std::string> AllVectorFiles() {
    std::vector<std::string> files;
    const nlohmann::json index = LoadJsonFile(DataDir() + "/vectors/index.json");
    for (const auto& v : index.at("vectors")) {
        files.push_back(v.at("file").get<std::string>());
    }
    return files;
}

inline std::vector<std::string> FullVectorFiles() {
    std::vector<std::string> files;
    const nlohmann::json index = LoadJsonFile(DataDir() + "/vectors/index.json");
    for (const auto& v : index.at("vectors")) {
        if (v.at("kind") == "full") {
            files.push_back(v.at("file").get<std::string>());
        }
    }
    return files;
}

inline std::vector<uint8_t> Unhex(const std::string& hex) {
    auto r = core::HexDecode(hex);
    if (!r) {
        throw std::runtime_error("bad hex in test data: " + r.error().Message());
    }
    return *r;
}

// gtest parameter names may only hold [A-Za-z0-9_].
inline std::string ParamName(std::string file) {
    for (char& c : file) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
            c = '_';
        }
    }
    return file;
}

} // namespace nonceforge::test
