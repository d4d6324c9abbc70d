// permessage-deflate (RFC 7692) through MessageWebSocket, against a scripted raw-bytes server:
// the offer on the wire, what each answer puts in force (Information), compressed frames in and
// out as the server sees them (checked with zlib itself), thresholds, the 8-bit window, frame
// observation, and the bounds (MaxMessageSize on inflated bytes over a real socket).

#include <QTest>

#include <zlib.h>

#include "api/messagewebsocket.h"
#include "enginetest.h"
#include "scriptedserver.h"

using namespace Wsw;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

/** zlib's raw deflate of one message, sync-flushed, tail stripped (RFC 7692 §7.2.1). */
QByteArray zlibDeflate(QByteArrayView data, int level = 6)
{
    z_stream z{};
    deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&z, uLong(data.size()))) + 64, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_SYNC_FLUSH);
    out.resize(out.size() - qsizetype(z.avail_out) - 4);
    deflateEnd(&z);
    return out;
}

/** Inflates what a client sent, as a server would: one zlib stream across messages unless reset. */
class ServerInflater
{
public:
    explicit ServerInflater(int windowBits) { inflateInit2(&m_z, -windowBits); }
    ~ServerInflater() { inflateEnd(&m_z); }
    /** Inflates one whole message's payload (tail appended); null on a zlib error. */
    QByteArray message(QByteArray payload)
    {
        payload.append("\x00\x00\xff\xff", 4);
        QByteArray out(16 * 1024 * 1024, Qt::Uninitialized);
        m_z.next_in = reinterpret_cast<Bytef *>(payload.data());
        m_z.avail_in = uInt(payload.size());
        m_z.next_out = reinterpret_cast<Bytef *>(out.data());
        m_z.avail_out = uInt(out.size());
        const int rc = inflate(&m_z, Z_SYNC_FLUSH);
        if ((rc != Z_OK && rc != Z_BUF_ERROR) || m_z.avail_in != 0)
            return {};
        out.resize(out.size() - qsizetype(m_z.avail_out));
        return out.isNull() ? QByteArray("") : out;
    }
    void reset() { inflateReset(&m_z); }

private:
    z_stream m_z{};
};

ScriptedUpgrade deflateAnswer(const QByteArray &extension)
{
    ScriptedUpgrade upgrade;
    upgrade.extraHeaders.append({"Sec-WebSocket-Extensions", extension});
    return upgrade;
}

QByteArray compressedFrame(quint8 opcode, QByteArrayView payload, bool fin = true, bool rsv1 = true)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.fin = fin;
    b.rsv1 = rsv1;
    return b.build(payload);
}

QByteArray wordy(qsizetype n)
{
    QByteArray out;
    const char *words[] = {"compress ", "me ", "über ", "the ", "wire ", "€ "};
    for (int i = 0; out.size() < n; ++i)
        out += words[(i * 7 + i / 3) % 6];
    out.truncate(n);
    while (!out.isEmpty() && (quint8(out.back()) & 0x80))
        out.chop(1); // end on an ASCII character: valid UTF-8
    return out;
}

bool openOn(ScriptedServer &server, MessageWebSocket &ws, ClientSpies &spies)
{
    return ws.connectAsync(server.url()) && waitConnected(spies);
}

} // namespace

class tst_Compression : public QObject
{
    Q_OBJECT

private slots:
    void offerOnTheWire_data()
    {
        QTest::addColumn<DeflateOptions>("options");
        QTest::addColumn<QByteArray>("header"); // null: absent
        DeflateOptions o;
        QTest::newRow("default") << o << QByteArray("permessage-deflate; client_max_window_bits");
        o.enabled = false;
        QTest::newRow("disabled") << o << QByteArray();
        o = {};
        o.serverNoContextTakeover = true;
        o.serverMaxWindowBits = 10;
        o.clientMaxWindowBits = 12;
        QTest::newRow("with requests")
                << o << QByteArray("permessage-deflate; server_no_context_takeover; server_max_window_bits=10; "
                                   "client_max_window_bits=12");
    }
    void offerOnTheWire()
    {
        QFETCH(DeflateOptions, options);
        QFETCH(QByteArray, header);
        ScriptedServer server;
        QVERIFY(server.listen());
        server.waitForRequest().closeTcp();
        MessageWebSocket ws;
        MessageWebSocketControl control;
        control.compression = options;
        QVERIFY(ws.setControl(control));
        ClientSpies spies(&ws);
        QVERIFY(ws.connectAsync(server.url()));
        QVERIFY(QTest::qWaitFor([&] { return spies.ended(); }, WaitMs));
        QCOMPARE(server.request().headerCount("Sec-WebSocket-Extensions"), header.isNull() ? 0 : 1);
        if (!header.isNull())
            QCOMPARE(server.request().header("Sec-WebSocket-Extensions"), header);
    }

    void invalidOptionsAreRefused()
    {
        MessageWebSocket ws;
        MessageWebSocketControl control;
        control.compression.clientMaxWindowBits = 16;
        QVERIFY(!ws.setControl(control));
        QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidArgument);
        QVERIFY(ws.lastError().message().contains(u"clientMaxWindowBits"_s));
        control.compression = {};
        control.compression.compressionLevel = 11;
        QVERIFY(!ws.setControl(control));
        QVERIFY(ws.lastError().message().contains(u"compressionLevel"_s));
    }

    void compressionIsFixedOnceConnecting()
    {
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer("permessage-deflate")).waitForClose().closeTcp();
        MessageWebSocket ws;
        ClientSpies spies(&ws);
        QVERIFY(openOn(server, ws, spies));
        MessageWebSocketControl control = ws.control();
        control.compression.enabled = false;
        QVERIFY(!ws.setControl(control));
        QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
        ws.close(1000, {});
    }

    void inboundCompressedMessages()
    {
        // RFC 7692 §7.2.3's bytes: "Hello", then "Hello" again using the window of the first
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer("permessage-deflate; client_max_window_bits=10"))
                .send(QByteArray::fromHex("c107f248cdc9c90700" "c105f200110000"))
                .send(compressedFrame(0x2, zlibDeflate(QByteArray(10000, 'z'))))
                .waitForClose()
                .closeTcp();
        MessageWebSocket ws;
        ClientSpies spies(&ws);
        QList<FrameInfo> frames;
        connect(&ws, &MessageWebSocket::frameObserved, this, [&](const FrameInfo &f) { frames.append(f); });
        QVERIFY(openOn(server, ws, spies));
        const CompressionInformation info = ws.information().compression;
        QVERIFY(info.negotiated);
        QCOMPARE(info.extension, u"permessage-deflate; client_max_window_bits=10"_s);
        QCOMPARE(info.clientMaxWindowBits, 10);
        QCOMPARE(info.serverMaxWindowBits, 15);
        QVERIFY(info.outgoingCompressed);
        QVERIFY(QTest::qWaitFor([&] { return spies.messages.size() == 3; }, WaitMs));
        QCOMPARE(spies.message(0).text(), u"Hello"_s);
        QCOMPARE(spies.message(1).text(), u"Hello"_s);
        QCOMPARE(spies.message(2).data(), QByteArray(10000, 'z'));
        QCOMPARE(spies.message(2).messageType(), SocketMessageType::Binary);
        // the frame inspector sees the compressed size and what it inflated to
        QList<FrameInfo> incoming;
        for (const FrameInfo &f : frames)
            if (f.direction == FrameDirection::Incoming)
                incoming.append(f);
        QCOMPARE(incoming.size(), 3);
        QVERIFY(incoming.at(0).rsv1);
        QCOMPARE(incoming.at(0).payloadLength, quint64(7));
        QCOMPARE(incoming.at(0).uncompressedLength, qint64(5));
        QCOMPARE(incoming.at(1).payloadLength, quint64(5));
        QCOMPARE(incoming.at(1).uncompressedLength, qint64(5));
        QCOMPARE(incoming.at(2).uncompressedLength, qint64(10000));
        const TrafficCounters c = ws.information().counters;
        QCOMPARE(c.compressedMessagesReceived, quint64(3));
        QCOMPARE(c.messageBytesReceived, quint64(10010));
        QVERIFY(c.payloadBytesReceived < 200); // 10010 bytes of messages arrived as a few dozen
        ws.close(1000, {});
    }

    void outboundMessagesAreCompressed_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<bool>("resetPerMessage");
        QTest::addColumn<int>("windowBits");
        QTest::newRow("context takeover") << QByteArray("permessage-deflate") << false << 15;
        QTest::newRow("client_no_context_takeover")
                << QByteArray("permessage-deflate; client_no_context_takeover") << true << 15;
        QTest::newRow("client_max_window_bits=9") << QByteArray("permessage-deflate; client_max_window_bits=9") << false
                                                  << 9;
    }
    void outboundMessagesAreCompressed()
    {
        QFETCH(QByteArray, answer);
        QFETCH(bool, resetPerMessage);
        QFETCH(int, windowBits);
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer(answer)).waitForFrames(4).waitForClose().closeTcp();
        MessageWebSocket ws;
        ClientSpies spies(&ws);
        QList<FrameInfo> frames;
        connect(&ws, &MessageWebSocket::frameObserved, this, [&](const FrameInfo &f) { frames.append(f); });
        QVERIFY(openOn(server, ws, spies));
        QCOMPARE(ws.information().compression.clientNoContextTakeover, resetPerMessage);
        QCOMPARE(ws.information().compression.clientMaxWindowBits, windowBits);
        const QList<QByteArray> messages{wordy(5000), QByteArray(), wordy(5000), QByteArray(300000, 'x')};
        ws.setMessageType(SocketMessageType::Utf8);
        QVERIFY(ws.sendMessage(messages.at(0)));
        QVERIFY(ws.sendMessage(messages.at(1)));
        QVERIFY(ws.sendMessage(messages.at(2)));
        ws.setMessageType(SocketMessageType::Binary);
        QVERIFY(ws.sendMessage(messages.at(3)));
        QVERIFY(QTest::qWaitFor([&] { return server.clientFrames().size() >= 4; }, WaitMs));
        ServerInflater inflater(windowBits);
        const QList<ParsedFrame> sent = server.clientFrames();
        for (int i = 0; i < 4; ++i) {
            QVERIFY(sent.at(i).rsv1);
            QVERIFY(sent.at(i).fin);
            if (resetPerMessage)
                inflater.reset(); // each message must inflate on its own
            QCOMPARE(inflater.message(sent.at(i).payload), messages.at(i));
        }
        // the repeated message compresses to a few bytes when the window is kept
        if (!resetPerMessage && windowBits == 15)
            QVERIFY2(sent.at(2).payload.size() < sent.at(0).payload.size(),
                     qPrintable(u"%1 then %2 bytes"_s.arg(sent.at(0).payload.size()).arg(sent.at(2).payload.size())));
        QCOMPARE(sent.at(1).payload, QByteArray(1, '\0')); // RFC 7692: an empty message is one 0x00
        const TrafficCounters c = ws.information().counters;
        QCOMPARE(c.compressedMessagesSent, quint64(4));
        QCOMPARE(c.messageBytesSent, quint64(310000));
        QVERIFY(c.payloadBytesSent < 10000);
        int observed = 0;
        for (const FrameInfo &f : frames) {
            if (f.direction != FrameDirection::Outgoing || f.opcode > 2)
                continue;
            QVERIFY(f.rsv1);
            QCOMPARE(f.uncompressedLength, qint64(messages.at(observed).size()));
            QCOMPARE(f.payloadLength, quint64(sent.at(observed).payload.size()));
            ++observed;
        }
        QCOMPARE(observed, 4);
        ws.close(1000, {});
    }

    void thresholdAndFrameSize()
    {
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer("permessage-deflate")).waitForFrames(11).waitForClose().closeTcp();
        MessageWebSocket ws;
        MessageWebSocketControl control;
        control.compression.thresholdBytes = 100;
        control.outboundFrameSizeInBytes = 1000;
        QVERIFY(ws.setControl(control));
        ClientSpies spies(&ws);
        QVERIFY(openOn(server, ws, spies));
        QVERIFY(ws.information().compression.note.contains(u"100"_s));
        QVERIFY(ws.sendMessage(QByteArray(99, 'a')));   // below the threshold: uncompressed
        const QByteArray big = wordy(9500);
        QVERIFY(ws.sendMessage(big)); // 10 frames of at most 1000 message bytes each
        QVERIFY(QTest::qWaitFor([&] { return server.clientFrames().size() >= 11; }, WaitMs));
        const QList<ParsedFrame> sent = server.clientFrames();
        QVERIFY(!sent.at(0).rsv1);
        QCOMPARE(sent.at(0).payload, QByteArray(99, 'a'));
        QByteArray compressed;
        for (int i = 1; i <= 10; ++i) {
            QCOMPARE(sent.at(i).rsv1, i == 1); // RFC 7692 §6.1: RSV1 on the first frame only
            QCOMPARE(sent.at(i).opcode, i == 1 ? Op::Binary : Op::Continuation);
            QCOMPARE(sent.at(i).fin, i == 10);
            compressed += sent.at(i).payload;
        }
        ServerInflater inflater(15);
        QCOMPARE(inflater.message(compressed), big);
        ws.close(1000, {});
    }

    void fragmentedSendIsCompressed()
    {
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer("permessage-deflate")).waitForFrames(4).waitForClose().closeTcp();
        MessageWebSocket ws;
        ClientSpies spies(&ws);
        QVERIFY(openOn(server, ws, spies));
        ws.setMessageType(SocketMessageType::Utf8);
        const QByteArray text = "a € in the middle, cut inside it: " + wordy(3000);
        const qsizetype cut = text.indexOf("\xe2\x82\xac") + 1;
        QVERIFY(ws.sendNonfinalFrame(QByteArrayView(text).first(cut)));
        QVERIFY(ws.sendNonfinalFrame(QByteArrayView(text).sliced(cut, 1000)));
        QVERIFY(ws.sendNonfinalFrame(QByteArrayView()));
        QVERIFY(ws.sendFinalFrame(QByteArrayView(text).sliced(cut + 1000)));
        QVERIFY(QTest::qWaitFor([&] { return server.clientFrames().size() >= 4; }, WaitMs));
        const QList<ParsedFrame> sent = server.clientFrames();
        QByteArray compressed;
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(sent.at(i).rsv1, i == 0);
            compressed += sent.at(i).payload;
        }
        ServerInflater inflater(15);
        QCOMPARE(inflater.message(compressed), text);
        QCOMPARE(ws.information().counters.compressedMessagesSent, quint64(1));
        ws.close(1000, {});
    }

    void eightBitWindowSendsUncompressed()
    {
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer("permessage-deflate; client_max_window_bits=8"))
                .send(QByteArray::fromHex("c107f248cdc9c90700"))
                .waitForFrames(1)
                .waitForClose()
                .closeTcp();
        MessageWebSocket ws;
        ClientSpies spies(&ws);
        QVERIFY(openOn(server, ws, spies));
        const CompressionInformation info = ws.information().compression;
        QVERIFY(info.negotiated);
        QCOMPARE(info.clientMaxWindowBits, 8);
        QVERIFY(!info.outgoingCompressed);
        QVERIFY(info.note.contains(u"uncompressed"_s));
        QVERIFY(QTest::qWaitFor([&] { return spies.messages.size() == 1; }, WaitMs));
        QCOMPARE(spies.message(0).text(), u"Hello"_s); // the server's messages are still inflated
        QVERIFY(ws.sendMessage(wordy(2000)));
        QVERIFY(QTest::qWaitFor([&] { return !server.clientFrames().isEmpty(); }, WaitMs));
        QVERIFY(!server.clientFrames().first().rsv1);
        QCOMPARE(server.clientFrames().first().payload, wordy(2000));
        ws.close(1000, {});
    }

    void declinedMeansNoCompression()
    {
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade() // no Sec-WebSocket-Extensions in the answer
                .waitForFrames(1)
                .send(compressedFrame(0x1, QByteArray::fromHex("f248cdc9c90700")))
                .waitForClose()
                .closeTcp();
        MessageWebSocket ws;
        ClientSpies spies(&ws);
        QVERIFY(openOn(server, ws, spies));
        QVERIFY(!ws.information().compression.negotiated);
        QVERIFY(ws.sendMessage(wordy(500)));
        QVERIFY(QTest::qWaitFor([&] { return spies.ended(); }, WaitMs));
        QVERIFY(!server.clientFrames().first().rsv1);
        QCOMPARE(spies.error().detail(), ErrorDetail::ReservedBitsSet); // RSV1 with nothing negotiated
        QVERIFY(QTest::qWaitFor([&] { return server.clientSentClose(); }, WaitMs));
        QCOMPARE(server.clientCloseCode(), quint16(1002));
    }

    void answerRefused_data()
    {
        // what our offer did not allow or requested and did not get: the handshake fails (no close frame)
        QTest::addColumn<DeflateOptions>("options");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<ErrorDetail>("detail");
        QTest::addColumn<QString>("mentions");
        DeflateOptions bare;
        bare.offerClientMaxWindowBits = false;
        QTest::newRow("client window not offered") << bare << QByteArray("permessage-deflate; client_max_window_bits=10")
                                                   << ErrorDetail::UnrequestedExtensionParameter
                                                   << u"client_max_window_bits"_s;
        DeflateOptions requests;
        requests.serverNoContextTakeover = true;
        requests.serverMaxWindowBits = 10;
        QTest::newRow("requested window not granted") << requests
                                                      << QByteArray("permessage-deflate; server_no_context_takeover")
                                                      << ErrorDetail::MissingExtensionParameter
                                                      << u"server_max_window_bits=10"_s;
        QTest::newRow("requested no_context_takeover not granted")
                << requests << QByteArray("permessage-deflate; server_max_window_bits=9")
                << ErrorDetail::MissingExtensionParameter << u"server_no_context_takeover"_s;
        QTest::newRow("window larger than requested")
                << requests << QByteArray("permessage-deflate; server_no_context_takeover; server_max_window_bits=11")
                << ErrorDetail::InvalidExtensionParameterValue << u"server_max_window_bits=11"_s;
    }
    void answerRefused()
    {
        QFETCH(DeflateOptions, options);
        QFETCH(QByteArray, answer);
        QFETCH(ErrorDetail, detail);
        QFETCH(QString, mentions);
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer(answer)).waitForDisconnect();
        MessageWebSocket ws;
        MessageWebSocketControl control;
        control.compression = options;
        QVERIFY(ws.setControl(control));
        ClientSpies spies(&ws);
        QVERIFY(ws.connectAsync(server.url()));
        QVERIFY(QTest::qWaitFor([&] { return spies.ended(); }, WaitMs));
        QCOMPARE(spies.connected.size(), 0);
        QCOMPARE(spies.closed.size(), 0);
        QCOMPARE(spies.error().detail(), detail);
        QCOMPARE(spies.error().status(), WebErrorStatus::ErrorHttpInvalidServerResponse);
        QVERIFY2(spies.error().message().contains(mentions), qPrintable(spies.error().message()));
        QCOMPARE(ws.state(), ConnectionState::Failed);
        QVERIFY(QTest::qWaitFor([&] { return server.isClientDisconnected(); }, WaitMs));
        QVERIFY(server.clientFrames().isEmpty()); // no close frame: there was no WebSocket connection yet
    }

    void inboundViolations_data()
    {
        QTest::addColumn<QByteArray>("frames");
        QTest::addColumn<quint32>("maxMessageSize");
        QTest::addColumn<ErrorDetail>("detail");
        QTest::addColumn<quint16>("closeCode");
        // 64 MiB of zeros deflate to about 64 KiB: a 1 MiB limit must stop it at 1 MiB
        static const QByteArray bomb = zlibDeflate(QByteArray(64 * 1024 * 1024, '\0'), 9);
        QTest::newRow("zip bomb") << compressedFrame(0x2, bomb) << quint32(1024 * 1024) << ErrorDetail::MessageTooBig
                                  << quint16(1009);
        QTest::newRow("RSV1 on a continuation")
                << compressedFrame(0x1, QByteArray::fromHex("f248"), false) + compressedFrame(0x0, "\xcd", true, true)
                << quint32(0xFFFFFFFF) << ErrorDetail::CompressedContinuationFrame << quint16(1002);
        QTest::newRow("RSV1 on a ping") << compressedFrame(0x9, "x") << quint32(0xFFFFFFFF)
                                        << ErrorDetail::CompressedControlFrame << quint16(1002);
        QTest::newRow("not deflate") << compressedFrame(0x2, QByteArray::fromHex("ffffffff")) << quint32(0xFFFFFFFF)
                                     << ErrorDetail::InvalidCompressedData << quint16(1007);
        QTest::newRow("invalid UTF-8 inside") << compressedFrame(0x1, zlibDeflate("ok \xff ok")) << quint32(0xFFFFFFFF)
                                              << ErrorDetail::InvalidUtf8 << quint16(1007);
    }
    void inboundViolations()
    {
        QFETCH(QByteArray, frames);
        QFETCH(quint32, maxMessageSize);
        QFETCH(ErrorDetail, detail);
        QFETCH(quint16, closeCode);
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer("permessage-deflate")).send(frames).waitForClose().closeTcp();
        MessageWebSocket ws;
        MessageWebSocketControl control;
        control.maxMessageSize = maxMessageSize;
        QVERIFY(ws.setControl(control));
        ClientSpies spies(&ws);
        QVERIFY(ws.connectAsync(server.url())); // the frames follow the 101 at once
        QVERIFY(QTest::qWaitFor([&] { return !spies.closed.isEmpty(); }, WaitMs));
        QCOMPARE(spies.connected.size(), 1);
        QCOMPARE(spies.errors.size(), 1);
        QCOMPARE(spies.error().detail(), detail);
        QVERIFY(spies.messages.isEmpty());
        QCOMPARE(spies.closedArgs().code(), closeCode);
        QVERIFY(QTest::qWaitFor([&] { return server.clientSentClose(); }, WaitMs));
        QCOMPARE(server.clientCloseCode(), closeCode);
    }

    void partialModeHandsOverInflatedPieces()
    {
        const QByteArray text = wordy(2 * 1024 * 1024);
        ScriptedServer server;
        QVERIFY(server.listen());
        server.acceptUpgrade(deflateAnswer("permessage-deflate"))
                .send(compressedFrame(0x1, zlibDeflate(text)))
                .waitForClose()
                .closeTcp();
        MessageWebSocket ws;
        MessageWebSocketControl control;
        control.receiveMode = MessageWebSocketReceiveMode::PartialMessage;
        QVERIFY(ws.setControl(control));
        ClientSpies spies(&ws);
        QVERIFY(openOn(server, ws, spies));
        QVERIFY(QTest::qWaitFor([&] {
            return !spies.messages.isEmpty() && spies.message(spies.messages.size() - 1).isMessageComplete();
        }, WaitMs));
        QVERIFY(spies.messages.size() > 1); // pieces as they were inflated
        QByteArray joined;
        for (qsizetype i = 0; i < spies.messages.size(); ++i)
            joined += spies.message(i).data();
        QCOMPARE(joined, text);
        ws.close(1000, {});
    }
};

QTEST_GUILESS_MAIN(tst_Compression)
#include "tst_compression.moc"
