#include "codec/inbounddecoder.h" // first: the header under test is self-contained

#include <algorithm>

#include <QTest>

#include "framebuilder.h"
#include "recordingsink.h"

// The decoder's fast path: a run of whole one-frame messages lying complete in the received
// bytes is handed over frame by frame without the FrameReader/MessageAssembler state machine.
// The oracle is the general path itself: fed one byte at a time the fast path never applies
// (it needs a whole frame in one piece), so every other way of feeding the same bytes must give
// the same messages, the same control frames and the same error.

using namespace Qt::Literals::StringLiterals;
using namespace Wsw;
using namespace Wsw::Codec;
using Wsw::Test::FrameBuilder;
using Wsw::Test::RecordingSink;

namespace {

const QByteArray Kosme = QByteArray::fromHex("cebae1bdb9cf83cebcceb5"); // κόσμε

QByteArray pattern(qsizetype n, int seed = 0)
{
    QByteArray out(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        out[i] = char((i * 31 + seed * 7 + 1) & 0xFF);
    return out;
}

/** Valid UTF-8 of exactly n bytes: κόσμε pieces and ASCII. */
QByteArray utf8Of(qsizetype n)
{
    QByteArray out;
    while (out.size() + Kosme.size() <= n)
        out += Kosme;
    while (out.size() < n)
        out += 'k';
    return out;
}

QByteArray frame(quint8 opcode, QByteArrayView payload, bool fin = true)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.fin = fin;
    return b.build(payload);
}

/** The RecordingSink line of a complete message. */
QByteArray line(quint8 opcode, const QByteArray &payload)
{
    return opcode == 0x1 ? QByteArray("text:" + payload) : QByteArray("binary:" + payload.toHex());
}

/** A run of count one-frame messages, binary and text, of sizes 0-125 and a few longer. */
struct Run {
    QByteArray bytes;
    QByteArrayList lines;
    void add(quint8 opcode, const QByteArray &payload)
    {
        bytes += frame(opcode, payload);
        lines.append(line(opcode, payload));
    }
    void addRaw(const QByteArray &frameBytes, const QByteArrayList &expected = {})
    {
        bytes += frameBytes;
        lines += expected;
    }
};

Run smallRun(int count, int seed = 0)
{
    Run run;
    for (int i = 0; i < count; ++i) {
        const qsizetype size = (i * 37 + seed) % 126; // 0..125: 7-bit lengths, empty ones too
        if (i % 3 == 1)
            run.add(0x1, utf8Of(size));
        else
            run.add(0x2, pattern(size, i + seed));
    }
    return run;
}

/** Every way of feeding a stream: whole, split in two at every stride-th point, byte by byte. */
QList<QList<QByteArrayView>> feedingsOf(QByteArrayView stream, qsizetype stride = 1)
{
    QList<QList<QByteArrayView>> out;
    out.append({stream});
    for (qsizetype split = 0; split <= stream.size(); split += stride)
        out.append({stream.first(split), stream.sliced(split)});
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < stream.size(); ++i)
        bytes.append(stream.sliced(i, 1));
    out.append(bytes);
    return out;
}

QString feedingName(qsizetype index, qsizetype pieces)
{
    if (index == 0)
        return u"whole"_s;
    if (pieces > 2)
        return u"byte by byte"_s;
    return u"split #%1"_s.arg(index - 1);
}

struct Outcome {
    QByteArrayList joined;
    ErrorDetail error = ErrorDetail::None;
};

Outcome decode(const QList<QByteArrayView> &pieces, bool partial, quint64 maxMessageSize, bool deflate = false)
{
    InboundDecoder decoder;
    if (deflate)
        decoder.enableDeflate(15, false);
    decoder.assembler().setMaxMessageSize(maxMessageSize);
    decoder.assembler().setPartialMode(partial);
    RecordingSink sink;
    Outcome out;
    out.error = Test::feedPieces(decoder, pieces, sink);
    out.joined = sink.joined;
    return out;
}

/** Counts what the observer is shown; wantsWhole says whether it asks for onWholeFrame(). */
class CountingObserver final : public InboundDecoder::FrameObserver
{
public:
    explicit CountingObserver(bool wantsWhole)
        : m_wantsWhole(wantsWhole)
    {
    }
    int headers = 0;
    int completes = 0;
    int wholeFrames = 0;
    QByteArrayList wholeLines; // opcode, length, header size and payload of every whole frame
    void onFrameHeader(const FrameHeader &) override { ++headers; }
    void onFrameComplete(const FrameHeader &, qint64) override { ++completes; }
    void onWholeFrame(const FrameHeader &h, QByteArrayView payload) override
    {
        ++wholeFrames;
        QVERIFY(h.fin && !h.masked && !h.rsv1 && !h.rsv2 && !h.rsv3);
        QCOMPARE(h.payloadLength, quint64(payload.size()));
        wholeLines.append(QByteArray::number(int(h.opcode)) + '/' + QByteArray::number(h.payloadLength) + '/'
                          + QByteArray::number(h.headerSize) + ':' + payload.toByteArray().toHex());
    }
    bool wantsWholeFrames() const override { return m_wantsWhole; }

private:
    bool m_wantsWhole;
};

/** Like RecordingSink, and counts the calls that came through onWholeMessage() (the fast path). */
class FastCountingSink final : public Codec::MessageAssembler::Sink
{
public:
    RecordingSink record;
    int wholeMessages = 0;
    bool onMessage(SocketMessageType type, QByteArray &&data, bool isComplete) override
    {
        return record.onMessage(type, std::move(data), isComplete);
    }
    bool onControlFrame(Opcode opcode, QByteArray &&payload) override
    {
        return record.onControlFrame(opcode, std::move(payload));
    }
    bool onWholeMessage(SocketMessageType type, QByteArrayView data) override
    {
        ++wholeMessages;
        return record.onMessage(type, data.toByteArray(), true);
    }
};

} // namespace

class tst_InboundDecoder final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runMatchesGeneralPath_data();
    void runMatchesGeneralPath();
    void runIsTakenFast();
    void brokenFrameIsNotConsumed_data();
    void brokenFrameIsNotConsumed();
    void sinkStopsInsideARun();
    void observerSeesWholeFramesOnlyWhenItAsks();
    void deflateInForce();
};

void tst_InboundDecoder::runMatchesGeneralPath_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArrayList>("expected"); // the joined log, built independently
    QTest::addColumn<ErrorDetail>("error");
    QTest::addColumn<quint64>("maxMessageSize");
    QTest::addColumn<int>("stride"); // split points tried: every stride-th

    constexpr quint64 Unlimited = 0xFFFFFFFFull;
    {
        const Run run = smallRun(60);
        QTest::newRow("60 small binary and text messages, empty ones too")
                << run.bytes << run.lines << ErrorDetail::None << Unlimited << 1;
    }
    {
        Run run = smallRun(5, 1);
        run.add(0x2, pattern(126, 1)); // 16-bit length
        run.add(0x1, utf8Of(300));
        run.add(0x2, pattern(65535, 2));
        run.add(0x2, pattern(65536, 3)); // 64-bit length
        run.add(0x1, utf8Of(70000));
        run.addRaw(smallRun(5, 2).bytes, smallRun(5, 2).lines);
        QTest::newRow("7-, 16- and 64-bit lengths") << run.bytes << run.lines << ErrorDetail::None << Unlimited << 997;
    }
    {
        Run run = smallRun(6, 3);
        run.addRaw(frame(0x1, "frag", false) + frame(0x9, "p1") + frame(0x0, "ment", false) + frame(0x0, "ed"),
                   {"ping:p1", "text:fragmented"});
        run.addRaw(smallRun(4, 4).bytes, smallRun(4, 4).lines);
        run.addRaw(frame(0xA, "p2"), {"pong:p2"});
        run.addRaw(frame(0x2, "\x01\x02", false) + frame(0x0, {}, true), {"binary:0102"});
        run.add(0x1, {});
        run.addRaw(frame(0x8, QByteArray(QByteArray::fromHex("03e8") + "bye")), {"close:03e8627965"});
        run.add(0x2, "after close"); // the decoder goes on; stopping after a close is the connection's business
        QTest::newRow("fragments and control frames inside a run")
                << run.bytes << run.lines << ErrorDetail::None << Unlimited << 1;
    }
    {
        Run run = smallRun(4, 5);
        run.addRaw(frame(0x1, "ok \xce\xba bad \xff tail"));
        run.addRaw(smallRun(3, 6).bytes);
        QTest::newRow("invalid UTF-8 in the middle of a run")
                << run.bytes << run.lines << ErrorDetail::InvalidUtf8 << Unlimited << 1;
    }
    {
        Run run = smallRun(4, 7);
        run.addRaw(frame(0x1, "ends inside \xe2\x82"));
        QTest::newRow("text ending inside a code point") << run.bytes << run.lines << ErrorDetail::InvalidUtf8
                                                         << Unlimited << 1;
    }
    {
        Run run = smallRun(4, 8);
        FrameBuilder masked;
        masked.opcode = 0x2;
        masked.maskKey = 0x01020304u;
        run.addRaw(masked.build("masked"));
        run.addRaw(smallRun(2, 9).bytes);
        QTest::newRow("a masked frame from the server") << run.bytes << run.lines << ErrorDetail::MaskedServerFrame
                                                        << Unlimited << 1;
    }
    for (int bit = 1; bit <= 3; ++bit) {
        Run run = smallRun(3, 10 + bit);
        FrameBuilder b;
        b.opcode = 0x2;
        b.rsv1 = bit == 1;
        b.rsv2 = bit == 2;
        b.rsv3 = bit == 3;
        run.addRaw(b.build("reserved"));
        QTest::addRow("RSV%d set without an extension", bit)
                << run.bytes << run.lines << ErrorDetail::ReservedBitsSet << Unlimited << 1;
    }
    {
        Run run = smallRun(3, 14);
        run.addRaw(frame(0x3, "opcode 3"));
        QTest::newRow("a reserved opcode") << run.bytes << run.lines << ErrorDetail::ReservedOpcode << Unlimited << 1;
    }
    {
        Run run = smallRun(3, 15);
        FrameBuilder b;
        b.opcode = 0x2;
        b.lengthBits = 16;
        run.addRaw(b.build("short"));
        QTest::newRow("a 16-bit length for 5 bytes") << run.bytes << run.lines << ErrorDetail::NonMinimalLength
                                                     << Unlimited << 1;
    }
    {
        Run run;
        run.add(0x2, pattern(100));
        run.add(0x1, utf8Of(99));
        run.addRaw(frame(0x2, pattern(101)));
        QTest::newRow("one byte over the size limit") << run.bytes << run.lines << ErrorDetail::MessageTooBig
                                                      << quint64(100) << 1;
    }
    {
        Run run = smallRun(3, 16);
        run.addRaw(frame(0x1, "open", false) + frame(0x2, "new message"));
        QTest::newRow("a data frame inside a fragmented message")
                << run.bytes << run.lines << ErrorDetail::ExpectedContinuation << Unlimited << 1;
    }
    {
        Run run = smallRun(3, 17);
        run.addRaw(frame(0x0, "nothing to continue"));
        QTest::newRow("a continuation with nothing to continue")
                << run.bytes << run.lines << ErrorDetail::UnexpectedContinuation << Unlimited << 1;
    }
}

void tst_InboundDecoder::runMatchesGeneralPath()
{
    QFETCH(QByteArray, stream);
    QFETCH(QByteArrayList, expected);
    QFETCH(ErrorDetail, error);
    QFETCH(quint64, maxMessageSize);
    QFETCH(int, stride);

    const QList<QList<QByteArrayView>> ways = feedingsOf(stream, stride);
    for (bool partial : {false, true}) {
        for (qsizetype w = 0; w < ways.size(); ++w) {
            const Outcome got = decode(ways.at(w), partial, maxMessageSize);
            const QString where = (partial ? u"partial, "_s : u"full, "_s) + feedingName(w, ways.at(w).size());
            if (got.error != error)
                QFAIL(qPrintable(where + u": error %1, expected %2"_s.arg(int(got.error)).arg(int(error))));
            if (got.joined != expected) {
                QFAIL(qPrintable(where + u": %1 lines, expected %2; first difference at %3"_s.arg(got.joined.size())
                                                 .arg(expected.size())
                                                 .arg(std::mismatch(got.joined.cbegin(), got.joined.cend(),
                                                                    expected.cbegin(), expected.cend())
                                                              .first
                                                      - got.joined.cbegin())));
            }
        }
    }
}

void tst_InboundDecoder::runIsTakenFast()
{
    // the fast path really is taken for a run (else the tests above compare the general path with itself)
    const Run run = smallRun(40);
    InboundDecoder decoder;
    FastCountingSink sink;
    qsizetype consumed = -1;
    QCOMPARE(decoder.feed(run.bytes, sink, &consumed), ErrorDetail::None);
    QCOMPARE(consumed, run.bytes.size());
    QCOMPARE(sink.wholeMessages, 40);
    QCOMPARE(sink.record.joined, run.lines);

    // fed one byte at a time, never
    InboundDecoder slow;
    FastCountingSink slowSink;
    QCOMPARE(Test::feedByteByByte(slow, run.bytes, slowSink.record), ErrorDetail::None);
    QCOMPARE(slowSink.wholeMessages, 0);
    QCOMPARE(slowSink.record.joined, run.lines);

    // a frame cut by the end of the input goes to the general path, the run resumes after it
    InboundDecoder cut;
    FastCountingSink cutSink;
    const qsizetype half = run.bytes.size() / 2;
    QCOMPARE(Test::feedPieces(cut, {QByteArrayView(run.bytes).first(half), QByteArrayView(run.bytes).sliced(half)},
                              cutSink.record),
             ErrorDetail::None);
    QCOMPARE(cutSink.record.joined, run.lines);
    InboundDecoder cutCounted;
    FastCountingSink counted;
    QCOMPARE(cutCounted.feed(QByteArrayView(run.bytes).first(half), counted), ErrorDetail::None);
    QCOMPARE(cutCounted.feed(QByteArrayView(run.bytes).sliced(half), counted), ErrorDetail::None);
    QCOMPARE(counted.record.joined, run.lines);
    QVERIFY2(counted.wholeMessages >= 38, qPrintable(QString::number(counted.wholeMessages)));

    // partial mode hands over pieces: the fast path stays out of it
    InboundDecoder partial;
    partial.assembler().setPartialMode(true);
    FastCountingSink partialSink;
    QCOMPARE(partial.feed(run.bytes, partialSink), ErrorDetail::None);
    QCOMPARE(partialSink.wholeMessages, 0);
    QCOMPARE(partialSink.record.joined, run.lines);

    // the server role reads masked frames: the general path
    InboundDecoder server(Role::Server);
    FastCountingSink serverSink;
    FrameBuilder masked;
    masked.opcode = 0x2;
    masked.maskKey = 0xa1b2c3d4u;
    const QByteArray two = masked.build("one") + masked.build("two");
    QCOMPARE(server.feed(two, serverSink), ErrorDetail::None);
    QCOMPARE(serverSink.wholeMessages, 0);
    QCOMPARE(serverSink.record.joined, (QByteArrayList{"binary:6f6e65", "binary:74776f"}));
}

void tst_InboundDecoder::brokenFrameIsNotConsumed_data()
{
    QTest::addColumn<QByteArray>("bad");
    QTest::addColumn<ErrorDetail>("error");
    QTest::newRow("invalid UTF-8") << frame(0x1, "\xc0\xaf") << ErrorDetail::InvalidUtf8;
    QTest::newRow("too big") << frame(0x2, pattern(65)) << ErrorDetail::MessageTooBig;
    QTest::newRow("too big, 16-bit length") << frame(0x2, pattern(200)) << ErrorDetail::MessageTooBig;
}

void tst_InboundDecoder::brokenFrameIsNotConsumed()
{
    QFETCH(QByteArray, bad);
    QFETCH(ErrorDetail, error);
    Run fitting; // within the limit of 64 bytes
    for (int i = 0; i < 10; ++i) {
        if (i % 2)
            fitting.add(0x1, utf8Of(i * 7));
        else
            fitting.add(0x2, pattern(i * 7, i));
    }
    InboundDecoder decoder;
    decoder.assembler().setMaxMessageSize(64);
    CountingObserver observer(false);
    decoder.setFrameObserver(&observer);
    FastCountingSink sink;
    qsizetype consumed = -1;
    QCOMPARE(decoder.feed(QByteArray(fitting.bytes + bad + frame(0x2, "after")), sink, &consumed), error);
    QCOMPARE(consumed, fitting.bytes.size()); // the broken frame and what follows it are not used
    QCOMPARE(sink.record.joined, fitting.lines);
    QCOMPARE(observer.headers, 1); // the broken frame's header, as the general path shows it
    QCOMPARE(decoder.error(), error);
}

void tst_InboundDecoder::sinkStopsInsideARun()
{
    const Run run = smallRun(12);
    // frame boundaries: where the stream may stop after the k-th message
    QList<qsizetype> ends;
    for (int k = 1; k <= 12; ++k)
        ends.append(smallRun(k).bytes.size());
    for (int k = 1; k <= 12; ++k) {
        InboundDecoder decoder;
        RecordingSink first;
        first.stopAfter = k;
        qsizetype consumed = -1;
        QCOMPARE(decoder.feed(run.bytes, first, &consumed), ErrorDetail::None);
        QCOMPARE(consumed, ends.at(k - 1)); // stopped right after the k-th message
        QCOMPARE(first.joined, run.lines.first(k));
        // the rest, fed again, continues where it stopped
        RecordingSink rest;
        QCOMPARE(decoder.feed(QByteArrayView(run.bytes).sliced(consumed), rest, &consumed), ErrorDetail::None);
        QCOMPARE(first.joined + rest.joined, run.lines);
    }
}

void tst_InboundDecoder::observerSeesWholeFramesOnlyWhenItAsks()
{
    Run run = smallRun(8);
    run.addRaw(frame(0x1, "frag", false) + frame(0x9, "p") + frame(0x0, "ment"), {"ping:p", "text:fragment"});
    run.addRaw(smallRun(3, 1).bytes, smallRun(3, 1).lines);
    QByteArrayList expectedWhole;
    for (int i = 0; i < 8; ++i) {
        const QByteArray one = smallRun(i + 1).bytes.sliced(smallRun(i).bytes.size());
        expectedWhole.append(QByteArray::number(quint8(one.at(0)) & 0x0F) + '/' + QByteArray::number(one.size() - 2)
                             + "/2:" + one.sliced(2).toHex());
    }
    for (int i = 0; i < 3; ++i) {
        const QByteArray one = smallRun(i + 1, 1).bytes.sliced(smallRun(i, 1).bytes.size());
        expectedWhole.append(QByteArray::number(quint8(one.at(0)) & 0x0F) + '/' + QByteArray::number(one.size() - 2)
                             + "/2:" + one.sliced(2).toHex());
    }

    // asks: every whole frame once, the general path's frames (two fragments, a ping) as ever
    InboundDecoder asking;
    CountingObserver wants(true);
    asking.setFrameObserver(&wants);
    RecordingSink sink;
    QCOMPARE(asking.feed(run.bytes, sink), ErrorDetail::None);
    QCOMPARE(sink.joined, run.lines);
    QCOMPARE(wants.wholeLines, expectedWhole);
    QCOMPARE(wants.headers, 3);
    QCOMPARE(wants.completes, 3);

    // does not ask: the sink's onWholeMessage() is the only call a whole frame gets
    InboundDecoder quiet;
    CountingObserver counts(false);
    quiet.setFrameObserver(&counts);
    FastCountingSink fast;
    QCOMPARE(quiet.feed(run.bytes, fast), ErrorDetail::None);
    QCOMPARE(fast.record.joined, run.lines);
    QCOMPARE(counts.wholeFrames, 0);
    QCOMPARE(fast.wholeMessages, 11);
    QCOMPARE(counts.headers, 3);

    // the default observer (no override) gets the three calls for each whole frame
    class DefaultObserver final : public InboundDecoder::FrameObserver
    {
    public:
        int headers = 0, completes = 0;
        void onFrameHeader(const FrameHeader &) override { ++headers; }
        void onFrameComplete(const FrameHeader &, qint64) override { ++completes; }
    } plain;
    InboundDecoder byDefault;
    byDefault.setFrameObserver(&plain);
    RecordingSink sink2;
    QCOMPARE(byDefault.feed(run.bytes, sink2), ErrorDetail::None);
    QCOMPARE(plain.headers, 14);
    QCOMPARE(plain.completes, 14);
}

void tst_InboundDecoder::deflateInForce()
{
    // RFC 7692 §7.2.3.1: "Hello" compressed, one frame with RSV1; the plain frames around it stay fast
    const QByteArray hello = QByteArray::fromHex("c107f248cdc9c90700");
    Run run = smallRun(10);
    run.addRaw(hello, {"text:Hello"});
    run.addRaw(smallRun(10, 3).bytes, smallRun(10, 3).lines);
    run.addRaw(hello + hello, {"text:Hello", "text:Hello"});
    const QList<QList<QByteArrayView>> ways = feedingsOf(run.bytes);
    for (qsizetype w = 0; w < ways.size(); ++w) {
        const Outcome got = decode(ways.at(w), false, 0xFFFFFFFFull, true);
        QCOMPARE(got.error, ErrorDetail::None);
        if (got.joined != run.lines)
            QFAIL(qPrintable(feedingName(w, ways.at(w).size())));
    }
    InboundDecoder decoder;
    decoder.enableDeflate(15, false);
    FastCountingSink sink;
    QCOMPARE(decoder.feed(run.bytes, sink), ErrorDetail::None);
    QCOMPARE(sink.record.joined, run.lines);
    QCOMPARE(sink.wholeMessages, 20);
}

QTEST_APPLESS_MAIN(tst_InboundDecoder)
#include "tst_inbounddecoder.moc"
