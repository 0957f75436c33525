// Nonce ranges: consecutive, never overlapping, never skipping; a used-up header rolls the
// version bits inside the granted mask first, then the extranonce2.
#include <set>

#include <gtest/gtest.h>

#include "miner/work_source.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
using miner::WorkSource;

namespace {

std::shared_ptr<const Job> MakeJob(const std::string& id, uint32_t mask, std::size_t en2_size = 4) {
    auto job = std::make_shared<Job>();
    job->job_id = id;
    job->coinb1 = {0x01, 0x02, 0x03};
    job->coinb2 = {0x04, 0x05};
    job->extranonce1 = {0xaa, 0xbb, 0xcc, 0xdd};
    job->extranonce2_size = en2_size;
    job->version = 0x20000000;
    job->nbits = 0x1d00ffff;
    job->ntime = 0x64000000;
    job->version_mask = mask;
    job->share_target = Diff1Target();
    return job;
}

} // namespace

TEST(WorkSource, NoJobNoWork) {
    WorkSource src;
    EXPECT_FALSE(src.NextRange(1000));
}

TEST(WorkSource, RangesAreConsecutiveAndCoverTheNonceSpaceExactly) {
    WorkSource src;
    src.SetJob(MakeJob("a", 0), true);
    uint64_t expected_first = 0;
    uint64_t covered = 0;
    const uint64_t step = 0x40000000ull - 12345; // not a divisor of 2^32
    for (;;) {
        auto r = src.NextRange(step);
        ASSERT_TRUE(r);
        if (r->work.extranonce2 != std::vector<uint8_t>{0, 0, 0, 0}) {
            // The next header began: the previous one was covered exactly once.
            EXPECT_EQ(covered, 0x100000000ull);
            EXPECT_EQ(r->work.nonce_first, 0u);
            EXPECT_EQ(r->work.extranonce2, (std::vector<uint8_t>{1, 0, 0, 0}));
            break;
        }
        EXPECT_EQ(r->work.nonce_first, expected_first);
        covered += r->work.nonce_count;
        expected_first += r->work.nonce_count;
        EXPECT_LE(expected_first, 0x100000000ull);
    }
}

TEST(WorkSource, VersionBitsRollBeforeExtranonce2) {
    WorkSource src;
    const uint32_t mask = 0x00006000; // two bits: four versions per extranonce2
    src.SetJob(MakeJob("b", mask), true);
    std::set<std::pair<std::vector<uint8_t>, uint32_t>> headers;
    std::vector<uint32_t> versions;
    for (int i = 0; i < 9; ++i) {
        auto r = src.NextRange(1ull << 32);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->work.nonce_count, 1ull << 32);
        EXPECT_EQ(r->work.version & ~mask, 0x20000000u);
        headers.insert({r->work.extranonce2, r->work.version});
        versions.push_back(r->work.version);
        // The header carries exactly that version and extranonce2.
        BlockHeader h = r->work.job->Header(r->work.extranonce2, r->work.ntime, 0, r->work.version);
        EXPECT_EQ(r->work.HashWithNonce(0), h.Hash());
    }
    EXPECT_EQ(headers.size(), 9u); // never the same header twice
    EXPECT_EQ(versions[0], 0x20000000u);
    EXPECT_EQ(versions[1], 0x20002000u);
    EXPECT_EQ(versions[3], 0x20006000u);
    EXPECT_EQ(versions[4], 0x20000000u); // next extranonce2
}

// A template that signals inside the mask (regtest's testdummy sets bit 28 from height 144):
// the bit stays set in every header, and only the clear mask bits roll.
TEST(WorkSource, VersionBitsTheJobSetsInsideTheMaskStaySet) {
    WorkSource src;
    auto job = std::make_shared<Job>(*MakeJob("s", 0x1fffe000));
    job->version = 0x30000000;
    src.SetJob(job, true);
    std::set<uint32_t> versions;
    for (int i = 0; i < 6; ++i) {
        auto r = src.NextRange(1ull << 32);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->work.version & 0x30000000u, 0x30000000u) << std::hex << r->work.version;
        EXPECT_EQ(r->work.version & ~0x1fffe000u, 0x20000000u);
        versions.insert(r->work.version);
    }
    EXPECT_EQ(versions.size(), 6u); // every range a different header
    EXPECT_EQ(*versions.begin(), 0x30000000u);
    EXPECT_EQ(job->RollableVersionMask(), 0x0fffe000u);
}

TEST(WorkSource, NextVersionBitsEnumeratesTheMask) {
    uint32_t bits = 0;
    std::set<uint32_t> seen;
    do {
        EXPECT_EQ(bits & ~0x1fffe000u, 0u);
        seen.insert(bits);
        bits = WorkSource::NextVersionBits(bits, 0x1fffe000);
    } while (bits != 0);
    EXPECT_EQ(seen.size(), 1u << 16);
}

TEST(WorkSource, CleanJobBumpsTheGeneration) {
    WorkSource src;
    src.SetJob(MakeJob("c", 0), true);
    const uint64_t g = src.Generation();
    src.SetJob(MakeJob("d", 0), false);
    EXPECT_EQ(src.Generation(), g);
    EXPECT_EQ(src.NextRange(10)->work.job->job_id, "d");
    src.SetJob(MakeJob("e", 0), true);
    EXPECT_EQ(src.Generation(), g + 1);
}

TEST(WorkSource, Extranonce2HasTheJobsSize) {
    EXPECT_EQ(miner::Extranonce2Bytes(0x0102, 8), (std::vector<uint8_t>{2, 1, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(miner::Extranonce2Bytes(0x010203, 2), (std::vector<uint8_t>{3, 2}));
    WorkSource src;
    src.SetJob(MakeJob("f", 0, 8), true);
    EXPECT_EQ(src.NextRange(1)->work.extranonce2.size(), 8u);
}

TEST(WorkSource, ResentJobNeverRepeatsAHeader) {
    WorkSource src;
    auto job = MakeJob("same", 0);
    std::set<std::vector<uint8_t>> en2s;
    for (int i = 0; i < 5; ++i) {
        src.SetJob(job, false);
        auto r = src.NextRange(1000);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->work.nonce_first, 0u);
        EXPECT_TRUE(en2s.insert(r->work.extranonce2).second) << "header repeated";
    }
}
