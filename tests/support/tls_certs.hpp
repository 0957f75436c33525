// Test certificates made at test time with the openssl command: a CA, and server
// certificates it signed for "localhost" and for "wronghost".
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <unistd.h>

namespace nonceforge::test {

struct TestCertificates {
    std::filesystem::path dir;
    std::string ca, localhost_cert, localhost_key, wronghost_cert, wronghost_key;
    std::string wronghost_fingerprint; // SHA-256, "AB:CD:..."
};

inline bool HaveOpenSsl() {
    return std::system("openssl version >/dev/null 2>&1") == 0;
}

inline std::optional<TestCertificates> MakeTestCertificates() {
    TestCertificates c;
    c.dir = std::filesystem::temp_directory_path() /
            ("nf-certs-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    std::filesystem::create_directories(c.dir);
    const std::string d = c.dir.string();
    auto run = [](const std::string& cmd) {
        return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
    };
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    if (!run("openssl req -x509 " + ec + " -keyout " + d + "/ca.key -out " + d +
             "/ca.pem -days 2 -subj /CN=nonceforge-test-ca")) {
        return std::nullopt;
    }
    for (const std::string host : {"localhost", "wronghost"}) {
        std::ofstream(d + "/" + host + ".ext") << "subjectAltName=DNS:" << host << "\n";
        if (!run("openssl req " + ec + " -keyout " + d + "/" + host + ".key -out " + d + "/" +
                 host + ".csr -subj /CN=" + host) ||
            !run("openssl x509 -req -in " + d + "/" + host + ".csr -CA " + d + "/ca.pem -CAkey " +
                 d + "/ca.key -CAcreateserial -out " + d + "/" + host + ".pem -days 2 -extfile " +
                 d + "/" + host + ".ext")) {
            return std::nullopt;
        }
    }
    const std::string fp_cmd = "openssl x509 -in " + d +
                               "/wronghost.pem -noout -fingerprint -sha256 2>/dev/null > " + d +
                               "/fp.txt";
    if (std::system(fp_cmd.c_str()) != 0) {
        return std::nullopt;
    }
    std::ifstream fp(d + "/fp.txt");
    std::string line;
    std::getline(fp, line);
    c.wronghost_fingerprint = line.substr(line.find('=') + 1);
    c.ca = d + "/ca.pem";
    c.localhost_cert = d + "/localhost.pem";
    c.localhost_key = d + "/localhost.key";
    c.wronghost_cert = d + "/wronghost.pem";
    c.wronghost_key = d + "/wronghost.key";
    return c;
}

} // namespace nonceforge::test
