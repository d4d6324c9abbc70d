// permessage-deflate (RFC 7692) in the codec: negotiation, inflating inbound messages at every
// split point, deflating outbound ones, and the bounds (MaxMessageSize on inflated bytes).
// Reference compressed data comes from zlib directly or from the RFC's own examples, never from
// the code under test.

#include <QRandomGenerator>
#include <QTest>

#include <zlib.h>

#include "codec/errortable.h"
#include "codec/inbounddecoder.h"
#include "codec/messagedeflater.h"
#include "codec/messageinflater.h"
#include "codec/permessagedeflate.h"
#include "framebuilder.h"
#include "recordingsink.h"

using namespace Wsw;
using namespace Wsw::Codec;
using Wsw::Test::FrameBuilder;
using Wsw::Test::RecordingSink;
using Wsw::Test::feedings;
using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

/** zlib's raw deflate with a sync flush; the 0x00 0x00 0xff 0xff tail stripped (RFC 7692 §7.2.1). */
QByteArray zlibDeflate(QByteArrayView data, int windowBits = 15, int level = 6)
{
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2");
    QByteArray out(qsizetype(deflateBound(&z, uLong(data.size()))) + 64, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    if (deflate(&z, Z_SYNC_FLUSH) != Z_OK || z.avail_in != 0)
        qFatal("deflate");
    out.resize(out.size() - qsizetype(z.avail_out));
    deflateEnd(&z);
    if (!out.endsWith(QByteArray("\x00\x00\xff\xff", 4)))
        qFatal("no sync flush tail");
    out.chop(4);
    return out;
}

/** A server's frame (unmasked) with RSV1 as given. */
QByteArray frame(quint8 opcode, QByteArrayView payload, bool rsv1, bool fin = true)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.rsv1 = rsv1;
    b.fin = fin;
    return b.build(payload);
}

/** Records the uncompressed length of every frame. */
class FrameSizes final : public InboundDecoder::FrameObserver
{
public:
    QList<qint64> uncompressed;
    void onFrameHeader(const FrameHeader &) override {}
    void onFrameComplete(const FrameHeader &, qint64 length) override { uncompressed.append(length); }
};

InboundDecoder deflateDecoder(int windowBits = 15, bool noContextTakeover = false)
{
    InboundDecoder decoder(Role::Client);
    decoder.enableDeflate(windowBits, noContextTakeover);
    return decoder;
}

QByteArray randomBytes(qsizetype n, quint32 seed)
{
    QRandomGenerator gen(seed);
    QByteArray out(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        out[i] = char(gen.bounded(256));
    return out;
}

/** Text that compresses: words from a small vocabulary, with non-ASCII characters. */
QByteArray wordyText(qsizetype n, quint32 seed)
{
    static const char *words[] = {"hello ", "wörld ", "deflate ", "€uro ", "窗口 ", "frame ", "😀 ", "message "};
    QRandomGenerator gen(seed);
    QByteArray out;
    while (out.size() < n)
        out += words[gen.bounded(8)];
    // cut back to a character boundary at or below n
    qsizetype cut = std::min(n, out.size());
    while (cut > 0 && cut < out.size() && (quint8(out[cut]) & 0xC0) == 0x80)
        --cut;
    out.truncate(cut);
    return out;
}

QString agreementText(const DeflateAgreement &a)
{
    if (!a.active)
        return u"none"_s;
    return u"c=%1 s=%2 cn=%3 sn=%4 out=%5"_s.arg(a.clientMaxWindowBits)
            .arg(a.serverMaxWindowBits)
            .arg(int(a.clientNoContextTakeover))
            .arg(int(a.serverNoContextTakeover))
            .arg(int(a.compressOutgoing));
}

class CollectingSink final : public MessageInflater::Sink
{
public:
    QByteArray data;
    qsizetype largestChunk = 0;
    ErrorDetail onInflated(QByteArrayView bytes) override
    {
        largestChunk = std::max(largestChunk, bytes.size());
        data.append(bytes.data(), bytes.size());
        return ErrorDetail::None;
    }
};

} // namespace

class tst_PerMessageDeflate : public QObject
{
    Q_OBJECT

private slots:
    // --- inbound: RFC 7692 §7.2.3's examples and more, at every split, full and partial mode
    void inbound_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QByteArrayList>("expected");
        QTest::addColumn<QList<qint64>>("frameSizes");
        const QByteArray hello = hex("c107f248cdc9c90700");
        QTest::newRow("7.2.3.1 one compressed Hello") << hello << QByteArrayList{"text:Hello"} << QList<qint64>{5};
        QTest::newRow("7.2.3.1 fragmented") << hex("4103f248cd" "8004c9c90700") << QByteArrayList{"text:Hello"}
                                            << QList<qint64>{2, 3};
        QTest::newRow("7.2.3.2 second Hello reuses the window")
                << hello + hex("c105f200110000") << QByteArrayList{"text:Hello", "text:Hello"} << QList<qint64>{5, 5};
        QTest::newRow("7.2.3.3 stored block") << hex("c10b0005 00faff48656c6c6f00") << QByteArrayList{"text:Hello"}
                                              << QList<qint64>{5};
        QTest::newRow("7.2.3.4 BFINAL block, then a fresh stream")
                << hex("c108f348cdc9c9070000") + hello << QByteArrayList{"text:Hello", "text:Hello"}
                << QList<qint64>{5, 5};
        QTest::newRow("7.2.3.5 two blocks in one message") << hex("c10df24805000000ffffcac9c90700")
                                                           << QByteArrayList{"text:Hello"} << QList<qint64>{5};
        QTest::newRow("empty message: one 0x00") << hex("c10100") << QByteArrayList{"text:"} << QList<qint64>{0};
        QTest::newRow("binary") << hex("c207f248cdc9c90700") << QByteArrayList{"binary:48656c6c6f"} << QList<qint64>{5};
        QTest::newRow("ping between compressed fragments")
                << hex("4103f248cd" "8900" "8004c9c90700") << QByteArrayList{"ping:", "text:Hello"}
                << QList<qint64>{2, -1, 3};
        QTest::newRow("uncompressed message between compressed ones")
                << hello + hex("810548656c6c6f") + hex("c105f200110000")
                << QByteArrayList{"text:Hello", "text:Hello", "text:Hello"} << QList<qint64>{5, -1, 5};
        QTest::newRow("empty continuation frames") << hex("4103f248cd" "0000" "8004c9c90700") << QByteArrayList{"text:Hello"}
                                                   << QList<qint64>{2, 0, 3};
        const QByteArray text = wordyText(3000, 7);
        const QByteArray deflated = zlibDeflate(text);
        QTest::newRow("3000 bytes of text, zlib, in 3 frames")
                << frame(0x1, deflated.first(10), true, false) + frame(0x0, deflated.sliced(10, 20), false, false)
                        + frame(0x0, deflated.sliced(30), false, true)
                << QByteArrayList{"text:" + text} << QList<qint64>{};
    }
    void inbound()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QByteArrayList, expected);
        QFETCH(QList<qint64>, frameSizes);
        const QList<QList<QByteArrayView>> ways = feedings(stream);
        for (bool partial : {false, true}) {
            for (int w = 0; w < ways.size(); ++w) {
                InboundDecoder decoder = deflateDecoder();
                decoder.assembler().setPartialMode(partial);
                FrameSizes sizes;
                decoder.setFrameObserver(&sizes);
                RecordingSink sink;
                const ErrorDetail error = Test::feedPieces(decoder, ways.at(w), sink);
                const QString where = u"%1 mode, feeding %2"_s.arg(partial ? u"partial"_s : u"full"_s).arg(w);
                QVERIFY2(error == ErrorDetail::None, qPrintable(where + u": "_s + errorMessage(error)));
                QVERIFY2(sink.joined == expected, qPrintable(where + u": "_s + QString::fromUtf8(sink.joined.join(" | ")).left(200)));
                if (!frameSizes.isEmpty())
                    QCOMPARE(sizes.uncompressed, frameSizes);
                if (partial) {
                    // pieces of text end on code points
                    for (const RecordingSink::Piece &p : sink.pieces)
                        if (p.type == SocketMessageType::Utf8)
                            QVERIFY(Utf8Validator::isValidUtf8(p.data));
                }
            }
        }
    }

    // --- inbound: what must fail, and with what
    void inboundErrors_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<int>("serverWindowBits"); // 0: deflate not negotiated
        QTest::addColumn<bool>("noContextTakeover");
        QTest::addColumn<quint32>("maxMessageSize");
        QTest::addColumn<ErrorDetail>("error");
        QTest::addColumn<quint16>("closeCode");
        const quint32 big = 0xFFFFFFFFu;
        QTest::newRow("RSV1 without deflate") << hex("c107f248cdc9c90700") << 0 << false << big
                                              << ErrorDetail::ReservedBitsSet << quint16(1002);
        QTest::newRow("RSV1 on a continuation") << hex("4103f248cd" "c004c9c90700") << 15 << false << big
                                                << ErrorDetail::CompressedContinuationFrame << quint16(1002);
        QTest::newRow("RSV1 on a ping") << hex("c900") << 15 << false << big << ErrorDetail::CompressedControlFrame
                                        << quint16(1002);
        QTest::newRow("RSV1 on a close") << hex("c80203e8") << 15 << false << big << ErrorDetail::CompressedControlFrame
                                         << quint16(1002);
        QTest::newRow("RSV1 on a pong between fragments") << hex("4103f248cd" "ca00") << 15 << false << big
                                                          << ErrorDetail::CompressedControlFrame << quint16(1002);
        QTest::newRow("RSV2 stays reserved") << hex("a107f248cdc9c90700") << 15 << false << big
                                             << ErrorDetail::ReservedBitsSet << quint16(1002);
        QTest::newRow("not deflate data") << hex("c104ffffffff") << 15 << false << big
                                          << ErrorDetail::InvalidCompressedData << quint16(1007);
        QTest::newRow("reserved block type 3") << hex("c10107") << 15 << false << big
                                               << ErrorDetail::InvalidCompressedData << quint16(1007);
        QTest::newRow("stored block length check broken") << hex("c10b000500faf048656c6c6f00") << 15 << false << big
                                                          << ErrorDetail::InvalidCompressedData << quint16(1007);
        QTest::newRow("second Hello after a context reset") << hex("c107f248cdc9c90700" "c105f200110000") << 15 << true
                                                            << big << ErrorDetail::InvalidCompressedData << quint16(1007);
        QTest::newRow("empty payload: the tail alone is a cut block") << hex("c100") << 15 << false << big
                                                                      << ErrorDetail::InvalidCompressedData
                                                                      << quint16(1007);
        QTest::newRow("message ends inside a block") << hex("c103f248cd") << 15 << false << big
                                                     << ErrorDetail::InvalidCompressedData << quint16(1007);
        QTest::newRow("invalid UTF-8 once inflated") << frame(0x1, zlibDeflate("abc\xff"), true) << 15 << false << big
                                                    << ErrorDetail::InvalidUtf8 << quint16(1007);
        QTest::newRow("text ends inside a character") << frame(0x1, zlibDeflate("abc\xe2\x82"), true) << 15 << false
                                                     << big << ErrorDetail::InvalidUtf8 << quint16(1007);
        QTest::newRow("inflates to one byte more than MaxMessageSize") << frame(0x2, zlibDeflate(QByteArray(1001, 'a')), true)
                                                                        << 15 << false << quint32(1000)
                                                                        << ErrorDetail::MessageTooBig << quint16(1009);
        QTest::newRow("compressed frame far larger than MaxMessageSize allows")
                << frame(0x2, randomBytes(3000, 3), true) << 15 << false << quint32(1000) << ErrorDetail::MessageTooBig
                << quint16(1009);
    }
    void inboundErrors()
    {
        QFETCH(QByteArray, stream);
        QFETCH(int, serverWindowBits);
        QFETCH(bool, noContextTakeover);
        QFETCH(quint32, maxMessageSize);
        QFETCH(ErrorDetail, error);
        QFETCH(quint16, closeCode);
        QCOMPARE(errorInfo(error).closeCodeToSend, closeCode);
        for (const QList<QByteArrayView> &way : feedings(stream)) {
            for (bool partial : {false, true}) {
                InboundDecoder decoder(Role::Client);
                if (serverWindowBits)
                    decoder.enableDeflate(serverWindowBits, noContextTakeover);
                decoder.assembler().setMaxMessageSize(maxMessageSize);
                decoder.assembler().setPartialMode(partial);
                RecordingSink sink;
                QCOMPARE(Test::feedPieces(decoder, way, sink), error);
            }
        }
    }

    void largerServerWindowIsTolerated()
    {
        // A server that refers further back than the server_max_window_bits it agreed to: zlib checks
        // a distance against its window plus what the current call has written, so enforcing the
        // negotiated window would fail such a stream or not depending on how TCP cut it (fuzz_inflate
        // found it). The inflater keeps a 32 KiB window (RFC 7692 lets a receiver use a larger one):
        // the verdict is the same at every split. Here the second message refers 1000 bytes back,
        // past a 512-byte window.
        const QByteArray noise = randomBytes(1000, 1);
        z_stream z{};
        deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
        QByteArray first(4096, Qt::Uninitialized), second(4096, Qt::Uninitialized);
        auto run = [&z](const QByteArray &in, QByteArray &out) {
            z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
            z.avail_in = uInt(in.size());
            z.next_out = reinterpret_cast<Bytef *>(out.data());
            z.avail_out = uInt(out.size());
            deflate(&z, Z_SYNC_FLUSH);
            out.resize(out.size() - qsizetype(z.avail_out) - 4);
        };
        run(noise, first);
        run(noise, second);
        deflateEnd(&z);
        QVERIFY(second.size() < 100); // one back-reference, 1000 bytes away
        const QByteArray stream = frame(0x2, first, true) + frame(0x2, second, true);
        const QByteArrayList expected{"binary:" + noise.toHex(), "binary:" + noise.toHex()};
        for (const QList<QByteArrayView> &way : feedings(stream)) {
            InboundDecoder decoder = deflateDecoder(9, false);
            RecordingSink sink;
            QCOMPARE(Test::feedPieces(decoder, way, sink), ErrorDetail::None);
            QCOMPARE(sink.joined, expected);
        }
    }

    void inboundAtTheLimit()
    {
        // exactly MaxMessageSize once inflated is allowed
        const QByteArray stream = frame(0x2, zlibDeflate(QByteArray(1000, 'a')), true);
        InboundDecoder decoder = deflateDecoder();
        decoder.assembler().setMaxMessageSize(1000);
        RecordingSink sink;
        QCOMPARE(Test::feedPieces(decoder, {stream}, sink), ErrorDetail::None);
        QCOMPARE(sink.pieces.size(), 1);
        QCOMPARE(sink.pieces.first().data, QByteArray(1000, 'a'));
        // and incompressible data a little larger on the wire than MaxMessageSize, too
        const QByteArray noise = randomBytes(1000, 9);
        const QByteArray deflated = zlibDeflate(noise);
        QVERIFY(deflated.size() > 1000);
        InboundDecoder second = deflateDecoder();
        second.assembler().setMaxMessageSize(1000);
        RecordingSink sink2;
        QCOMPARE(Test::feedPieces(second, {frame(0x2, deflated, true)}, sink2), ErrorDetail::None);
        QCOMPARE(sink2.pieces.first().data, noise);
    }

    void zipBomb()
    {
        // 256 MiB of zeros deflate to about 256 KiB. With MaxMessageSize 1 MiB the message must
        // fail with 1009 after about 1 MiB of inflating, holding no more than that.
        constexpr qsizetype Inflated = 256 * 1024 * 1024;
        constexpr quint32 Limit = 1024 * 1024;
        QByteArray zeros(Inflated, '\0');
        const QByteArray bomb = zlibDeflate(zeros, 15, 9);
        zeros = QByteArray();
        QVERIFY2(bomb.size() < 300 * 1024, qPrintable(QString::number(bomb.size())));
        for (bool partial : {false, true}) {
            InboundDecoder decoder = deflateDecoder();
            decoder.assembler().setMaxMessageSize(Limit);
            decoder.assembler().setPartialMode(partial);
            RecordingSink sink;
            QCOMPARE(Test::feedPieces(decoder, {frame(0x2, bomb, true)}, sink), ErrorDetail::MessageTooBig);
            qsizetype delivered = 0;
            for (const RecordingSink::Piece &p : sink.pieces)
                delivered += p.data.size();
            QVERIFY(delivered <= qsizetype(Limit));
            if (!partial)
                QCOMPARE(delivered, 0);
        }
        // the inflater itself stops one byte past the limit and never hands over more than the limit
        MessageInflater inflater;
        inflater.configure(15, false);
        CollectingSink sink;
        QCOMPARE(inflater.inflate(bomb, Limit, sink), ErrorDetail::MessageTooBig);
        QVERIFY(sink.data.size() <= qsizetype(Limit));
        QVERIFY(sink.largestChunk <= MessageInflater::ChunkBytes);
    }

    void partialModeHandsOverWhileInflating()
    {
        // one 64 KiB frame inflating to 64 MiB: in partial mode it arrives in pieces of about
        // PartialInflateFlushBytes, never held whole
        constexpr qsizetype Size = 64 * 1024 * 1024;
        const QByteArray stream = frame(0x2, zlibDeflate(QByteArray(Size, 'z'), 15, 9), true);
        InboundDecoder decoder = deflateDecoder();
        decoder.assembler().setPartialMode(true);
        RecordingSink sink;
        QCOMPARE(decoder.feed(stream, sink), ErrorDetail::None);
        QVERIFY(sink.pieces.size() >= 60);
        qsizetype total = 0;
        for (const RecordingSink::Piece &p : sink.pieces) {
            QVERIFY(quint64(p.data.size()) <= MessageAssembler::PartialInflateFlushBytes + MessageInflater::ChunkBytes);
            total += p.data.size();
        }
        QCOMPARE(total, Size);
        QVERIFY(sink.pieces.last().isComplete);
        // and an application that stops reading from its slot stops the inflating too
        InboundDecoder stopping = deflateDecoder();
        stopping.assembler().setPartialMode(true);
        RecordingSink first;
        first.stopAfter = 0;
        qsizetype consumed = -1;
        QCOMPARE(stopping.feed(stream, first, &consumed), ErrorDetail::None);
        QCOMPARE(first.pieces.size(), 1);
    }

    void utf8FailsFastOnInflatedBytes()
    {
        // the invalid byte comes first; 4 MiB of text follow. The error must come from the first
        // part of the frame, long before its end.
        const QByteArray text = "ok \xc0\xaf" + QByteArray(4 * 1024 * 1024, 'a');
        const QByteArray stream = frame(0x1, zlibDeflate(text, 15, 1), true);
        InboundDecoder decoder = deflateDecoder();
        RecordingSink sink;
        QCOMPARE(decoder.feed(QByteArrayView(stream).first(200), sink), ErrorDetail::InvalidUtf8);
    }

    // --- outbound
    void deflaterMatchesRfc()
    {
        MessageDeflater withTakeover;
        withTakeover.configure(15, -1, false);
        QByteArray out;
        withTakeover.compress("Hello", true, &out);
        QCOMPARE(out.toHex(), QByteArray("f248cdc9c90700")); // RFC 7692 §7.2.3.1
        out.clear();
        withTakeover.compress("Hello", true, &out);
        QCOMPARE(out.toHex(), QByteArray("f200110000")); // §7.2.3.2: the window is reused
        MessageDeflater without;
        without.configure(15, -1, true);
        for (int i = 0; i < 3; ++i) {
            out.clear();
            without.compress("Hello", true, &out);
            QCOMPARE(out.toHex(), QByteArray("f248cdc9c90700")); // reset after every message
        }
        out.clear();
        without.compress("", true, &out);
        QCOMPARE(out.toHex(), QByteArray("00")); // an empty message: one byte (RFC 7692 §7.2.3.6)
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("windowBits");
        QTest::addColumn<bool>("noContextTakeover");
        QTest::addColumn<int>("level");
        QTest::addColumn<bool>("inParts");
        for (int bits : {9, 10, 12, 15})
            for (bool noTakeover : {false, true})
                for (bool parts : {false, true})
                    QTest::addRow("window %d%s%s", bits, noTakeover ? ", no context takeover" : "",
                                  parts ? ", sent in parts" : "")
                            << bits << noTakeover << -1 << parts;
        QTest::newRow("level 0 (stored blocks)") << 15 << false << 0 << false;
        QTest::newRow("level 9") << 15 << false << 9 << true;
    }
    void roundTrip()
    {
        // our deflater -> frames -> our decoder with the same window: every message comes back
        QFETCH(int, windowBits);
        QFETCH(bool, noContextTakeover);
        QFETCH(int, level);
        QFETCH(bool, inParts);
        MessageDeflater deflater;
        deflater.configure(windowBits, level, noContextTakeover);
        QVERIFY(deflater.isConfigured());
        QByteArray stream;
        QByteArrayList expected;
        const QList<QByteArray> messages{wordyText(0, 1),      wordyText(1, 2),       wordyText(5000, 3),
                                         randomBytes(3000, 4), wordyText(200000, 5), wordyText(5000, 3)};
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QByteArray &m = messages.at(i);
            const bool text = i != 3;
            const quint8 opcode = text ? 0x1 : 0x2;
            if (!inParts) {
                QByteArray c;
                deflater.compress(m, true, &c);
                stream += frame(opcode, c, true);
            } else {
                // three parts, each flushed: cut anywhere, even inside characters
                const qsizetype a = m.size() / 3, b = 2 * m.size() / 3;
                QByteArray c1, c2, c3;
                deflater.compress(QByteArrayView(m).first(a), false, &c1);
                deflater.compress(QByteArrayView(m).sliced(a, b - a), false, &c2);
                deflater.compress(QByteArrayView(m).sliced(b), true, &c3);
                stream += frame(opcode, c1, true, false) + frame(0x0, c2, false, false) + frame(0x0, c3, false, true);
            }
            expected.append(text ? QByteArray("text:" + m) : QByteArray("binary:" + m.toHex()));
        }
        for (bool partial : {false, true}) {
            InboundDecoder decoder = deflateDecoder(windowBits, noContextTakeover);
            decoder.assembler().setPartialMode(partial);
            RecordingSink sink;
            // in pieces of 1000 bytes: frames and inflated chunks cut everywhere
            QList<QByteArrayView> pieces;
            for (qsizetype pos = 0; pos < stream.size(); pos += 1000)
                pieces.append(QByteArrayView(stream).sliced(pos, std::min<qsizetype>(1000, stream.size() - pos)));
            const ErrorDetail fed = Test::feedPieces(decoder, pieces, sink);
            QVERIFY2(fed == ErrorDetail::None, qPrintable(u"%1 after %2 messages"_s.arg(errorMessage(fed)).arg(sink.joined.size())));
            QCOMPARE(sink.joined.size(), expected.size());
            for (qsizetype i = 0; i < expected.size(); ++i)
                QVERIFY2(sink.joined.at(i) == expected.at(i), qPrintable(u"message %1"_s.arg(i)));
        }
    }

    void deflaterIsReadByZlib()
    {
        // what we send, zlib's own inflate (a different reader than ours) reads back
        MessageDeflater deflater;
        deflater.configure(11, 6, false);
        z_stream z{};
        QCOMPARE(inflateInit2(&z, -11), Z_OK);
        for (int i = 0; i < 4; ++i) {
            const QByteArray message = wordyText(20000 + i * 1000, quint32(10 + i));
            QByteArray c;
            deflater.compress(message, true, &c);
            c.append("\x00\x00\xff\xff", 4);
            QByteArray out(message.size() + 16, Qt::Uninitialized);
            z.next_in = reinterpret_cast<Bytef *>(c.data());
            z.avail_in = uInt(c.size());
            z.next_out = reinterpret_cast<Bytef *>(out.data());
            z.avail_out = uInt(out.size());
            QCOMPARE(inflate(&z, Z_SYNC_FLUSH), Z_OK);
            out.resize(out.size() - qsizetype(z.avail_out));
            QCOMPARE(out, message);
        }
        inflateEnd(&z);
    }

    // --- negotiation (RFC 7692 §5, §7)
    void offer_data()
    {
        QTest::addColumn<DeflateOptions>("options");
        QTest::addColumn<QByteArray>("offer");
        DeflateOptions o;
        QTest::newRow("default, as browsers") << o << QByteArray("permessage-deflate; client_max_window_bits");
        o.enabled = false;
        QTest::newRow("disabled") << o << QByteArray();
        o = {};
        o.clientMaxWindowBits = 10;
        o.serverMaxWindowBits = 12;
        o.clientNoContextTakeover = o.serverNoContextTakeover = true;
        QTest::newRow("everything") << o
                                    << QByteArray("permessage-deflate; client_no_context_takeover; server_no_context_takeover; "
                                                  "server_max_window_bits=12; client_max_window_bits=10");
        o = {};
        o.offerClientMaxWindowBits = false;
        QTest::newRow("bare") << o << QByteArray("permessage-deflate");
    }
    void offer()
    {
        QFETCH(DeflateOptions, options);
        QFETCH(QByteArray, offer);
        QCOMPARE(buildDeflateOffer(options), offer);
        // our own offer must parse by the grammar we apply to answers
        if (!offer.isEmpty()) {
            QList<ExtensionElement> elements;
            QString problem;
            QCOMPARE(parseExtensionList({offer}, &elements, &problem), ErrorDetail::None);
            QCOMPARE(elements.size(), 1);
        }
    }

    void optionsValidation_data()
    {
        QTest::addColumn<DeflateOptions>("options");
        QTest::addColumn<bool>("valid");
        DeflateOptions o;
        QTest::newRow("default") << o << true;
        o.clientMaxWindowBits = 7;
        QTest::newRow("client window 7") << o << false;
        o.clientMaxWindowBits = 16;
        QTest::newRow("client window 16") << o << false;
        o.clientMaxWindowBits = 8;
        QTest::newRow("client window 8") << o << true;
        o = {};
        o.serverMaxWindowBits = 3;
        QTest::newRow("server window 3") << o << false;
        o = {};
        o.compressionLevel = 10;
        QTest::newRow("level 10") << o << false;
        o = {};
        o.offerClientMaxWindowBits = false;
        o.clientMaxWindowBits = 10;
        QTest::newRow("client window value without offering it") << o << false;
    }
    void optionsValidation()
    {
        QFETCH(DeflateOptions, options);
        QFETCH(bool, valid);
        QString problem;
        const ErrorDetail error = validateDeflateOptions(options, &problem);
        QCOMPARE(error == ErrorDetail::None, valid);
        QCOMPARE(problem.isEmpty(), valid);
    }

    void negotiate_data()
    {
        QTest::addColumn<DeflateOptions>("offer");
        QTest::addColumn<QByteArrayList>("response");
        QTest::addColumn<ErrorDetail>("error");
        QTest::addColumn<QString>("agreement");
        QTest::addColumn<QString>("problemMentions");
        using D = ErrorDetail;
        const DeflateOptions def;
        DeflateOptions off;
        off.enabled = false;
        DeflateOptions bare;
        bare.offerClientMaxWindowBits = false;
        DeflateOptions req;
        req.serverMaxWindowBits = 10;
        req.serverNoContextTakeover = true;
        DeflateOptions ten;
        ten.clientMaxWindowBits = 10;
        DeflateOptions mine;
        mine.clientNoContextTakeover = true;
        auto row = [](const char *name, const DeflateOptions &o, QByteArrayList r, D e, const char *agreement,
                      const char *mentions = "") {
            QTest::newRow(name) << o << r << e << QString::fromLatin1(agreement) << QString::fromLatin1(mentions);
        };
        // accepted
        row("no header: declined", def, {}, D::None, "none");
        row("empty header: declined", def, {""}, D::None, "none");
        row("plain accept", def, {"permessage-deflate"}, D::None, "c=15 s=15 cn=0 sn=0 out=1");
        row("name in another case", def, {"PerMessage-Deflate"}, D::None, "c=15 s=15 cn=0 sn=0 out=1");
        row("server limits itself", def, {"permessage-deflate; server_max_window_bits=10"}, D::None,
            "c=15 s=10 cn=0 sn=0 out=1");
        row("server adds server_no_context_takeover", def, {"permessage-deflate; server_no_context_takeover"}, D::None,
            "c=15 s=15 cn=0 sn=1 out=1");
        row("server asks client_no_context_takeover", def, {"permessage-deflate; client_no_context_takeover"}, D::None,
            "c=15 s=15 cn=1 sn=0 out=1");
        row("server limits our window", def, {"permessage-deflate; client_max_window_bits=9"}, D::None,
            "c=9 s=15 cn=0 sn=0 out=1");
        row("an 8-bit window for us: we send uncompressed", def, {"permessage-deflate; client_max_window_bits=8"},
            D::None, "c=8 s=15 cn=0 sn=0 out=0");
        row("quoted value", def, {"permessage-deflate; client_max_window_bits=\"12\""}, D::None,
            "c=12 s=15 cn=0 sn=0 out=1");
        row("spaces and tabs", def, {"permessage-deflate ;\tserver_max_window_bits = 11 "}, D::None,
            "c=15 s=11 cn=0 sn=0 out=1");
        row("requests granted", req, {"permessage-deflate; server_max_window_bits=10; server_no_context_takeover"},
            D::None, "c=15 s=10 cn=0 sn=1 out=1");
        row("requested window granted smaller", req,
            {"permessage-deflate; server_max_window_bits=9; server_no_context_takeover"}, D::None,
            "c=15 s=9 cn=0 sn=1 out=1");
        row("our window applies without an answer", ten, {"permessage-deflate"}, D::None, "c=10 s=15 cn=0 sn=0 out=1");
        row("our no_context_takeover applies without an answer", mine, {"permessage-deflate"}, D::None,
            "c=15 s=15 cn=1 sn=0 out=1");
        row("two header lines, one of them empty", def, {"", "permessage-deflate"}, D::None, "c=15 s=15 cn=0 sn=0 out=1");
        // refused
        row("not offered at all", off, {"permessage-deflate"}, D::UnrequestedExtension, "", "permessage-deflate");
        row("another extension", def, {"x-webkit-deflate-frame"}, D::UnrequestedExtension, "", "x-webkit-deflate-frame");
        row("twice in one line", def, {"permessage-deflate, permessage-deflate"}, D::MultipleExtensions, "");
        row("twice in two lines", def, {"permessage-deflate", "permessage-deflate"}, D::MultipleExtensions, "");
        row("deflate and another", def, {"permessage-deflate, foo"}, D::UnrequestedExtension, "", "foo");
        row("unknown parameter", def, {"permessage-deflate; max_window_bits=10"}, D::UnknownExtensionParameter, "",
            "max_window_bits");
        row("duplicate parameter", def, {"permessage-deflate; server_max_window_bits=10; server_max_window_bits=10"},
            D::DuplicateExtensionParameter, "", "server_max_window_bits");
        row("duplicate flag", def, {"permessage-deflate; client_no_context_takeover; client_no_context_takeover"},
            D::DuplicateExtensionParameter, "", "client_no_context_takeover");
        row("window 7", def, {"permessage-deflate; server_max_window_bits=7"}, D::InvalidExtensionParameterValue, "",
            "server_max_window_bits");
        row("window 16", def, {"permessage-deflate; client_max_window_bits=16"}, D::InvalidExtensionParameterValue, "",
            "client_max_window_bits");
        row("leading zero", def, {"permessage-deflate; server_max_window_bits=010"}, D::InvalidExtensionParameterValue,
            "");
        row("not a number", def, {"permessage-deflate; server_max_window_bits=ten"}, D::InvalidExtensionParameterValue,
            "");
        row("window without a value in an answer", def, {"permessage-deflate; client_max_window_bits"},
            D::InvalidExtensionParameterValue, "", "client_max_window_bits");
        row("server window without a value", def, {"permessage-deflate; server_max_window_bits"},
            D::InvalidExtensionParameterValue, "", "server_max_window_bits");
        row("flag with a value", def, {"permessage-deflate; server_no_context_takeover=1"},
            D::InvalidExtensionParameterValue, "", "server_no_context_takeover");
        row("client window not offered", bare, {"permessage-deflate; client_max_window_bits=10"},
            D::UnrequestedExtensionParameter, "", "client_max_window_bits");
        row("client window larger than offered", ten, {"permessage-deflate; client_max_window_bits=12"},
            D::InvalidExtensionParameterValue, "", "client_max_window_bits");
        row("server window larger than requested", req,
            {"permessage-deflate; server_max_window_bits=12; server_no_context_takeover"},
            D::InvalidExtensionParameterValue, "", "server_max_window_bits");
        row("requested server window missing", req, {"permessage-deflate; server_no_context_takeover"},
            D::MissingExtensionParameter, "", "server_max_window_bits");
        row("requested server_no_context_takeover missing", req, {"permessage-deflate; server_max_window_bits=10"},
            D::MissingExtensionParameter, "", "server_no_context_takeover");
        row("syntax: value without a name", def, {"permessage-deflate; =10"}, D::InvalidExtensionHeader, "");
        row("syntax: unterminated quote", def, {"permessage-deflate; client_max_window_bits=\"10"},
            D::InvalidExtensionHeader, "");
        row("syntax: quoted value not a token", def, {"permessage-deflate; client_max_window_bits=\"1 0\""},
            D::InvalidExtensionHeader, "");
        row("syntax: two names without a comma", def, {"permessage-deflate foo"}, D::InvalidExtensionHeader, "");
        row("syntax: empty value", def, {"permessage-deflate; server_max_window_bits="}, D::InvalidExtensionHeader, "");
        row("syntax: separator as a name", def, {"permessage-deflate; ;"}, D::InvalidExtensionHeader, "");
    }
    void negotiate()
    {
        QFETCH(DeflateOptions, offer);
        QFETCH(QByteArrayList, response);
        QFETCH(ErrorDetail, error);
        QFETCH(QString, agreement);
        QFETCH(QString, problemMentions);
        DeflateAgreement a;
        QString problem;
        QCOMPARE(negotiateDeflate(offer, response, &a, &problem), error);
        if (error == ErrorDetail::None) {
            QCOMPARE(agreementText(a), agreement);
            QVERIFY(problem.isEmpty());
        } else {
            QVERIFY(!a.active);
            QVERIFY2(!problem.isEmpty(), "the error must say what is wrong");
            QVERIFY2(problem.contains(problemMentions), qPrintable(problem));
            QVERIFY(errorInfo(error).closeCodeToSend == 0); // the handshake fails: no close frame
        }
    }
};

QTEST_APPLESS_MAIN(tst_PerMessageDeflate)
#include "tst_permessagedeflate.moc"
