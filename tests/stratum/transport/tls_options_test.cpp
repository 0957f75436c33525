// ValidateTlsOptions: the start-up check of --tls-ca, --tls-fingerprint and --tls-insecure.
// Each error names the option it is about.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "nonceforge/stratum/client.hpp"
#include "support/tls_certs.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;

namespace {

const std::string GOOD_FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

std::string ErrorOf(const TlsOptions& o, bool any_tls_url = true) {
    auto r = ValidateTlsOptions(o, any_tls_url);
    return r ? std::string() : r.error();
}

std::filesystem::path TempFile(const std::string& name, const std::string& content) {
    auto path = std::filesystem::temp_directory_path() /
                ("nf-tls-options-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << content;
    return path;
}

} // namespace

TEST(ValidateTlsOptions, NoOptionsIsFineWithOrWithoutTls) {
    EXPECT_TRUE(ValidateTlsOptions(TlsOptions{}, true));
    EXPECT_TRUE(ValidateTlsOptions(TlsOptions{}, false));
}

TEST(ValidateTlsOptions, FingerprintWithOrWithoutColons) {
    TlsOptions o;
    o.fingerprint_sha256 = GOOD_FP;
    EXPECT_TRUE(ValidateTlsOptions(o, true));
    o.fingerprint_sha256 = std::string(64, 'a');
    EXPECT_TRUE(ValidateTlsOptions(o, true));
}

TEST(ValidateTlsOptions, MalformedFingerprintIsAnError) {
    for (const std::string& bad : {std::string(63, 'a'), std::string(65, 'a'),
                                   std::string(63, 'a') + "g", std::string("sha256:") + GOOD_FP}) {
        TlsOptions o;
        o.fingerprint_sha256 = bad;
        const std::string e = ErrorOf(o);
        EXPECT_EQ(e.rfind("--tls-fingerprint:", 0), 0u) << bad << " -> " << e;
        EXPECT_NE(e.find("64 hex digits"), std::string::npos) << e;
    }
}

TEST(ValidateTlsOptions, InsecureWithAPinIsAnError) {
    TlsOptions o;
    o.fingerprint_sha256 = GOOD_FP;
    o.insecure = true;
    EXPECT_NE(ErrorOf(o).find("--tls-insecure would drop the pin: use one"), std::string::npos)
        << ErrorOf(o);
}

TEST(ValidateTlsOptions, InsecureWithACaFileIsAnError) {
    TlsOptions o;
    o.ca_file = "/nonexistent/ca.pem";
    o.insecure = true;
    EXPECT_EQ(ErrorOf(o).rfind("--tls-insecure", 0), 0u) << ErrorOf(o);
}

TEST(ValidateTlsOptions, UnreadableCaFileIsAnError) {
    TlsOptions o;
    o.ca_file = "/nonexistent/nonceforge/ca.pem";
    const std::string e = ErrorOf(o);
    EXPECT_EQ(e.rfind("--tls-ca: cannot read '/nonexistent/nonceforge/ca.pem'", 0), 0u) << e;
}

TEST(ValidateTlsOptions, CaFileWithoutAPemCertificateIsAnError) {
    const auto path = TempFile("notpem", "this is not a certificate\n");
    TlsOptions o;
    o.ca_file = path.string();
    const std::string e = ErrorOf(o);
    std::filesystem::remove(path);
    EXPECT_EQ(e.rfind("--tls-ca:", 0), 0u) << e;
    EXPECT_NE(e.find("holds no PEM certificate"), std::string::npos) << e;
}

TEST(ValidateTlsOptions, CaFileWithACertificateIsAccepted) {
    if (!test::HaveOpenSsl()) {
        GTEST_SKIP() << "the openssl command is not installed: cannot make a test certificate";
    }
    auto certs = test::MakeTestCertificates();
    ASSERT_TRUE(certs);
    TlsOptions o;
    o.ca_file = certs->ca;
    auto r = ValidateTlsOptions(o, true);
    EXPECT_TRUE(r) << r.error();
}

TEST(ValidateTlsOptions, AnyTlsOptionWithoutATlsPoolIsAnError) {
    TlsOptions fp;
    fp.fingerprint_sha256 = GOOD_FP;
    EXPECT_EQ(ErrorOf(fp, false).rfind("--tls-fingerprint: no pool URL uses TLS", 0), 0u)
        << ErrorOf(fp, false);
    TlsOptions ca;
    ca.ca_file = "/etc/ssl/certs/ca-certificates.crt";
    EXPECT_EQ(ErrorOf(ca, false).rfind("--tls-ca: no pool URL uses TLS", 0), 0u);
    TlsOptions insecure;
    insecure.insecure = true;
    EXPECT_EQ(ErrorOf(insecure, false).rfind("--tls-insecure: no pool URL uses TLS", 0), 0u);
    EXPECT_TRUE(ValidateTlsOptions(insecure, true));
}
