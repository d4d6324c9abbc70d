// The mask key source: keys from the kernel's CSPRNG in 4 KiB blocks that refill, getrandom()'s
// interruptions and short reads, the fallback to Qt's system generator, and that an injected
// source still decides the keys on the wire.
#include "codec/maskkeysource.h"

#include <cerrno>
#include <cstring>

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include "codec/framewriter.h"
#include "framebuilder.h"

using namespace Qt::Literals::StringLiterals;
using namespace Wsw;
using namespace Wsw::Codec;
using namespace Wsw::Test;

namespace {

// A scripted getrandom(): each call takes the next step; a positive step returns that many bytes
// (at most what was asked) of a counting pattern, a negative one fails with -step as errno.
QList<long> g_steps;
int g_calls = 0;
quint8 g_nextByte = 0;

long scriptedGetRandom(void *buffer, std::size_t length, unsigned flags)
{
    Q_UNUSED(flags);
    const long step = g_calls < g_steps.size() ? g_steps.at(g_calls) : long(length);
    ++g_calls;
    if (step < 0) {
        errno = int(-step);
        return -1;
    }
    const std::size_t n = std::min(std::size_t(step), length);
    auto *p = static_cast<quint8 *>(buffer);
    for (std::size_t i = 0; i < n; ++i)
        p[i] = g_nextByte++;
    return long(n);
}

void script(QList<long> steps)
{
    g_steps = std::move(steps);
    g_calls = 0;
    g_nextByte = 0;
}

bool isCountingPattern(const QByteArray &bytes)
{
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (quint8(bytes[i]) != quint8(i))
            return false;
    }
    return true;
}

class ListedKeys final : public MaskKeySource
{
public:
    quint32 nextMaskKey() override { return 0xA1B2C3D4u + m_n++; }

private:
    quint32 m_n = 0;
};

} // namespace

class tst_MaskKeySource final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysDiffer()
    {
        SystemMaskKeySource keys;
        QSet<quint32> seen;
        const int n = 3 * SystemMaskKeySource::BlockKeys + 7; // crosses three refills
        for (int i = 0; i < n; ++i)
            seen.insert(keys.nextMaskKey());
        // 3079 random 32-bit keys collide with probability about 0.1%; allow a few anyway
        QVERIFY2(seen.size() > n - 3, "keys from the CSPRNG repeat far too often");
        QCOMPARE(keys.refills(), 4);
        QCOMPARE(keys.lastOrigin(), SecureRandomOrigin::Kernel);
    }

    void primaryFillsBlocks()
    {
        // the engine's way: a fast generator of its own (OpenSSL's DRBG), one call per block
        static int primaryCalls = 0;
        primaryCalls = 0;
        SystemMaskKeySource keys(
                [](void *buffer, std::size_t length) {
                    ++primaryCalls;
                    std::memset(buffer, 0x5A + primaryCalls, length);
                    return true;
                },
                scriptedGetRandom);
        script({});
        QCOMPARE(keys.nextMaskKey(), 0x5B5B5B5Bu);
        QCOMPARE(keys.lastOrigin(), SecureRandomOrigin::Primary);
        for (int i = 1; i < SystemMaskKeySource::BlockKeys; ++i)
            keys.nextMaskKey();
        QCOMPARE(primaryCalls, 1);
        QCOMPARE(keys.nextMaskKey(), 0x5C5C5C5Cu); // the next block
        QCOMPARE(primaryCalls, 2);
        QCOMPARE(g_calls, 0); // getrandom() was never asked
    }

    void failingPrimaryFallsBackToKernel()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"primary random source failed"_s));
        script({});
        SystemMaskKeySource keys([](void *, std::size_t) { return false; }, scriptedGetRandom);
        QCOMPARE(keys.nextMaskKey(), 0x03020100u); // the block came from (scripted) getrandom()
        QCOMPARE(keys.lastOrigin(), SecureRandomOrigin::Kernel);
    }

    void twoSourcesDiffer()
    {
        SystemMaskKeySource a, b;
        int same = 0;
        for (int i = 0; i < 64; ++i)
            same += a.nextMaskKey() == b.nextMaskKey() ? 1 : 0;
        QVERIFY2(same < 4, "two sources hand out the same keys");
    }

    void blocksRefill()
    {
        script({});
        SystemMaskKeySource keys(nullptr, scriptedGetRandom);
        QCOMPARE(keys.refills(), 0); // nothing fetched before the first key
        QList<quint32> first;
        for (int i = 0; i < SystemMaskKeySource::BlockKeys; ++i)
            first.append(keys.nextMaskKey());
        QCOMPARE(keys.refills(), 1);
        QCOMPARE(g_calls, 1); // one 4 KiB getrandom() for a whole block of keys
        // the keys are the block's bytes, in order (little-endian words of the counting pattern)
        QCOMPARE(first.at(0), 0x03020100u);
        QCOMPARE(first.at(1), 0x07060504u);
        keys.nextMaskKey();
        QCOMPARE(keys.refills(), 2);
        QCOMPARE(g_calls, 2);
        keys.prefill(); // a block is held: nothing fetched
        QCOMPARE(g_calls, 2);

        SystemMaskKeySource early(nullptr, scriptedGetRandom);
        early.prefill(); // fetched before the first key is asked for
        QCOMPARE(early.refills(), 1);
        QCOMPARE(g_calls, 3);
        early.nextMaskKey();
        QCOMPARE(early.refills(), 1);
    }

    void interruptedAndShortReads()
    {
        // EINTR, then short reads (one leaves the rest unaligned), then the rest
        script({-EINTR, 5, -EINTR, 1000, 3});
        QByteArray buffer(4096, '\xEE');
        QCOMPARE(fillSecureRandom(buffer.data(), std::size_t(buffer.size()), scriptedGetRandom),
                 SecureRandomOrigin::Kernel);
        QCOMPARE(g_calls, 6);
        QVERIFY(isCountingPattern(buffer)); // every byte filled once, in order, nothing skipped
    }

    void fallsBackToQtSystem()
    {
        // a failure other than EINTR (here: no getrandom() in this kernel) after a short read:
        // the rest comes from QRandomGenerator::system(), and a warning says so once
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"getrandom\\(\\) failed .*QRandomGenerator"_s));
        script({6, -ENOSYS});
        QByteArray buffer(4096, '\0');
        QCOMPARE(fillSecureRandom(buffer.data(), std::size_t(buffer.size()), scriptedGetRandom),
                 SecureRandomOrigin::QtSystem);
        QVERIFY(isCountingPattern(buffer.first(6)));
        QVERIFY2(buffer.sliced(6).count('\0') < 64, "the fallback left the rest unfilled");

        // a getrandom() that returns 0 bytes would never finish: treated as a failure too
        script({0});
        SystemMaskKeySource keys(nullptr, scriptedGetRandom);
        QSet<quint32> seen;
        for (int i = 0; i < 100; ++i)
            seen.insert(keys.nextMaskKey());
        QCOMPARE(keys.lastOrigin(), SecureRandomOrigin::QtSystem);
        QVERIFY(seen.size() > 97);
    }

    void injectedSourceDecidesTheWire()
    {
        ListedKeys keys;
        QByteArray wire;
        appendMessage(wire, Opcode::Binary, QByteArray(10, 'x'), 4, keys); // three frames
        const QList<ParsedFrame> frames = takeFrames(wire);
        QCOMPARE(frames.size(), 3);
        for (int i = 0; i < frames.size(); ++i) {
            QVERIFY(frames[i].masked);
            QCOMPARE(frames[i].maskKey, 0xA1B2C3D4u + quint32(i));
        }
    }
};

QTEST_APPLESS_MAIN(tst_MaskKeySource)
#include "tst_maskkeysource.moc"
