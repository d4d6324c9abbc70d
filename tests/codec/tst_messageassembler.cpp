#include "codec/messageassembler.h" // first: the header under test is self-contained

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

#include <QTest>

#include "codec/inbounddecoder.h"
#include "framebuilder.h"
#include "recordingsink.h"

// MessageAssembler is driven the way the connection drives it: through an InboundDecoder over
// raw bytes, so every test also runs the FrameReader and the decoder's whole-frame fast path.

using namespace Qt::Literals::StringLiterals;
using namespace Wsw;
using namespace Wsw::Codec;
using Wsw::Test::FrameBuilder;
using Wsw::Test::RecordingSink;
using Wsw::Test::feedings;

Q_DECLARE_METATYPE(Wsw::Codec::Role)

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced));
}

const QByteArray Kosme = hex("cebae1bdb9cf83cebcceb5"); // κόσμε, Autobahn 6.x

QByteArray pattern(qsizetype n)
{
    QByteArray out(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        out[i] = char('a' + i % 26);
    return out;
}

/** A frame with a declared length but no payload bytes (they have not arrived yet). */
QByteArray headerOnly(quint8 opcode, quint64 declared, bool fin)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.fin = fin;
    b.declaredLength = declared;
    return b.build({});
}

QByteArray maskedFrame(quint8 opcode, QByteArrayView payload, bool fin = true, quint32 key = 0x5a1b2c3du)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.fin = fin;
    b.maskKey = key;
    return b.build(payload);
}

QByteArray text(const QByteArray &payload, bool fin = true)
{
    return FrameBuilder::text(payload, fin);
}
QByteArray binary(const QByteArray &payload, bool fin = true)
{
    return FrameBuilder::binary(payload, fin);
}
QByteArray cont(const QByteArray &payload, bool fin = true)
{
    return FrameBuilder::continuation(payload, fin);
}

/** Ways of feeding one stream: at once, at every split point, one byte at a time. */
QString feedingName(int index, qsizetype streamSize)
{
    if (index == 0)
        return u"at once"_s;
    if (index <= streamSize + 1)
        return u"split at %1"_s.arg(index - 1);
    return u"byte by byte"_s;
}

/** Independent of the codec: does this text survive a round trip through Qt's UTF-8 codec? */
bool isCleanUtf8(const QByteArray &bytes)
{
    // a leading "a" so that QString::fromUtf8 does not drop a leading U+FEFF
    const QByteArray guarded = 'a' + bytes;
    return QString::fromUtf8(guarded).toUtf8() == guarded;
}

/**
 * Partial mode's promises: the pieces of one message end with exactly one isComplete piece,
 * and text pieces are cut at code point boundaries (each is valid UTF-8 on its own).
 */
QString checkPieces(const RecordingSink &sink)
{
    for (qsizetype i = 0; i < sink.pieces.size(); ++i) {
        const RecordingSink::Piece &p = sink.pieces.at(i);
        if (p.type == SocketMessageType::Utf8 && !isCleanUtf8(p.data))
            return u"text piece %1 is cut inside a code point: %2"_s.arg(i).arg(QString::fromLatin1(p.data.toHex()));
        if (i > 0 && !sink.pieces.at(i - 1).isComplete && sink.pieces.at(i - 1).type != p.type)
            return u"piece %1 changes the message type"_s.arg(i);
    }
    return {};
}

class HeaderRecorder final : public InboundDecoder::FrameObserver
{
public:
    QByteArrayList headers;
    QByteArrayList completed;
    void onFrameHeader(const FrameHeader &h) override
    {
        headers.append(QByteArray::number(int(h.opcode)) + (h.fin ? "F" : "-") + QByteArray::number(h.payloadLength));
    }
    void onFrameComplete(const FrameHeader &h, qint64 uncompressedLength) override
    {
        completed.append(QByteArray::number(int(h.opcode)) + (h.fin ? "F" : "-") + QByteArray::number(h.payloadLength)
                         + (uncompressedLength >= 0 ? "/" + QByteArray::number(uncompressedLength) : QByteArray()));
    }
};

/** Runs body; an allocation failure (which would abort a real client) is reported as text. */
QString failureOf(const std::function<bool()> &body)
{
    try {
        return body() ? QString() : u"unexpected result"_s;
    } catch (const std::bad_alloc &) {
        return u"std::bad_alloc thrown (a real client would terminate)"_s;
    }
}

} // namespace

class tst_MessageAssembler final : public QObject
{
    Q_OBJECT

private slots:
    // Happy flows
    void validSequence_data();
    void validSequence();
    void partialModePieces_data();
    void partialModePieces();
    void emptyMessages();
    // Rainy day flows
    void protocolViolation_data();
    void protocolViolation();
    void maxMessageSize_data();
    void maxMessageSize();
    void errorSticksUntilReset();
    // The Sink and the observer
    void sinkReturningFalseStops();
    void sinkStopsAfterEveryCallback_data();
    void sinkStopsAfterEveryCallback();
    void frameObserverSeesEveryHeaderOnce();
    // Robustness
    void hugeDeclaredFragmentWithinTheLimit();
    void payloadReadInPlace();
    void inPlaceOnlyWhereAllowed();
    void inPlaceTextIsValidated();
};

// ---------------------------------------------------------------------------------------------
// Happy flows

void tst_MessageAssembler::validSequence_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArrayList>("expected"); // RecordingSink::joined

    QTest::newRow("single text (Autobahn 1.1.2)") << text("Hello") << Role::Client << QByteArrayList{"text:Hello"};
    QTest::newRow("single binary (Autobahn 1.2.2)") << binary(hex("00ff10")) << Role::Client
                                                    << QByteArrayList{"binary:00ff10"};
    QTest::newRow("two messages back to back") << QByteArray(text("one") + binary("two")) << Role::Client
                                               << QByteArrayList{"text:one", "binary:" + QByteArray("two").toHex()};
    QTest::newRow("text in 2 fragments (Autobahn 5.3)") << QByteArray(text("frag", false) + cont("ment"))
                                                        << Role::Client << QByteArrayList{"text:fragment"};
    QTest::newRow("text in 3 fragments, empty ones too (§5.4)")
            << QByteArray(text("", false) + cont("ab", false) + cont("", false) + cont("c")) << Role::Client
            << QByteArrayList{"text:abc"};
    QTest::newRow("binary in 3 fragments") << QByteArray(binary("a", false) + cont("b", false) + cont("c"))
                                           << Role::Client << QByteArrayList{"binary:616263"};
    QTest::newRow("ping between fragments (Autobahn 5.6)")
            << QByteArray(text("fragment1", false) + FrameBuilder::ping("ping") + cont("fragment2")) << Role::Client
            << QByteArrayList{"ping:ping", "text:fragment1fragment2"};
    QTest::newRow("pong between fragments (Autobahn 5.8)")
            << QByteArray(text("a", false) + FrameBuilder::pong("") + cont("b")) << Role::Client
            << QByteArrayList{"pong:", "text:ab"};
    QTest::newRow("pings between every fragment (Autobahn 5.19)")
            << QByteArray(text("1", false) + FrameBuilder::ping("x") + cont("2", false) + FrameBuilder::ping("y")
                          + cont("3", false) + FrameBuilder::pong("z") + cont("4"))
            << Role::Client << QByteArrayList{"ping:x", "ping:y", "pong:z", "text:1234"};
    QTest::newRow("close after a message") << QByteArray(text("bye") + FrameBuilder::close(1000, "done"))
                                           << Role::Client
                                           << QByteArrayList{"text:bye", "close:" + QByteArray("\x03\xe8" "done").toHex()};
    QTest::newRow("close between fragments") << QByteArray(text("a", false) + FrameBuilder::close(1001))
                                             << Role::Client << QByteArrayList{"close:03e9"};
    QTest::newRow("control frame with 125 bytes") << FrameBuilder::ping(pattern(125)) << Role::Client
                                                  << QByteArrayList{"ping:" + pattern(125)};
    // UTF-8 state carries across frames (RFC 6455 §5.6: the whole message is the text)
    QTest::newRow("κόσμε split inside ό (Autobahn 6.2.4 style)")
            << QByteArray(text(Kosme.first(3), false) + cont(Kosme.sliced(3))) << Role::Client
            << QByteArrayList{"text:" + Kosme};
    QTest::newRow("4-byte code point over 4 frames")
            << QByteArray(text(hex("f0"), false) + cont(hex("9f"), false) + cont(hex("98"), false) + cont(hex("80")))
            << Role::Client << QByteArrayList{"text:" + hex("f09f9880")};
    QTest::newRow("κόσμε one byte per frame (Autobahn 6.2.4)") << [] {
        QByteArray s = text(Kosme.first(1), false);
        for (qsizetype i = 1; i < Kosme.size(); ++i)
            s += cont(Kosme.sliced(i, 1), i == Kosme.size() - 1);
        return s;
    }() << Role::Client << QByteArrayList{"text:" + Kosme};
    QTest::newRow("U+FEFF first is content, kept in every piece")
            << QByteArray(text(hex("efbbbf 61"), false) + cont(hex("efbb"), false) + cont(hex("bf"))) << Role::Client
            << QByteArrayList{"text:" + hex("efbbbf 61 efbbbf")};
    QTest::newRow("text 126 bytes (16-bit length)") << text(pattern(126)) << Role::Client
                                                    << QByteArrayList{"text:" + pattern(126)};
    QTest::newRow("text 65536 bytes (64-bit length)") << text(pattern(65536)) << Role::Client
                                                      << QByteArrayList{"text:" + pattern(65536)};
    // the server side reads masked frames and gets them unmasked
    QTest::newRow("server role: masked text") << maskedFrame(0x1, "Hello") << Role::Server
                                              << QByteArrayList{"text:Hello"};
    QTest::newRow("server role: masked fragments and a ping")
            << QByteArray(maskedFrame(0x1, Kosme.first(4), false, 1u) + maskedFrame(0x9, "p", true, 2u)
                          + maskedFrame(0x0, Kosme.sliced(4), true, 0xfffefdfcu))
            << Role::Server << QByteArrayList{"ping:p", "text:" + Kosme};
}

void tst_MessageAssembler::validSequence()
{
    QFETCH(QByteArray, stream);
    QFETCH(Role, role);
    QFETCH(QByteArrayList, expected);

    const QList<QList<QByteArrayView>> ways = feedings(stream);
    for (bool partial : {false, true}) {
        for (int w = 0; w < ways.size(); ++w) {
            // a large row is fed byte by byte and at a few splits only (the rest takes minutes)
            if (stream.size() > 4096 && w > 0 && w < ways.size() - 1 && (w % 997) != 1 && w > 20)
                continue;
            InboundDecoder decoder(role);
            decoder.assembler().setPartialMode(partial);
            RecordingSink sink;
            const ErrorDetail error = Test::feedPieces(decoder, ways.at(w), sink);
            const QString where = (partial ? u"partial, "_s : u"full, "_s) + feedingName(w, stream.size());
            if (error != ErrorDetail::None)
                QFAIL(qPrintable(where + u": error "_s + QString::number(int(error))));
            if (sink.joined != expected)
                QFAIL(qPrintable(where + u": got "_s + QString::fromUtf8(sink.joined.join(" | ")).left(300)));
            if (!partial && sink.log != expected)
                QFAIL(qPrintable(where + u": full mode handed over a piece"_s));
            const QString pieces = checkPieces(sink);
            if (!pieces.isEmpty())
                QFAIL(qPrintable(where + u": "_s + pieces));
            QVERIFY(!decoder.assembler().isMessageInProgress() || expected.last().startsWith("close"));
            QCOMPARE(decoder.error(), ErrorDetail::None);
        }
    }
}

void tst_MessageAssembler::partialModePieces_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("isText");

    QByteArray multi; // every sequence length, repeatedly
    for (int i = 0; i < 20; ++i)
        multi += "a" + hex("c3a9 e282ac f09f9880");
    QTest::newRow("one text frame of mixed code points") << text(multi) << multi << true;
    QTest::newRow("text fragments cut inside code points")
            << QByteArray(text(multi.first(7), false) + cont(multi.sliced(7, 30), false) + cont(multi.sliced(37)))
            << multi << true;
    QTest::newRow("binary fragments") << QByteArray(binary(pattern(300), false) + cont(pattern(5)))
                                      << QByteArray(pattern(300) + pattern(5)) << false;
}

void tst_MessageAssembler::partialModePieces()
{
    // Partial mode: every chunk as it arrives, text cut at code point boundaries, the last
    // piece marked complete; joined, the pieces are the message.
    QFETCH(QByteArray, stream);
    QFETCH(QByteArray, message);
    QFETCH(bool, isText);

    const QList<QList<QByteArrayView>> ways = feedings(stream);
    for (int w = 0; w < ways.size(); ++w) {
        InboundDecoder decoder;
        decoder.assembler().setPartialMode(true);
        QVERIFY(decoder.assembler().isPartialMode());
        RecordingSink sink;
        QCOMPARE(Test::feedPieces(decoder, ways.at(w), sink), ErrorDetail::None);
        const QString where = feedingName(w, stream.size());
        QVERIFY2(!sink.pieces.isEmpty(), qPrintable(where));
        QByteArray joined;
        for (qsizetype i = 0; i < sink.pieces.size(); ++i) {
            const RecordingSink::Piece &p = sink.pieces.at(i);
            QCOMPARE(p.type, isText ? SocketMessageType::Utf8 : SocketMessageType::Binary);
            // isComplete on the last piece only
            if (p.isComplete != (i == sink.pieces.size() - 1))
                QFAIL(qPrintable(where + u": piece %1 of %2 isComplete=%3"_s.arg(i).arg(sink.pieces.size()).arg(int(p.isComplete))));
            if (isText && !isCleanUtf8(p.data))
                QFAIL(qPrintable(where + u": piece %1 cut inside a code point"_s.arg(i)));
            joined += p.data;
        }
        QCOMPARE(joined, message);
        // byte by byte, the message really came in many pieces (it was not held back)
        if (w == ways.size() - 1)
            QVERIFY(sink.pieces.size() > 10);
    }
}

void tst_MessageAssembler::emptyMessages()
{
    // RFC 6455 §5.6: a data frame may have an empty payload; so may a whole message
    const QByteArray stream = text("") + binary("") + text("", false) + cont("", false) + cont("");
    for (bool partial : {false, true}) {
        for (const QList<QByteArrayView> &way : feedings(stream)) {
            InboundDecoder decoder;
            decoder.assembler().setPartialMode(partial);
            RecordingSink sink;
            QCOMPARE(Test::feedPieces(decoder, way, sink), ErrorDetail::None);
            QCOMPARE(sink.joined, (QByteArrayList{"text:", "binary:", "text:"}));
            int complete = 0;
            for (const RecordingSink::Piece &p : sink.pieces)
                complete += p.isComplete ? 1 : 0;
            QCOMPARE(complete, 3);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rainy day flows

void tst_MessageAssembler::protocolViolation_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Role>("role");
    QTest::addColumn<ErrorDetail>("error");
    QTest::addColumn<QByteArrayList>("before"); // delivered before the error (as full mode does)

    // RFC 6455 §5.4 sequence rules
    QTest::newRow("final continuation, no message started (Autobahn 5.9)") << cont("x") << Role::Client
                                                                          << ErrorDetail::UnexpectedContinuation
                                                                          << QByteArrayList{};
    QTest::newRow("non-final continuation, no message started (Autobahn 5.10)")
            << cont("x", false) << Role::Client << ErrorDetail::UnexpectedContinuation << QByteArrayList{};
    QTest::newRow("continuation after a complete message") << QByteArray(text("a") + cont("b")) << Role::Client
                                                           << ErrorDetail::UnexpectedContinuation
                                                           << QByteArrayList{"text:a"};
    QTest::newRow("continuation after a ping, no message") << QByteArray(FrameBuilder::ping("p") + cont(""))
                                                           << Role::Client << ErrorDetail::UnexpectedContinuation
                                                           << QByteArrayList{"ping:p"};
    QTest::newRow("text inside a fragmented text (Autobahn 5.18)") << QByteArray(text("a", false) + text("b"))
                                                                    << Role::Client << ErrorDetail::ExpectedContinuation
                                                                    << QByteArrayList{};
    QTest::newRow("binary inside a fragmented text") << QByteArray(text("a", false) + binary("b", false))
                                                     << Role::Client << ErrorDetail::ExpectedContinuation
                                                     << QByteArrayList{};
    QTest::newRow("text after a ping inside a fragmented binary")
            << QByteArray(binary("a", false) + FrameBuilder::ping() + text("b")) << Role::Client
            << ErrorDetail::ExpectedContinuation << QByteArrayList{"ping:"};
    // RFC 6455 §8.1: invalid UTF-8 fails the connection, at the first bad byte
    QTest::newRow("invalid UTF-8 in one frame (Autobahn 6.3.1)")
            << text(hex("cebae1bdb9cf83cebcceb5eda080656469746564")) << Role::Client << ErrorDetail::InvalidUtf8
            << QByteArrayList{};
    QTest::newRow("fail fast: bad first fragment, no final frame yet (Autobahn 6.4.1)")
            << QByteArray(text(Kosme, false) + cont(hex("f4908080"), false)) << Role::Client
            << ErrorDetail::InvalidUtf8 << QByteArrayList{};
    QTest::newRow("fail fast: bad byte early in a long first fragment")
            << QByteArray(text(hex("41 ff") + pattern(3000), false)) << Role::Client << ErrorDetail::InvalidUtf8
            << QByteArrayList{};
    QTest::newRow("fail fast: the frame's payload is not complete yet")
            << QByteArray(headerOnly(0x1, 1000, true) + hex("41 42 c0")) << Role::Client << ErrorDetail::InvalidUtf8
            << QByteArrayList{};
    QTest::newRow("fail fast: cut sequence continued badly in the next fragment (Autobahn 6.4.2)")
            << QByteArray(text(Kosme + hex("f4"), false) + cont(hex("90"), false)) << Role::Client
            << ErrorDetail::InvalidUtf8 << QByteArrayList{};
    QTest::newRow("message ends inside a code point") << text(hex("41 e282")) << Role::Client
                                                      << ErrorDetail::InvalidUtf8 << QByteArrayList{};
    QTest::newRow("fragmented message ends inside a code point")
            << QByteArray(text("ok", false) + cont(hex("c3"))) << Role::Client << ErrorDetail::InvalidUtf8
            << QByteArrayList{};
    QTest::newRow("invalid UTF-8 after a good message") << QByteArray(text(Kosme) + text(hex("80")))
                                                        << Role::Client << ErrorDetail::InvalidUtf8
                                                        << QByteArrayList{"text:" + Kosme};
    QTest::newRow("binary may hold anything, the next text may not")
            << QByteArray(binary(hex("ff fe 80")) + text(hex("ed a0 80"))) << Role::Client << ErrorDetail::InvalidUtf8
            << QByteArrayList{"binary:fffe80"};
    // per-frame rules reach the caller through the decoder
    QTest::newRow("masked frame from the server (§5.1)") << QByteArray(text("a") + maskedFrame(0x1, "b"))
                                                         << Role::Client << ErrorDetail::MaskedServerFrame
                                                         << QByteArrayList{"text:a"};
    QTest::newRow("server role: unmasked text from the client (§5.1)") << text("a") << Role::Server
                                                                       << ErrorDetail::MaskedServerFrame
                                                                       << QByteArrayList{};
    QTest::newRow("server role: unmasked binary from the client (§5.1)") << binary("abc") << Role::Server
                                                                         << ErrorDetail::MaskedServerFrame
                                                                         << QByteArrayList{};
    QTest::newRow("server role: unmasked continuation after a masked start (§5.1)")
            << QByteArray(maskedFrame(0x1, "a", false) + cont("b")) << Role::Server << ErrorDetail::MaskedServerFrame
            << QByteArrayList{};
    FrameBuilder rsv1;
    rsv1.rsv1 = true;
    QTest::newRow("RSV1 without an extension (Autobahn 3.1)") << QByteArray(text("a") + rsv1.build("b"))
                                                              << Role::Client << ErrorDetail::ReservedBitsSet
                                                              << QByteArrayList{"text:a"};
    FrameBuilder op6;
    op6.opcode = 0x6;
    QTest::newRow("opcode 6 inside a fragmented message") << QByteArray(text("a", false) + op6.build(""))
                                                          << Role::Client << ErrorDetail::ReservedOpcode
                                                          << QByteArrayList{};
    QTest::newRow("ping with 126 bytes (Autobahn 2.5)") << FrameBuilder::ping(pattern(126)) << Role::Client
                                                        << ErrorDetail::ControlFrameTooLong << QByteArrayList{};
    FrameBuilder fragPing;
    fragPing.opcode = 0x9;
    fragPing.fin = false;
    QTest::newRow("fragmented ping (Autobahn 5.1)") << fragPing.build("a") << Role::Client
                                                    << ErrorDetail::FragmentedControlFrame << QByteArrayList{};
    FrameBuilder nonMinimal;
    nonMinimal.lengthBits = 16;
    QTest::newRow("5 bytes in a 16-bit length") << nonMinimal.build("short") << Role::Client
                                                << ErrorDetail::NonMinimalLength << QByteArrayList{};
    QTest::newRow("64-bit length with the top bit") << headerOnly(0x2, 0x8000000000000000ull, true)
                                                    << Role::Client << ErrorDetail::LengthTopBitSet
                                                    << QByteArrayList{};
}

void tst_MessageAssembler::protocolViolation()
{
    QFETCH(QByteArray, stream);
    QFETCH(Role, role);
    QFETCH(ErrorDetail, error);
    QFETCH(QByteArrayList, before);

    const QList<QList<QByteArrayView>> ways = feedings(stream);
    for (bool partial : {false, true}) {
        for (int w = 0; w < ways.size(); ++w) {
            InboundDecoder decoder(role);
            decoder.assembler().setPartialMode(partial);
            RecordingSink sink;
            const ErrorDetail got = Test::feedPieces(decoder, ways.at(w), sink);
            const QString where = (partial ? u"partial, "_s : u"full, "_s) + feedingName(w, stream.size());
            if (got != error)
                QFAIL(qPrintable(where + u": error %1, expected %2"_s.arg(int(got)).arg(int(error))));
            if (sink.joined != before)
                QFAIL(qPrintable(where + u": delivered "_s + QString::fromUtf8(sink.joined.join(" | "))));
            QCOMPARE(decoder.error(), error);
            // whatever partial mode handed over of the failing message is clean text
            QVERIFY2(isCleanUtf8(sink.unfinished()) || sink.pieces.isEmpty()
                             || sink.pieces.last().type == SocketMessageType::Binary,
                     qPrintable(where));
        }
    }
}

void tst_MessageAssembler::maxMessageSize_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<quint64>("max");
    QTest::addColumn<ErrorDetail>("error");
    QTest::addColumn<QByteArrayList>("before");

    const quint64 Huge = 0x7FFFFFFFFFFFFFFFull; // 2^63-1, the largest legal frame length
    QTest::newRow("one frame, size == max") << text("0123456789") << quint64(10) << ErrorDetail::None
                                            << QByteArrayList{"text:0123456789"};
    QTest::newRow("one frame, size == max + 1") << text("0123456789A") << quint64(10) << ErrorDetail::MessageTooBig
                                                << QByteArrayList{};
    QTest::newRow("one binary frame, max + 1, refused on its header") << headerOnly(0x2, 11, true) << quint64(10)
                                                                      << ErrorDetail::MessageTooBig
                                                                      << QByteArrayList{};
    QTest::newRow("max 0: an empty message fits") << text("") << quint64(0) << ErrorDetail::None
                                                  << QByteArrayList{"text:"};
    QTest::newRow("max 0: one byte does not") << binary("x") << quint64(0) << ErrorDetail::MessageTooBig
                                              << QByteArrayList{};
    QTest::newRow("fragments, total == max") << QByteArray(text("0123", false) + cont("456", false) + cont("789"))
                                             << quint64(10) << ErrorDetail::None
                                             << QByteArrayList{"text:0123456789"};
    QTest::newRow("fragments, total == max + 1") << QByteArray(text("0123", false) + cont("456", false) + cont("789A"))
                                                 << quint64(10) << ErrorDetail::MessageTooBig << QByteArrayList{};
    QTest::newRow("fragments, max + 1 refused on the last header")
            << QByteArray(binary("0123456789", false) + headerOnly(0x0, 1, true)) << quint64(10)
            << ErrorDetail::MessageTooBig << QByteArrayList{};
    QTest::newRow("fragments at max, then an empty final one") << QByteArray(binary("0123456789", false) + cont(""))
                                                               << quint64(10) << ErrorDetail::None
                                                               << QByteArrayList{"binary:" + QByteArray("0123456789").toHex()};
    QTest::newRow("control frames do not count") << QByteArray(text("ab", false) + FrameBuilder::ping(pattern(125))
                                                               + cont(""))
                                                 << quint64(2) << ErrorDetail::None
                                                 << QByteArrayList{"ping:" + pattern(125), "text:ab"};
    QTest::newRow("the limit is per message") << QByteArray(text("0123456789") + binary("0123456789"))
                                              << quint64(10) << ErrorDetail::None
                                              << QByteArrayList{"text:0123456789",
                                                                "binary:" + QByteArray("0123456789").toHex()};
    QTest::newRow("a good message, then one too big") << QByteArray(text("fits") + text("too long"))
                                                      << quint64(4) << ErrorDetail::MessageTooBig
                                                      << QByteArrayList{"text:fits"};
    // overflow-safe: huge declared lengths are refused from the header alone, no allocation
    QTest::newRow("one frame declaring 2^63-1, max 1 MiB") << headerOnly(0x2, Huge, true) << quint64(1 << 20)
                                                           << ErrorDetail::MessageTooBig << QByteArrayList{};
    QTest::newRow("non-final frame declaring 2^63-1, max 1 MiB") << headerOnly(0x1, Huge, false) << quint64(1 << 20)
                                                                 << ErrorDetail::MessageTooBig << QByteArrayList{};
    QTest::newRow("1 byte, then a fragment declaring 2^63-1") << QByteArray(binary("x", false) + headerOnly(0x0, Huge, true))
                                                              << quint64(1 << 20) << ErrorDetail::MessageTooBig
                                                              << QByteArrayList{};
    QTest::newRow("max bytes, then a fragment declaring 2^63-1")
            << QByteArray(binary(pattern(100), false) + headerOnly(0x0, Huge, false)) << quint64(100)
            << ErrorDetail::MessageTooBig << QByteArrayList{};
    QTest::newRow("max 2^63-1: 1 byte, then a fragment declaring 2^63-1")
            << QByteArray(headerOnly(0x2, 1, false) + "x" + headerOnly(0x0, Huge, false)) << quint64(Huge)
            << ErrorDetail::MessageTooBig << QByteArrayList{};
}

void tst_MessageAssembler::maxMessageSize()
{
    QFETCH(QByteArray, stream);
    QFETCH(quint64, max);
    QFETCH(ErrorDetail, error);
    QFETCH(QByteArrayList, before);

    const QList<QList<QByteArrayView>> ways = feedings(stream);
    for (bool partial : {false, true}) {
        for (int w = 0; w < ways.size(); ++w) {
            InboundDecoder decoder;
            decoder.assembler().setMaxMessageSize(max);
            QCOMPARE(decoder.assembler().maxMessageSize(), max);
            decoder.assembler().setPartialMode(partial);
            RecordingSink sink;
            const ErrorDetail got = Test::feedPieces(decoder, ways.at(w), sink);
            const QString where = (partial ? u"partial, "_s : u"full, "_s) + feedingName(w, stream.size());
            if (got != error)
                QFAIL(qPrintable(where + u": error %1, expected %2"_s.arg(int(got)).arg(int(error))));
            if (sink.joined != before)
                QFAIL(qPrintable(where + u": delivered "_s + QString::fromUtf8(sink.joined.join(" | "))));
        }
    }
}

void tst_MessageAssembler::errorSticksUntilReset()
{
    InboundDecoder decoder;
    RecordingSink sink;
    QCOMPARE(decoder.feed(cont("x"), sink), ErrorDetail::UnexpectedContinuation);
    QCOMPARE(decoder.error(), ErrorDetail::UnexpectedContinuation);
    // a good message afterwards is not delivered: the connection is failing (RFC 6455 §7.1.7)
    QCOMPARE(decoder.feed(text("late"), sink), ErrorDetail::UnexpectedContinuation);
    QCOMPARE(decoder.feed({}, sink), ErrorDetail::UnexpectedContinuation);
    QVERIFY(sink.log.isEmpty());

    decoder.reset();
    QCOMPARE(decoder.error(), ErrorDetail::None);
    QVERIFY(!decoder.assembler().isMessageInProgress());
    QCOMPARE(decoder.feed(text("again"), sink), ErrorDetail::None);
    QCOMPARE(sink.log, QByteArrayList{"text:again"});

    // reset() also forgets a message in progress
    QCOMPARE(decoder.feed(text("half", false), sink), ErrorDetail::None);
    QVERIFY(decoder.assembler().isMessageInProgress());
    QCOMPARE(decoder.assembler().currentMessageSize(), quint64(4));
    decoder.reset();
    QVERIFY(!decoder.assembler().isMessageInProgress());
    QCOMPARE(decoder.feed(cont("x"), sink), ErrorDetail::UnexpectedContinuation);
}

// ---------------------------------------------------------------------------------------------
// The Sink and the observer

void tst_MessageAssembler::sinkReturningFalseStops()
{
    const QByteArray a = text("a");
    const QByteArray b = text("b");
    const QByteArray c = binary("c");
    const QByteArray stream = a + b + c;

    InboundDecoder decoder;
    RecordingSink sink;
    sink.stopAfter = 1;
    qsizetype consumed = -1;
    QCOMPARE(decoder.feed(stream, sink, &consumed), ErrorDetail::None);
    QCOMPARE(sink.log, QByteArrayList{"text:a"});
    QCOMPARE(consumed, a.size()); // nothing of the next frame was read

    sink.stopAfter = -1;
    QCOMPARE(decoder.feed(QByteArrayView(stream).sliced(consumed), sink, &consumed), ErrorDetail::None);
    QCOMPARE(consumed, b.size() + c.size());
    QCOMPARE(sink.log, (QByteArrayList{"text:a", "text:b", "binary:63"}));

    // a control frame can stop it too, in the middle of a fragmented message
    const QByteArray fragmented = text("x", false) + FrameBuilder::ping("p") + cont("y");
    InboundDecoder d2;
    RecordingSink s2;
    s2.stopAfter = 1;
    QCOMPARE(d2.feed(fragmented, s2, &consumed), ErrorDetail::None);
    QCOMPARE(s2.log, QByteArrayList{"ping:p"});
    QCOMPARE(consumed, text("x", false).size() + FrameBuilder::ping("p").size());
    s2.stopAfter = -1;
    QCOMPARE(d2.feed(QByteArrayView(fragmented).sliced(consumed), s2, &consumed), ErrorDetail::None);
    QCOMPARE(s2.log, (QByteArrayList{"ping:p", "text:xy"}));

    // partial mode stops after a piece, in the middle of the input
    const QByteArray pieces = binary("abcd", false) + cont("efgh");
    InboundDecoder d3;
    d3.assembler().setPartialMode(true);
    RecordingSink s3;
    s3.stopAfter = 1;
    QCOMPARE(d3.feed(pieces, s3, &consumed), ErrorDetail::None);
    QCOMPARE(s3.log, QByteArrayList{"binary+:61626364"});
    QCOMPARE(consumed, binary("abcd", false).size());
    s3.stopAfter = -1;
    QCOMPARE(d3.feed(QByteArrayView(pieces).sliced(consumed), s3, &consumed), ErrorDetail::None);
    QCOMPARE(s3.joined, QByteArrayList{"binary:" + QByteArray("abcdefgh").toHex()});
}

void tst_MessageAssembler::sinkStopsAfterEveryCallback_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::newRow("messages and controls")
            << QByteArray(text("one") + FrameBuilder::ping("p") + binary("2", false) + FrameBuilder::pong("q")
                          + cont("3") + text(Kosme.first(5), false) + cont(Kosme.sliced(5)) + FrameBuilder::close(1000))
            << QByteArrayList{"text:one", "ping:p", "pong:q", "binary:3233", "text:" + Kosme, "close:03e8"};
}

void tst_MessageAssembler::sinkStopsAfterEveryCallback()
{
    // The sink says stop at every single callback; feeding the rest each time must still give
    // the whole conversation, with no byte lost or read twice.
    QFETCH(QByteArray, stream);
    QFETCH(QByteArrayList, expected);
    for (bool partial : {false, true}) {
        for (qsizetype split = 0; split <= stream.size(); ++split) {
            InboundDecoder decoder;
            decoder.assembler().setPartialMode(partial);
            RecordingSink sink;
            const QList<QByteArrayView> parts{QByteArrayView(stream).first(split), QByteArrayView(stream).sliced(split)};
            for (QByteArrayView part : parts) {
                int guard = 0;
                while (!part.isEmpty() && ++guard < 1000) {
                    sink.stopAfter = sink.callbacks + 1;
                    const int before = sink.callbacks;
                    qsizetype consumed = -1;
                    QCOMPARE(decoder.feed(part, sink, &consumed), ErrorDetail::None);
                    QVERIFY(consumed >= 0 && consumed <= part.size());
                    // it stopped right after one callback, or used up the input without one
                    QVERIFY(sink.callbacks - before <= 1);
                    QVERIFY(sink.callbacks - before == 1 || consumed == part.size());
                    part = part.sliced(consumed);
                }
                QVERIFY(part.isEmpty());
            }
            if (sink.joined != expected)
                QFAIL(qPrintable(u"%1 mode, split %2: "_s.arg(partial ? u"partial"_s : u"full"_s).arg(split)
                                 + QString::fromUtf8(sink.joined.join(" | "))));
        }
    }
}

void tst_MessageAssembler::frameObserverSeesEveryHeaderOnce()
{
    const QByteArray stream = text("hello") + binary("b", false) + FrameBuilder::ping("") + cont("c")
            + binary(pattern(200)) + FrameBuilder::close(1000);
    const QByteArrayList expected{"1F5", "2-1", "9F0", "0F1", "2F200", "8F2"};
    for (const QList<QByteArrayView> &way : feedings(stream)) {
        InboundDecoder decoder;
        HeaderRecorder recorder;
        decoder.setFrameObserver(&recorder);
        RecordingSink sink;
        QCOMPARE(Test::feedPieces(decoder, way, sink), ErrorDetail::None);
        QCOMPARE(recorder.headers, expected);
        QCOMPARE(recorder.completed, expected); // each frame completes once, in order, none compressed
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness

void tst_MessageAssembler::hugeDeclaredFragmentWithinTheLimit()
{
    // A server announces 2^62 bytes and sends 3 of them. With no practical limit set, nothing
    // is wrong yet, and an announcement is only a promise: the assembler reserves at most
    // MaxReserveAheadBytes beyond what has arrived (messageassembler.h). Reserving the announced
    // 4 EiB would throw std::bad_alloc, which ends the client.
    struct Case {
        const char *name;
        bool fin;
        bool partial;
    };
    for (const Case &c : {Case{"non-final fragment, full mode", false, false},
                          Case{"one-frame message, full mode", true, false},
                          Case{"non-final fragment, partial mode", false, true},
                          Case{"one-frame message, partial mode", true, true}}) {
        const QString failure = failureOf([&c] {
            InboundDecoder decoder;
            decoder.assembler().setMaxMessageSize(std::numeric_limits<quint64>::max());
            decoder.assembler().setPartialMode(c.partial);
            RecordingSink sink;
            const QByteArray bytes = headerOnly(0x2, 0x4000000000000000ull, c.fin) + "abc";
            if (decoder.feed(bytes, sink) != ErrorDetail::None)
                return false;
            if (decoder.assembler().currentMessageSize() != 0x4000000000000000ull)
                return false;
            return c.partial ? sink.log == QByteArrayList{"binary+:616263"} : sink.log.isEmpty();
        });
        QVERIFY2(failure.isEmpty(), qPrintable(QString::fromLatin1(c.name) + u": "_s + failure));
    }
}

namespace {
/**
 * Feeds stream to decoder as a connection does: at most `chunk` bytes through feed(), and where
 * the decoder offers it, the payload straight into the message (reserveInPlace/commitInPlace).
 */
ErrorDetail feedWithInPlace(InboundDecoder &decoder, QByteArrayView stream, RecordingSink &sink, qsizetype chunk,
                            int *inPlaceReads)
{
    qsizetype pos = 0;
    while (pos < stream.size()) {
        char *target = nullptr;
        const qsizetype room = decoder.reserveInPlace(1000, chunk, &target);
        if (room > 0) {
            const qsizetype n = std::min(room, stream.size() - pos) / 2 + 1; // a short read, as sockets do
            std::memcpy(target, stream.data() + pos, size_t(n));
            pos += n;
            ++*inPlaceReads;
            const ErrorDetail error = decoder.commitInPlace(n, sink);
            if (error != ErrorDetail::None)
                return error;
            continue;
        }
        const qsizetype n = std::min(chunk, stream.size() - pos);
        const ErrorDetail error = decoder.feed(stream.sliced(pos, n), sink);
        if (error != ErrorDetail::None)
            return error;
        pos += n;
    }
    return ErrorDetail::None;
}
} // namespace

void tst_MessageAssembler::payloadReadInPlace()
{
    // a large fragmented binary message with a ping between its frames, a large text message
    // with multi-byte characters split anywhere, and small messages around them
    QByteArray bigText;
    while (bigText.size() < 300000)
        bigText += Kosme + "abc";
    const QByteArray stream = FrameBuilder::text("first") + FrameBuilder::binary(pattern(200000), false)
            + FrameBuilder::ping("p") + FrameBuilder::continuation(pattern(150000), true) + FrameBuilder::text(bigText)
            + FrameBuilder::binary(pattern(5000)) + FrameBuilder::close(1000);
    RecordingSink plain;
    InboundDecoder reference;
    QCOMPARE(reference.feed(stream, plain), ErrorDetail::None);
    for (qsizetype chunk : {4096, 65536, 200003}) {
        RecordingSink sink;
        InboundDecoder decoder;
        int inPlaceReads = 0;
        QCOMPARE(feedWithInPlace(decoder, stream, sink, chunk, &inPlaceReads), ErrorDetail::None);
        QVERIFY(inPlaceReads > 0);
        QCOMPARE(sink.log, plain.log); // the same messages, in the same order, byte for byte
    }
}

void tst_MessageAssembler::inPlaceOnlyWhereAllowed()
{
    char *target = nullptr;
    {
        // a control frame's payload is never taken in place; a data frame with less to come neither
        InboundDecoder decoder;
        RecordingSink sink;
        QCOMPARE(decoder.feed(headerOnly(0x9, 100, true), sink), ErrorDetail::None);
        QCOMPARE(decoder.reserveInPlace(1, 1000, &target), 0);
        InboundDecoder small;
        QCOMPARE(small.feed(headerOnly(0x2, 999, true), sink), ErrorDetail::None);
        QCOMPARE(small.reserveInPlace(1000, 1000, &target), 0);
        QVERIFY(small.reserveInPlace(999, 1000, &target) > 0);
        QCOMPARE(small.commitInPlace(0, sink), ErrorDetail::None); // nothing written: nothing changes
        QCOMPARE(small.feed(pattern(999), sink), ErrorDetail::None);
        QCOMPARE(sink.log, QList<QByteArray>{"binary:" + pattern(999).toHex()});
    }
    {
        // partial mode hands pieces over as they come: no in-place message to write into
        InboundDecoder decoder;
        decoder.assembler().setPartialMode(true);
        RecordingSink sink;
        QCOMPARE(decoder.feed(headerOnly(0x2, 100000, true), sink), ErrorDetail::None);
        QCOMPARE(decoder.reserveInPlace(1, 1000, &target), 0);
    }
    {
        // a server reads masked frames: they are unmasked on the way, never in place
        InboundDecoder decoder(Role::Server);
        RecordingSink sink;
        QCOMPARE(decoder.feed(maskedFrame(0x2, pattern(100000)).first(20), sink), ErrorDetail::None);
        QCOMPARE(decoder.reserveInPlace(1, 1000, &target), 0);
    }
}

void tst_MessageAssembler::inPlaceTextIsValidated()
{
    // RFC 6455 §8.1: invalid UTF-8 fails the message at the first bad byte, in place too
    QByteArray bad(300000, 'a');
    bad[150000] = char(0xC0); // an overlong lead byte
    const QByteArray stream = FrameBuilder::text(bad);
    RecordingSink sink;
    InboundDecoder decoder;
    int inPlaceReads = 0;
    QCOMPARE(feedWithInPlace(decoder, stream, sink, 65536, &inPlaceReads), ErrorDetail::InvalidUtf8);
    QVERIFY(inPlaceReads > 0);
    QVERIFY(sink.log.isEmpty());
    QCOMPARE(decoder.error(), ErrorDetail::InvalidUtf8); // and it sticks
    QCOMPARE(decoder.feed("x", sink), ErrorDetail::InvalidUtf8);
}

QTEST_APPLESS_MAIN(tst_MessageAssembler)
#include "tst_messageassembler.moc"
