// TLS for pool connections, the Beast way: SNI, peer verification against the system CA store
// with host-name checking; or a given CA file; or a pinned SHA-256 certificate fingerprint; or,
// only when asked for, no verification.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include "nonceforge/core/expected.hpp"
#include "nonceforge/stratum/client.hpp"

namespace nonceforge::stratum {

core::Expected<std::unique_ptr<boost::asio::ssl::context>, std::string>
MakeTlsContext(const TlsOptions& options, const std::string& host);

// SNI and the verification callback for one connection; an error text on failure. When the
// pool's certificate is refused, `*refused_fingerprint` (which must outlive the handshake)
// receives its SHA-256 fingerprint, "AB:CD:...", for the error message.
std::optional<std::string>
PrepareTlsStream(boost::asio::ssl::stream<boost::asio::ip::tcp::socket>& stream,
                 const TlsOptions& options, const std::string& host,
                 std::string* refused_fingerprint = nullptr);

// "certificate verify failed (hostname mismatch)" rather than an opaque error number; with the
// refused certificate's fingerprint, how to trust it.
std::string TlsErrorText(const boost::system::error_code& ec,
                         const std::string& refused_fingerprint = {});

// The SHA-256 fingerprint of a certificate as "AB:CD:..." (what openssl x509 -fingerprint
// prints and --tls-fingerprint accepts); empty on failure.
std::string CertificateFingerprint(X509* cert);

// "AB:CD:..." or "abcd..." -> 64 lowercase hex digits; nullopt when not a SHA-256 fingerprint.
std::optional<std::string> NormalizeFingerprint(const std::string& text);

} // namespace nonceforge::stratum
