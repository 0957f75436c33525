#include "tls.hpp"

#include <cctype>
#include <cstdio>
#include <memory>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace nonceforge::stratum {

namespace ssl = boost::asio::ssl;

std::optional<std::string> NormalizeFingerprint(const std::string& text) {
    std::string hex;
    for (char c : text) {
        if (c == ':' || c == ' ') {
            continue;
        }
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
            return std::nullopt;
        }
        hex.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    }
    if (hex.size() != 64) {
        return std::nullopt;
    }
    return hex;
}

std::string CertificateFingerprint(X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (cert == nullptr || !X509_digest(cert, EVP_sha256(), md, &len)) {
        return {};
    }
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        char buf[4];
        std::snprintf(buf, sizeof buf, i == 0 ? "%02X" : ":%02X", md[i]);
        out += buf;
    }
    return out;
}

core::Expected<bool, std::string> ValidateTlsOptions(const TlsOptions& options, bool any_tls_url) {
    const bool has_ca = !options.ca_file.empty();
    const bool has_fp = !options.fingerprint_sha256.empty();
    if (!any_tls_url && (has_ca || has_fp || options.insecure)) {
        const char* option = has_fp ? "--tls-fingerprint" : has_ca ? "--tls-ca" : "--tls-insecure";
        return core::MakeUnexpected(std::string(option) +
                                    ": no pool URL uses TLS (stratum+ssl://, stratum+tls:// or "
                                    "stratum+tcps://)");
    }
    if (has_fp && !NormalizeFingerprint(options.fingerprint_sha256)) {
        return core::MakeUnexpected("--tls-fingerprint: '" + options.fingerprint_sha256 +
                                    "' is not a SHA-256 fingerprint (64 hex digits, ':' allowed)");
    }
    if (options.insecure && has_fp) {
        return core::MakeUnexpected(
            std::string("--tls-insecure would drop the pin: use one of --tls-insecure and "
                        "--tls-fingerprint"));
    }
    if (options.insecure && has_ca) {
        return core::MakeUnexpected(std::string(
            "--tls-insecure would ignore the CA file: use one of --tls-insecure and --tls-ca"));
    }
    if (has_ca) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(options.ca_file.c_str(), "r"),
                                                      &BIO_free);
        if (!bio) {
            ERR_clear_error();
            return core::MakeUnexpected("--tls-ca: cannot read '" + options.ca_file + "'");
        }
        X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        ERR_clear_error();
        if (cert == nullptr) {
            return core::MakeUnexpected("--tls-ca: '" + options.ca_file +
                                        "' holds no PEM certificate");
        }
        X509_free(cert);
    }
    return true;
}

core::Expected<std::unique_ptr<ssl::context>, std::string> MakeTlsContext(const TlsOptions& options,
                                                                          const std::string& host) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                     ec);
    if (options.insecure) {
        ctx->set_verify_mode(ssl::verify_none);
        return ctx;
    }
    if (!options.fingerprint_sha256.empty()) {
        if (!NormalizeFingerprint(options.fingerprint_sha256)) {
            return core::MakeUnexpected(std::string(
                "--tls-fingerprint must be a SHA-256 fingerprint (64 hex digits, ':' allowed)"));
        }
        ctx->set_verify_mode(ssl::verify_peer);
        return ctx;
    }
    if (!options.ca_file.empty()) {
        ctx->load_verify_file(options.ca_file, ec);
        if (ec) {
            return core::MakeUnexpected("cannot load TLS CA file " + options.ca_file + ": " +
                                        ec.message());
        }
    } else {
        ctx->set_default_verify_paths(ec);
        if (ec) {
            return core::MakeUnexpected("cannot load the system CA store for " + host + ": " +
                                        ec.message());
        }
    }
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    return ctx;
}

std::optional<std::string> PrepareTlsStream(ssl::stream<boost::asio::ip::tcp::socket>& stream,
                                            const TlsOptions& options, const std::string& host,
                                            std::string* refused_fingerprint) {
    // SNI: virtual-hosted pools pick their certificate by it.
    if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
        return "cannot set TLS server name " + host;
    }
    if (options.insecure) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    if (!options.fingerprint_sha256.empty()) {
        const std::string want = *NormalizeFingerprint(options.fingerprint_sha256);
        stream.set_verify_callback(
            [want, refused_fingerprint](bool /*preverified*/, ssl::verify_context& vc) {
                X509_STORE_CTX* store = vc.native_handle();
                // Only the leaf is pinned; the chain above it is not consulted.
                if (X509_STORE_CTX_get_error_depth(store) != 0) {
                    return true;
                }
                const std::string seen =
                    CertificateFingerprint(X509_STORE_CTX_get_current_cert(store));
                const bool ok = !seen.empty() && NormalizeFingerprint(seen) == want;
                if (!ok && refused_fingerprint) {
                    *refused_fingerprint = seen;
                }
                return ok;
            },
            ec);
    } else {
        stream.set_verify_callback(
            [check = ssl::host_name_verification(host),
             refused_fingerprint](bool preverified, ssl::verify_context& vc) mutable {
                const bool ok = check(preverified, vc);
                if (!ok && refused_fingerprint) {
                    // The leaf, whatever the depth of the failure (an unknown CA fails above it).
                    *refused_fingerprint =
                        CertificateFingerprint(X509_STORE_CTX_get0_cert(vc.native_handle()));
                }
                return ok;
            },
            ec);
    }
    if (ec) {
        return "cannot set the TLS verification callback: " + ec.message();
    }
    return std::nullopt;
}

std::string TlsErrorText(const boost::system::error_code& ec,
                         const std::string& refused_fingerprint) {
    std::string text = ec.message();
    if (ec.category() == boost::asio::error::get_ssl_category()) {
        const unsigned long reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
        if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
            text += " (the pool's certificate was not accepted: wrong host, unknown CA or "
                    "fingerprint mismatch; see --tls-ca, --tls-fingerprint)";
            if (!refused_fingerprint.empty()) {
                text += "; its SHA-256 fingerprint is " + refused_fingerprint +
                        ": to trust it, pass --tls-fingerprint " + refused_fingerprint;
            }
        }
    }
    return text;
}

} // namespace nonceforge::stratum
