#include "tls.hpp"

#include <cctype>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "nonceforge/core/hex.hpp"

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
                                            const TlsOptions& options, const std::string& host) {
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
            [want](bool /*preverified*/, ssl::verify_context& vc) {
                X509_STORE_CTX* store = vc.native_handle();
                // Only the leaf is pinned; the chain above it is not consulted.
                if (X509_STORE_CTX_get_error_depth(store) != 0) {
                    return true;
                }
                X509* cert = X509_STORE_CTX_get_current_cert(store);
                unsigned char md[EVP_MAX_MD_SIZE];
                unsigned int len = 0;
                if (cert == nullptr || !X509_digest(cert, EVP_sha256(), md, &len)) {
                    return false;
                }
                return core::HexEncode(std::span<const uint8_t>(md, len)) == want;
            },
            ec);
    } else {
        stream.set_verify_callback(ssl::host_name_verification(host), ec);
    }
    if (ec) {
        return "cannot set the TLS verification callback: " + ec.message();
    }
    return std::nullopt;
}

std::string TlsErrorText(const boost::system::error_code& ec) {
    std::string text = ec.message();
    if (ec.category() == boost::asio::error::get_ssl_category()) {
        const unsigned long reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
        if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
            text += " (the pool's certificate was not accepted: wrong host, unknown CA or "
                    "fingerprint mismatch; see --tls-ca, --tls-fingerprint)";
        }
    }
    return text;
}

} // namespace nonceforge::stratum
