#include <gtest/gtest.h>

#include "nonceforge/stratum/pool_url.hpp"

using namespace nonceforge::stratum;

TEST(PoolUrl, TcpAndTlsSchemes) {
    auto a = ParsePoolUrl("stratum+tcp://pool.example.com:3333");
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->tls);
    EXPECT_EQ(a->host, "pool.example.com");
    EXPECT_EQ(a->port, 3333);
    for (const char* s : {"stratum+ssl://h:443", "stratum+tls://h:443"}) {
        auto b = ParsePoolUrl(s);
        ASSERT_TRUE(b) << s;
        EXPECT_TRUE(b->tls);
    }
    EXPECT_EQ(ParsePoolUrl("stratum+tls://h:443")->ToString(), "stratum+ssl://h:443");
}

TEST(PoolUrl, CredentialsAndIpv6) {
    auto a = ParsePoolUrl("stratum+tcp://bc1qaddr.rig1:secret@[::1]:3333/");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "::1");
    EXPECT_EQ(*a->user, "bc1qaddr.rig1");
    EXPECT_EQ(*a->password, "secret");
    EXPECT_EQ(a->ToString(), "stratum+tcp://[::1]:3333"); // credentials never printed
}

TEST(PoolUrl, ErrorsNameTheProblem) {
    EXPECT_NE(ParsePoolUrl("pool.example.com:3333").error().find("scheme"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("http://h:80").error().find("scheme"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h").error().find("port"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h:0").error().find("port"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h:70000").error().find("port"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h:33x").error().find("port"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://:3333").error().find("host"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h h:1").error().find("host"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h:1/path").error().find("path"), std::string::npos);
    EXPECT_FALSE(ParsePoolUrl(std::string(5000, 'a')));
}
