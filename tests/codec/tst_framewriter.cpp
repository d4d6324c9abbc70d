// The frame writer: exact wire bytes with an injected key, masking at any offset, splitting of
// outgoing messages, and a round trip through the decoder in the server role.
#include "codec/framewriter.h"

#include <QSet>
#include <QTest>

#include "codec/inbounddecoder.h"
#include "codec/utf8validator.h"
#include "framebuilder.h"
#include "recordingsink.h"

using namespace Wsw;
using namespace Wsw::Codec;
using namespace Wsw::Test;

namespace {

class FixedKeys final : public MaskKeySource
{
public:
    explicit FixedKeys(quint32 first) : m_next(first) {}
    quint32 nextMaskKey() override { return m_next++; }

private:
    quint32 m_next;
};

QByteArray pattern(qsizetype n)
{
    QByteArray out(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        out[i] = char(i * 7 + 3);
    return out;
}

} // namespace

class tst_FrameWriter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactBytes_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("headerSize");
        // RFC 6455 §5.2: 7-bit up to 125, 16-bit up to 65535, then 64-bit; +4 for the mask key
        for (int n : {0, 1, 125, 126, 127, 65535, 65536})
            QTest::addRow("%d bytes", n) << n << ((n < 126 ? 2 : n <= 65535 ? 4 : 10) + 4);
    }
    void exactBytes()
    {
        QFETCH(int, length);
        QFETCH(int, headerSize);
        const QByteArray payload = pattern(length);
        QByteArray out;
        appendFrame(out, Opcode::Binary, {}, payload, 0x04030201u);
        FrameBuilder expected;
        expected.opcode = 0x2;
        expected.maskKey = 0x04030201u;
        QCOMPARE(out, expected.build(payload)); // built independently
        QCOMPARE(frameHeaderSize(quint64(length), true), headerSize);
        QCOMPARE(out.size(), headerSize + length);
    }

    void rfcExampleBytes()
    {
        // RFC 6455 §5.7: "A single-frame masked text message" with the key 37 fa 21 3d
        FixedKeys keys(0x3d21fa37u);
        QByteArray out;
        appendMessage(out, Opcode::Text, "Hello", 0, keys);
        QCOMPARE(out, QByteArray::fromHex("818537fa213d7f9f4d5158"));
        // "Unmasked Ping request and masked Ping response"
        QByteArray ping;
        appendFrame(ping, Opcode::Ping, {}, "Hello", std::nullopt);
        QCOMPARE(ping, QByteArray::fromHex("890548656c6c6f"));
        QByteArray pong;
        appendFrame(pong, Opcode::Pong, {}, "Hello", 0x3d21fa37u);
        QCOMPARE(pong, QByteArray::fromHex("8a8537fa213d7f9f4d5158"));
    }

    void exactHeaderBytes_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<QByteArray>("header"); // fixed key 0x04030201: bytes 01 02 03 04
        QTest::newRow("0") << 0 << QByteArray::fromHex("8280 01020304");
        QTest::newRow("1") << 1 << QByteArray::fromHex("8281 01020304");
        QTest::newRow("125") << 125 << QByteArray::fromHex("82fd 01020304");
        QTest::newRow("126: 16-bit") << 126 << QByteArray::fromHex("82fe007e 01020304");
        QTest::newRow("127: 16-bit") << 127 << QByteArray::fromHex("82fe007f 01020304");
        QTest::newRow("65535: 16-bit") << 65535 << QByteArray::fromHex("82feffff 01020304");
        QTest::newRow("65536: 64-bit") << 65536 << QByteArray::fromHex("82ff0000000000010000 01020304");
    }
    void exactHeaderBytes()
    {
        QFETCH(int, length);
        QFETCH(QByteArray, header);
        const QByteArray payload = pattern(length);
        FixedKeys keys(0x04030201u);
        QByteArray out;
        appendMessage(out, Opcode::Binary, payload, 0, keys);
        QCOMPARE(out.first(header.size()), header);
        QCOMPARE(out.size(), header.size() + length);
        for (int i = 0; i < length; ++i) // masked with key byte i % 4
            QCOMPARE(out[header.size() + i], char(payload[i] ^ char(1 + i % 4)));
        QCOMPARE(frameHeaderSize(quint64(length), true), header.size());
        QCOMPARE(frameHeaderSize(quint64(length), false), header.size() - 4);
    }

    void writeFrameIntoABuffer()
    {
        // writeFrame() writes exactly frameHeaderSize() + payload bytes and says so
        const QByteArray payload = pattern(300);
        QByteArray buffer(frameHeaderSize(300, true) + 300 + 8, '\xAA');
        FrameFlags flags;
        flags.fin = false;
        const qsizetype written = writeFrame(buffer.data(), Opcode::Text, flags, payload, 0x11223344u);
        QCOMPARE(written, qsizetype(frameHeaderSize(300, true) + 300));
        QCOMPARE(buffer.sliced(written), QByteArray(8, '\xAA')); // nothing beyond
        FrameBuilder expected;
        expected.opcode = 0x1;
        expected.fin = false;
        expected.maskKey = 0x11223344u;
        QCOMPARE(buffer.first(written), expected.build(payload));

        QByteArray unmasked(frameHeaderSize(70000, false) + 70000, Qt::Uninitialized);
        QCOMPARE(writeFrame(unmasked.data(), Opcode::Binary, {}, pattern(70000), std::nullopt), unmasked.size());
        QCOMPARE(unmasked, FrameBuilder::binary(pattern(70000)));
    }

    void writeMessageIntoAFrameOutput()
    {
        class Chunks final : public FrameOutput
        {
        public:
            QList<QByteArray> grown;
            char *grow(qsizetype n) override
            {
                grown.append(QByteArray(n, '\0'));
                return grown.last().data();
            }
        };
        Chunks out;
        FixedKeys keys(1);
        writeMessage(out, Opcode::Text, "abcdefgh", 3, keys);
        QCOMPARE(out.grown.size(), 3); // one grow() per frame, each the frame's exact size
        QByteArray all;
        for (const QByteArray &chunk : out.grown)
            all += chunk;
        QByteArray expected;
        FixedKeys same(1);
        appendMessage(expected, Opcode::Text, "abcdefgh", 3, same);
        QCOMPARE(all, expected);
    }

    void onFrameReportsEveryHeader()
    {
        FixedKeys keys(100);
        QByteArray out;
        QList<FrameHeader> reported;
        appendMessage(out, Opcode::Text, QByteArray(300, 'x'), 128, keys,
                      [&](const FrameHeader &h) { reported.append(h); });
        QCOMPARE(reported.size(), 3);
        const quint64 lengths[] = {128, 128, 44};
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(reported[i].opcode, i == 0 ? Opcode::Text : Opcode::Continuation);
            QCOMPARE(reported[i].fin, i == 2);
            QVERIFY(reported[i].masked);
            QCOMPARE(reported[i].maskKey, quint32(100 + i));
            QCOMPARE(reported[i].payloadLength, lengths[i]);
            QCOMPARE(reported[i].headerSize, frameHeaderSize(lengths[i], true));
        }
    }

    void appendsAfterExistingBytes()
    {
        QByteArray out("prefix");
        FixedKeys keys(0);
        appendMessage(out, Opcode::Binary, "", 0, keys);
        QCOMPARE(out, QByteArray("prefix\x82\x80\0\0\0\0", 12)); // an empty message is one empty frame
    }

    void unmaskedServerFrames()
    {
        QByteArray out;
        FrameFlags flags;
        flags.fin = false;
        flags.rsv1 = true;
        appendFrame(out, Opcode::Text, flags, "abc", std::nullopt);
        QCOMPARE(out, QByteArray("\x41\x03" "abc"));
    }

    void maskingAtEveryOffsetMatchesBytewise()
    {
        const QByteArray data = pattern(67);
        const quint32 key = 0xdeadbeefu;
        for (int offset = 0; offset < 8; ++offset) {
            for (qsizetype n = 0; n <= data.size(); ++n) {
                QByteArray masked(n, Qt::Uninitialized);
                maskCopy(masked.data(), data.constData(), n, key, quint64(offset));
                for (qsizetype i = 0; i < n; ++i) {
                    const char k = char((key >> (8 * ((offset + i) % 4))) & 0xFF);
                    QCOMPARE(masked[i], char(data[i] ^ k));
                }
                maskInPlace(masked.data(), n, key, quint64(offset)); // XOR twice: the original
                QCOMPARE(masked, data.first(n));
            }
        }
    }

    void splitsMessagesIntoFrames_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("frameSize");
        QTest::addColumn<int>("frames");

        QTest::newRow("no limit") << 100000 << 0 << 1;
        QTest::newRow("fits exactly") << 1000 << 1000 << 1;
        QTest::newRow("one byte over") << 1001 << 1000 << 2;
        QTest::newRow("64 KiB in 1300-byte frames (Autobahn 10.1.1)") << 65536 << 1300 << 51;
        QTest::newRow("empty message is one empty frame") << 0 << 10 << 1;
        QTest::newRow("1-byte frames") << 5 << 1 << 5;
        QTest::newRow("exact multiple: no empty last frame") << 30 << 10 << 3;
        QTest::newRow("125/126 boundary") << 252 << 126 << 2;
    }
    void splitsMessagesIntoFrames()
    {
        QFETCH(int, length);
        QFETCH(int, frameSize);
        QFETCH(int, frames);
        const QByteArray payload = pattern(length);
        FixedKeys keys(0x11223344u);
        QByteArray out;
        QList<FrameHeader> reported;
        appendMessage(out, Opcode::Binary, payload, quint64(frameSize),
                      keys, [&](const FrameHeader &h) { reported.append(h); });
        QCOMPARE(reported.size(), frames);
        QList<ParsedFrame> parsed = takeFrames(out);
        QVERIFY(out.isEmpty());
        QCOMPARE(parsed.size(), frames);
        QByteArray joined;
        QSet<quint32> usedKeys;
        for (int i = 0; i < parsed.size(); ++i) {
            QCOMPARE(parsed[i].opcode, quint8(i == 0 ? 0x2 : 0x0)); // continuations after the first
            QCOMPARE(parsed[i].fin, i == parsed.size() - 1);         // FIN on the last only
            QVERIFY(parsed[i].masked);
            QCOMPARE(parsed[i].maskKey, reported[i].maskKey);
            usedKeys.insert(parsed[i].maskKey);
            if (frameSize > 0)
                QVERIFY(parsed[i].payload.size() <= frameSize);
            joined += parsed[i].payload;
        }
        QCOMPARE(usedKeys.size(), frames); // a fresh key per frame
        QCOMPARE(joined, payload);
    }

    void roundTripThroughTheServerRoleDecoder()
    {
        const QByteArray text = QByteArray("κόσμε ").repeated(3000); // multi-byte, split across frames
        FixedKeys keys(7);
        QByteArray wire;
        appendMessage(wire, Opcode::Text, text, 1001, keys); // 1001 cuts inside code points
        appendMessage(wire, Opcode::Binary, pattern(70000), 0, keys);
        appendFrame(wire, Opcode::Ping, {}, "p", keys.nextMaskKey());
        InboundDecoder decoder(Role::Server);
        RecordingSink sink;
        QCOMPARE(decoder.feed(wire, sink), ErrorDetail::None);
        QCOMPARE(sink.log.size(), 3);
        QCOMPARE(sink.log[0], "text:" + text);
        QCOMPARE(sink.log[1], "binary:" + pattern(70000).toHex());
        QCOMPARE(sink.log[2], QByteArray("ping:p"));
    }

    void textFramesEndOnCharacterBoundaries()
    {
        // a 4-byte character every 5 bytes: 1000-byte cuts would land inside characters
        const QByteArray text = QByteArray("x\xf0\x9f\x99\x82").repeated(2000);
        for (int frameSize : {1000, 7, 4}) {
            FixedKeys keys(1);
            QByteArray wire;
            appendMessage(wire, Opcode::Text, text, quint64(frameSize), keys);
            QByteArray joined;
            for (const ParsedFrame &f : takeFrames(wire)) {
                QVERIFY(f.payload.size() <= frameSize);
                QVERIFY(f.payload.size() > frameSize - 4);
                if (!f.fin) // every frame but the last ends after a complete character
                    QVERIFY2(Utf8Validator::isValidUtf8(f.payload), qPrintable(QString::number(frameSize)));
                joined += f.payload;
            }
            QCOMPARE(joined, text);
        }
        // binary frames are cut exactly at the frame size
        FixedKeys keys(1);
        QByteArray wire;
        appendMessage(wire, Opcode::Binary, text, 1000, keys);
        for (const ParsedFrame &f : takeFrames(wire))
            QCOMPARE(f.payload.size(), 1000);
    }

    void systemKeysVary()
    {
        SystemMaskKeySource keys;
        QSet<quint32> seen;
        for (int i = 0; i < 1000; ++i) // tst_maskkeysource tests the source itself
            seen.insert(keys.nextMaskKey());
        QVERIFY2(seen.size() > 990, "keys from the CSPRNG repeat far too often");
    }
};

QTEST_APPLESS_MAIN(tst_FrameWriter)
#include "tst_framewriter.moc"
