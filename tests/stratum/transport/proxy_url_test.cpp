// --proxy URLs: the schemes and forms accepted, and errors that say what is wrong (they are
// shown to users as "--proxy: <error>") without the password.
#include <gtest/gtest.h>

#include "nonceforge/stratum/proxy.hpp"

using namespace nonceforge::stratum;

TEST(ProxyUrl, Socks5AndItsRemoteDnsAlias) {
    for (const char* text :
         {"socks5://127.0.0.1:1080", "socks5h://127.0.0.1:1080", "SOCKS5://127.0.0.1:1080/"}) {
        auto p = ParseProxyUrl(text);
        ASSERT_TRUE(p) << text << ": " << p.error();
        EXPECT_EQ(p->kind, ProxyKind::Socks5);
        EXPECT_EQ(p->host, "127.0.0.1");
        EXPECT_EQ(p->port, 1080);
        EXPECT_FALSE(p->user);
        EXPECT_EQ(p->ToString(), "socks5://127.0.0.1:1080");
    }
}

TEST(ProxyUrl, HttpConnectWithCredentials) {
    auto p = ParseProxyUrl("http://alice:s3cret@proxy.example.com:3128");
    ASSERT_TRUE(p) << p.error();
    EXPECT_EQ(p->kind, ProxyKind::HttpConnect);
    EXPECT_EQ(p->host, "proxy.example.com");
    EXPECT_EQ(p->port, 3128);
    EXPECT_EQ(p->user, "alice");
    EXPECT_EQ(p->password, "s3cret");
    EXPECT_EQ(p->ToString(), "http://proxy.example.com:3128"); // never the credentials
}

TEST(ProxyUrl, PercentEncodedCredentialsAndIpv6) {
    auto p = ParseProxyUrl("socks5://us%40er:p%3Ass@w@[::1]:9050");
    ASSERT_TRUE(p) << p.error();
    EXPECT_EQ(p->user, "us@er");
    EXPECT_EQ(p->password, "p:ss@w");
    EXPECT_EQ(p->host, "::1");
    EXPECT_EQ(p->ToString(), "socks5://[::1]:9050");
    auto u = ParseProxyUrl("socks5://onlyuser@h:1");
    ASSERT_TRUE(u) << u.error();
    EXPECT_EQ(u->user, "onlyuser");
    EXPECT_FALSE(u->password);
}

TEST(ProxyUrl, ErrorsNameTheProblem) {
    struct Case {
        const char* text;
        const char* says;
    };
    for (const Case& c : {
             Case{"socks4://h:1080", "unsupported proxy scheme 'socks4'"},
             Case{"https://h:443", "unsupported proxy scheme 'https'"},
             Case{"h:1080", "has no scheme"},
             Case{"socks5://h", "has no port"},
             Case{"http://[::1]", "has no port"},
             Case{"socks5://h:", "port must be 1..65535, got ''"},
             Case{"socks5://h:0", "port must be 1..65535, got '0'"},
             Case{"socks5://h:65536", "port must be 1..65535, got '65536'"},
             Case{"socks5://h:80x", "port must be 1..65535, got '80x'"},
             Case{"socks5://:1080", "has no host"},
             Case{"http://u:p@:1080", "has no host"},
             Case{"socks5://h/x:1", "must not have a path"},
             Case{"socks5://bad host:1", "invalid character in proxy host"},
             Case{"socks5://u:p%zz@h:1", "bad percent-encoding"},
         }) {
        auto p = ParseProxyUrl(c.text);
        ASSERT_FALSE(p) << c.text;
        EXPECT_NE(p.error().find(c.says), std::string::npos) << c.text << " -> " << p.error();
    }
    const std::string long_user(256, 'u');
    auto p = ParseProxyUrl("socks5://" + long_user + ":p@h:1");
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().find("at most 255 bytes"), std::string::npos) << p.error();
}

TEST(ProxyUrl, ErrorsNeverShowThePassword) {
    for (const char* text : {"socks5://u:hunter2@h", "http://u:hunter2@h:1/path", "u:hunter2@h"}) {
        auto p = ParseProxyUrl(text);
        ASSERT_FALSE(p) << text;
        EXPECT_EQ(p.error().find("hunter2"), std::string::npos) << p.error();
    }
}
