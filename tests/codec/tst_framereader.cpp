#include "codec/framereader.h" // first: the header under test is self-contained

#include <QTest>

#include "framebuilder.h"

using namespace Qt::Literals::StringLiterals;
using namespace Wsw;
using namespace Wsw::Codec;
using Wsw::Test::FrameBuilder;

Q_DECLARE_METATYPE(Wsw::Codec::Role)

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced));
}

QByteArray pattern(qsizetype n)
{
    QByteArray out(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        out[i] = char((i * 7 + i / 251) & 0xFF);
    return out;
}

QByteArray masked(quint8 opcode, QByteArrayView payload, quint32 key, bool fin = true)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.fin = fin;
    b.maskKey = key;
    return b.build(payload);
}

/** "op:fin:payload-hex", the expected shape of one frame. */
QByteArray describe(int opcode, bool fin, QByteArrayView payload)
{
    return QByteArray::number(opcode, 16) + (fin ? ":F:" : ":-:") + payload.toByteArray().toHex();
}

/**
 * Runs a reader over the input pieces and rebuilds the frames from its events, checking the
 * event grammar on the way: FrameStart (Payload with contiguous offsets)* FrameEnd, NeedMore
 * only once a piece is used up, payloads unmasked here with the header's key.
 */
struct ReadResult {
    QByteArrayList frames;   // describe() of every complete frame
    QByteArray events;       // S, P, E per event; '|' for NeedMore
    ErrorDetail error = ErrorDetail::None;
    QString grammarFault;    // empty when the events made sense
};

ReadResult readPieces(FrameReader &reader, const QList<QByteArrayView> &pieces)
{
    ReadResult out;
    bool inFrame = false;
    QByteArray payload;
    auto fault = [&](const QString &why) {
        if (out.grammarFault.isEmpty())
            out.grammarFault = why;
    };
    for (QByteArrayView piece : pieces) {
        QByteArrayView input = piece;
        for (int guard = 0;; ++guard) {
            if (guard > 1'000'000) {
                fault(u"no progress"_s);
                return out;
            }
            const qsizetype before = input.size();
            const FrameReader::Event e = reader.next(input);
            if (input.size() > before)
                fault(u"input grew"_s);
            if (e.kind == FrameReader::EventKind::NeedMore) {
                out.events += '|';
                if (!input.isEmpty())
                    fault(u"NeedMore with input left"_s);
                break;
            }
            if (e.kind == FrameReader::EventKind::Error) {
                out.error = reader.error();
                return out;
            }
            if (e.kind == FrameReader::EventKind::FrameStart) {
                out.events += 'S';
                if (inFrame)
                    fault(u"FrameStart inside a frame"_s);
                inFrame = true;
                payload.clear();
                if (reader.payloadRemaining() != reader.header().payloadLength)
                    fault(u"payloadRemaining at FrameStart"_s);
            } else if (e.kind == FrameReader::EventKind::Payload) {
                out.events += 'P';
                if (!inFrame)
                    fault(u"Payload outside a frame"_s);
                if (e.payload.isEmpty())
                    fault(u"empty Payload event"_s);
                if (e.payloadOffset != quint64(payload.size()))
                    fault(u"payloadOffset %1, expected %2"_s.arg(e.payloadOffset).arg(payload.size()));
                const FrameHeader &h = reader.header();
                for (qsizetype i = 0; i < e.payload.size(); ++i) {
                    const quint64 at = e.payloadOffset + quint64(i);
                    const char k = h.masked ? char((h.maskKey >> (8 * (at % 4))) & 0xFF) : char(0);
                    payload.append(char(e.payload[i] ^ k));
                }
                if (reader.payloadRemaining() != h.payloadLength - quint64(payload.size()))
                    fault(u"payloadRemaining after a chunk"_s);
            } else if (e.kind == FrameReader::EventKind::FrameEnd) {
                out.events += 'E';
                if (!inFrame)
                    fault(u"FrameEnd outside a frame"_s);
                const FrameHeader &h = reader.header();
                if (quint64(payload.size()) != h.payloadLength)
                    fault(u"FrameEnd after %1 of %2 bytes"_s.arg(payload.size()).arg(h.payloadLength));
                out.frames.append(describe(int(h.opcode), h.fin, payload));
                inFrame = false;
            }
        }
    }
    return out;
}

/** Where to split a stream: every point for small ones, the interesting ones for big ones. */
QList<qsizetype> splitPoints(qsizetype size)
{
    QList<qsizetype> points;
    for (qsizetype i = 0; i <= size; ++i) {
        if (size <= 2000 || i < 40 || i > size - 40 || i % 1009 == 0)
            points.append(i);
    }
    return points;
}

} // namespace

class tst_FrameReader final : public QObject
{
    Q_OBJECT

private slots:
    void eventOrder();
    // Happy flows
    void validStream_data();
    void validStream();
    void validStreamThreeWaySplits_data();
    void validStreamThreeWaySplits();
    void emptyInputIsNeedMore();
    void partialHeaderIsKept();
    void payloadIsHandedOverAsItCame();
    void reservedBitsWhenAllowed();
    // Rainy day flows
    void invalidStream_data();
    void invalidStream();
    void errorSticksUntilReset();
};

void tst_FrameReader::eventOrder()
{
    // a text frame "hi" followed by an empty ping: S P E S E, then NeedMore
    FrameReader reader(Role::Client);
    QCOMPARE(reader.role(), Role::Client);
    QVERIFY(reader.isAtFrameStart());
    const QByteArray stream = hex("81 02 68 69 89 00");
    QByteArrayView input(stream);

    FrameReader::Event e = reader.next(input);
    QCOMPARE(e.kind, FrameReader::EventKind::FrameStart);
    QCOMPARE(reader.header().opcode, Opcode::Text);
    QCOMPARE(reader.header().payloadLength, quint64(2));
    QCOMPARE(reader.payloadRemaining(), quint64(2));
    QVERIFY(reader.isInPayload());
    QVERIFY(!reader.isAtFrameStart());
    QCOMPARE(input.size(), 4);

    e = reader.next(input);
    QCOMPARE(e.kind, FrameReader::EventKind::Payload);
    QCOMPARE(e.payload, QByteArrayView("hi"));
    QCOMPARE(e.payloadOffset, quint64(0));
    QCOMPARE(reader.payloadRemaining(), quint64(0));
    QCOMPARE(input.size(), 2);

    e = reader.next(input);
    QCOMPARE(e.kind, FrameReader::EventKind::FrameEnd);
    QVERIFY(reader.isAtFrameStart());

    e = reader.next(input);
    QCOMPARE(e.kind, FrameReader::EventKind::FrameStart);
    QCOMPARE(reader.header().opcode, Opcode::Ping);
    QVERIFY(!reader.isInPayload());
    QVERIFY(input.isEmpty());

    e = reader.next(input); // an empty frame has no Payload event
    QCOMPARE(e.kind, FrameReader::EventKind::FrameEnd);
    QVERIFY(reader.isAtFrameStart());

    e = reader.next(input);
    QCOMPARE(e.kind, FrameReader::EventKind::NeedMore);
    QCOMPARE(reader.error(), ErrorDetail::None);
}

// ---------------------------------------------------------------------------------------------
// Happy flows

void tst_FrameReader::validStream_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArrayList>("frames");

    QTest::newRow("§5.7 unmasked text \"Hello\"") << hex("81 05 48 65 6c 6c 6f") << Role::Client
                                                 << QByteArrayList{describe(1, true, "Hello")};
    QTest::newRow("§5.7 masked text \"Hello\"") << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") << Role::Server
                                               << QByteArrayList{describe(1, true, "Hello")};
    QTest::newRow("§5.7 fragmented \"Hel\" \"lo\"") << hex("01 03 48 65 6c 80 02 6c 6f") << Role::Client
                                                   << QByteArrayList{describe(1, false, "Hel"), describe(0, true, "lo")};
    QTest::newRow("empty text") << FrameBuilder::text("") << Role::Client << QByteArrayList{describe(1, true, "")};
    QTest::newRow("three empty frames")
            << QByteArray(FrameBuilder::text("", false) + FrameBuilder::continuation("", false)
                          + FrameBuilder::continuation(""))
            << Role::Client
            << QByteArrayList{describe(1, false, ""), describe(0, false, ""), describe(0, true, "")};
    QTest::newRow("ping between fragments (§5.4)")
            << QByteArray(FrameBuilder::text("ab", false) + FrameBuilder::ping("p")
                          + FrameBuilder::continuation("cd"))
            << Role::Client
            << QByteArrayList{describe(1, false, "ab"), describe(9, true, "p"), describe(0, true, "cd")};
    QTest::newRow("close with code and reason") << FrameBuilder::close(1000, "bye") << Role::Client
                                                << QByteArrayList{describe(8, true, QByteArray(hex("03e8") + "bye"))};
    QTest::newRow("pong 125 bytes") << FrameBuilder::pong(pattern(125)) << Role::Client
                                    << QByteArrayList{describe(10, true, pattern(125))};
    for (qsizetype len : {125, 126, 127, 1000}) {
        QTest::addRow("binary %lld bytes then a ping", qlonglong(len))
                << QByteArray(FrameBuilder::binary(pattern(len)) + FrameBuilder::ping("x")) << Role::Client
                << QByteArrayList{describe(2, true, pattern(len)), describe(9, true, "x")};
        QTest::addRow("masked binary %lld bytes then a masked ping", qlonglong(len))
                << QByteArray(masked(0x2, pattern(len), 0x11223344u) + masked(0x9, "x", 0xdeadbeefu))
                << Role::Server << QByteArrayList{describe(2, true, pattern(len)), describe(9, true, "x")};
    }
    QTest::newRow("binary 65535 bytes (largest 16-bit length)") << FrameBuilder::binary(pattern(65535))
                                                                << Role::Client
                                                                << QByteArrayList{describe(2, true, pattern(65535))};
    QTest::newRow("binary 65536 bytes (smallest 64-bit length)") << FrameBuilder::binary(pattern(65536))
                                                                 << Role::Client
                                                                 << QByteArrayList{describe(2, true, pattern(65536))};
    QTest::newRow("masked 65536 bytes with a key whose offset matters")
            << masked(0x2, pattern(65536), 0x01020304u) << Role::Server
            << QByteArrayList{describe(2, true, pattern(65536))};
    QTest::newRow("many small frames") << QByteArray(FrameBuilder::text("a").repeated(50)) << Role::Client
                                       << QByteArrayList(50, describe(1, true, "a"));
}

void tst_FrameReader::validStream()
{
    QFETCH(QByteArray, stream);
    QFETCH(Role, role);
    QFETCH(QByteArrayList, frames);

    {   // all at once
        FrameReader reader(role);
        const ReadResult r = readPieces(reader, {stream});
        QVERIFY2(r.grammarFault.isEmpty(), qPrintable(r.grammarFault));
        QCOMPARE(r.error, ErrorDetail::None);
        QCOMPARE(r.frames, frames);
        QVERIFY(reader.isAtFrameStart());
    }
    // every split point (and for large streams the ones near the edges)
    for (qsizetype split : splitPoints(stream.size())) {
        FrameReader reader(role);
        const ReadResult r = readPieces(reader, {QByteArrayView(stream).first(split), QByteArrayView(stream).sliced(split)});
        if (!r.grammarFault.isEmpty() || r.error != ErrorDetail::None || r.frames != frames)
            QFAIL(qPrintable(u"split at %1: %2 error %3, %4 frames"_s.arg(split)
                                     .arg(r.grammarFault)
                                     .arg(int(r.error))
                                     .arg(r.frames.size())));
        QVERIFY(reader.isAtFrameStart());
    }
    {   // one byte at a time
        FrameReader reader(role);
        QList<QByteArrayView> pieces;
        for (qsizetype i = 0; i < stream.size(); ++i)
            pieces.append(QByteArrayView(stream).sliced(i, 1));
        const ReadResult r = readPieces(reader, pieces);
        QVERIFY2(r.grammarFault.isEmpty(), qPrintable(r.grammarFault));
        QCOMPARE(r.error, ErrorDetail::None);
        QCOMPARE(r.frames, frames);
        QVERIFY(reader.isAtFrameStart());
    }
}

void tst_FrameReader::validStreamThreeWaySplits_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArrayList>("frames");

    QTest::newRow("16-bit length, masked, then a ping")
            << QByteArray(masked(0x1, pattern(130), 0xa1b2c3d4u) + masked(0x9, "pp", 0x55u)) << Role::Server
            << QByteArrayList{describe(1, true, pattern(130)), describe(9, true, "pp")};
    QTest::newRow("fragments and an empty close")
            << QByteArray(FrameBuilder::binary("abc", false) + FrameBuilder::continuation("de")
                          + FrameBuilder::close(0))
            << Role::Client
            << QByteArrayList{describe(2, false, "abc"), describe(0, true, "de"), describe(8, true, "")};
}

void tst_FrameReader::validStreamThreeWaySplits()
{
    QFETCH(QByteArray, stream);
    QFETCH(Role, role);
    QFETCH(QByteArrayList, frames);
    const QByteArrayView all(stream);
    for (qsizetype a = 0; a <= all.size(); ++a) {
        for (qsizetype b = a; b <= all.size(); ++b) {
            FrameReader reader(role);
            const ReadResult r = readPieces(reader, {all.first(a), all.sliced(a, b - a), all.sliced(b)});
            if (!r.grammarFault.isEmpty() || r.error != ErrorDetail::None || r.frames != frames)
                QFAIL(qPrintable(u"split at %1/%2: %3"_s.arg(a).arg(b).arg(r.grammarFault)));
        }
    }
}

void tst_FrameReader::emptyInputIsNeedMore()
{
    FrameReader reader;
    QByteArrayView input;
    QCOMPARE(reader.next(input).kind, FrameReader::EventKind::NeedMore);
    QVERIFY(reader.isAtFrameStart());
    QCOMPARE(reader.error(), ErrorDetail::None);
}

void tst_FrameReader::partialHeaderIsKept()
{
    // a 64-bit length header arriving in pieces: nothing is interpreted before it is complete
    const QByteArray frame = FrameBuilder::binary(pattern(70000));
    FrameReader reader;
    QByteArrayView input = QByteArrayView(frame).first(1);
    QCOMPARE(reader.next(input).kind, FrameReader::EventKind::NeedMore);
    QVERIFY(input.isEmpty());
    QVERIFY(!reader.isAtFrameStart()); // a partial header is kept
    QVERIFY(!reader.isInPayload());

    input = QByteArrayView(frame).sliced(1, 8);
    QCOMPARE(reader.next(input).kind, FrameReader::EventKind::NeedMore);
    QVERIFY(input.isEmpty());

    input = QByteArrayView(frame).sliced(9, 5); // the last header byte and 4 payload bytes
    QCOMPARE(reader.next(input).kind, FrameReader::EventKind::FrameStart);
    QCOMPARE(reader.header().payloadLength, quint64(70000));
    QCOMPARE(reader.header().headerSize, 10);
    QCOMPARE(input.size(), 4); // exactly the header was taken
    const FrameReader::Event e = reader.next(input);
    QCOMPARE(e.kind, FrameReader::EventKind::Payload);
    QCOMPARE(e.payload, QByteArrayView(pattern(4)));
    QCOMPARE(reader.payloadRemaining(), quint64(70000 - 4));
}

void tst_FrameReader::payloadIsHandedOverAsItCame()
{
    // the reader does not unmask: Payload events carry the bytes as on the wire
    const QByteArray frame = masked(0x1, "Hello", 0x3d21fa37u); // RFC 6455 §5.7
    FrameReader reader(Role::Server);
    QByteArrayView input(frame);
    QCOMPARE(reader.next(input).kind, FrameReader::EventKind::FrameStart);
    QVERIFY(reader.header().masked);
    QCOMPARE(reader.header().maskKey, 0x3d21fa37u);
    const FrameReader::Event e = reader.next(input);
    QCOMPARE(e.kind, FrameReader::EventKind::Payload);
    QCOMPARE(e.payload, QByteArrayView(hex("7f 9f 4d 51 58")));
}

void tst_FrameReader::reservedBitsWhenAllowed()
{
    FrameBuilder b;
    b.rsv1 = true;
    const QByteArray frame = b.build("z");
    {
        FrameReader reader;
        const ReadResult r = readPieces(reader, {frame});
        QCOMPARE(r.error, ErrorDetail::ReservedBitsSet);
    }
    FrameReader reader;
    ReservedBitsAllowed allowed;
    allowed.rsv1 = true;
    reader.setReservedBitsAllowed(allowed);
    QVERIFY(reader.reservedBitsAllowed().rsv1);
    QByteArrayView input(frame);
    QCOMPARE(reader.next(input).kind, FrameReader::EventKind::FrameStart);
    QVERIFY(reader.header().rsv1);
}

// ---------------------------------------------------------------------------------------------
// Rainy day flows

void tst_FrameReader::invalidStream_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArrayList>("framesBefore"); // read completely before the error
    QTest::addColumn<ErrorDetail>("error");

    FrameBuilder rsv2;
    rsv2.rsv2 = true;
    FrameBuilder op5;
    op5.opcode = 0x5;
    FrameBuilder nonMinimal;
    nonMinimal.opcode = 0x2;
    nonMinimal.lengthBits = 64;
    FrameBuilder topBit;
    topBit.opcode = 0x2;
    topBit.declaredLength = 0x8000000000000001ull;
    FrameBuilder longPing;
    longPing.opcode = 0x9;
    FrameBuilder fragmentedClose;
    fragmentedClose.opcode = 0x8;
    fragmentedClose.fin = false;

    const QByteArray good = FrameBuilder::text("ok");
    QTest::newRow("masked server frame after a good one (§5.1)") << QByteArray(good + masked(0x1, "x", 7u))
                                                                 << Role::Client
                                                                 << QByteArrayList{describe(1, true, "ok")}
                                                                 << ErrorDetail::MaskedServerFrame;
    QTest::newRow("unmasked client frame (§5.1)") << FrameBuilder::text("x") << Role::Server << QByteArrayList{}
                                                  << ErrorDetail::MaskedServerFrame;
    QTest::newRow("RSV2 after a good frame (Autobahn 3.2)") << QByteArray(good + rsv2.build("x")) << Role::Client
                                                            << QByteArrayList{describe(1, true, "ok")}
                                                            << ErrorDetail::ReservedBitsSet;
    QTest::newRow("opcode 5 (Autobahn 4.1.3)") << QByteArray(good + op5.build("")) << Role::Client
                                               << QByteArrayList{describe(1, true, "ok")}
                                               << ErrorDetail::ReservedOpcode;
    QTest::newRow("non-minimal 64-bit length") << QByteArray(good + nonMinimal.build("abc")) << Role::Client
                                               << QByteArrayList{describe(1, true, "ok")}
                                               << ErrorDetail::NonMinimalLength;
    QTest::newRow("64-bit length with its top bit set") << QByteArray(good + topBit.build("")) << Role::Client
                                                        << QByteArrayList{describe(1, true, "ok")}
                                                        << ErrorDetail::LengthTopBitSet;
    QTest::newRow("ping with 126 bytes (Autobahn 2.5)") << longPing.build(pattern(126)) << Role::Client
                                                        << QByteArrayList{} << ErrorDetail::ControlFrameTooLong;
    QTest::newRow("fragmented close") << fragmentedClose.build("") << Role::Client << QByteArrayList{}
                                      << ErrorDetail::FragmentedControlFrame;
}

void tst_FrameReader::invalidStream()
{
    QFETCH(QByteArray, stream);
    QFETCH(Role, role);
    QFETCH(QByteArrayList, framesBefore);
    QFETCH(ErrorDetail, error);

    auto check = [&](const QList<QByteArrayView> &pieces, const QString &how) {
        FrameReader reader(role);
        const ReadResult r = readPieces(reader, pieces);
        if (!r.grammarFault.isEmpty() || r.error != error || r.frames != framesBefore)
            QFAIL(qPrintable(how + u": "_s + r.grammarFault + u" error "_s + QString::number(int(r.error))));
        QCOMPARE(reader.error(), error);
    };
    check({stream}, u"at once"_s);
    for (qsizetype split = 0; split <= stream.size(); ++split)
        check({QByteArrayView(stream).first(split), QByteArrayView(stream).sliced(split)},
              u"split at "_s + QString::number(split));
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < stream.size(); ++i)
        bytes.append(QByteArrayView(stream).sliced(i, 1));
    check(bytes, u"byte by byte"_s);
}

void tst_FrameReader::errorSticksUntilReset()
{
    FrameReader reader(Role::Client);
    const QByteArray bad = masked(0x1, "x", 1u);
    QByteArrayView input(bad);
    QCOMPARE(reader.next(input).kind, FrameReader::EventKind::Error);
    QCOMPARE(reader.error(), ErrorDetail::MaskedServerFrame);

    // good bytes afterwards do not revive it
    const QByteArray good = FrameBuilder::text("fine");
    for (int i = 0; i < 3; ++i) {
        QByteArrayView more(good);
        QCOMPARE(reader.next(more).kind, FrameReader::EventKind::Error);
        QCOMPARE(reader.error(), ErrorDetail::MaskedServerFrame);
    }
    QByteArrayView nothing;
    QCOMPARE(reader.next(nothing).kind, FrameReader::EventKind::Error);

    reader.reset();
    QCOMPARE(reader.error(), ErrorDetail::None);
    QVERIFY(reader.isAtFrameStart());
    const ReadResult r = readPieces(reader, {good});
    QCOMPARE(r.error, ErrorDetail::None);
    QCOMPARE(r.frames, QByteArrayList{describe(1, true, "fine")});

    // reset() also drops a partial header and a frame in progress
    FrameReader half;
    QByteArrayView start = QByteArrayView(good).first(3);
    QCOMPARE(half.next(start).kind, FrameReader::EventKind::FrameStart);
    half.reset();
    QVERIFY(half.isAtFrameStart());
    QCOMPARE(readPieces(half, {good}).frames, QByteArrayList{describe(1, true, "fine")});
}

QTEST_APPLESS_MAIN(tst_FrameReader)
#include "tst_framereader.moc"
