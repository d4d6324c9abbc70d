// The built-in echo server (engine/server) against our own client: MessageWebSocket over ws://
// and wss://, and raw sockets for what a correct client never sends (unmasked frames, bad
// requests, silence). Everything runs in-process on 127.0.0.1; every wait is bounded.
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

#include "enginetest.h"
#include "server/localechoserver.h"
#include "testpki.h"

using namespace Wsw;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

/** A client with its spies, connected to url with this control. */
struct Client {
    explicit Client(const MessageWebSocketControl &control = {})
        : spies(&ws)
    {
        ws.setControl(control);
    }
    bool connectTo(const QUrl &url)
    {
        return ws.connectAsync(url) && waitConnected(spies);
    }
    /** Waits (bounded) for the n-th message. */
    bool waitMessages(qsizetype n, int timeoutMs = WaitMs)
    {
        return QTest::qWaitFor([&] { return spies.messages.size() >= n || spies.ended(); }, timeoutMs)
                && spies.messages.size() >= n;
    }

    MessageWebSocket ws;
    ClientSpies spies;
};

MessageWebSocketControl withoutCompression()
{
    MessageWebSocketControl control;
    control.compression.enabled = false;
    return control;
}

/** A raw client: the bytes of the upgrade and of frames exactly as given. */
struct RawClient {
    bool connectTo(quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(WaitMs);
    }
    /** Reads (processing events) until the answer's headers are complete; returns them. */
    QByteArray readHeaders()
    {
        (void)QTest::qWaitFor([&] {
            received += socket.readAll();
            return received.contains("\r\n\r\n") || socket.state() != QAbstractSocket::ConnectedState;
        }, WaitMs);
        received += socket.readAll();
        const qsizetype end = received.indexOf("\r\n\r\n");
        if (end < 0)
            return {};
        const QByteArray headers = received.first(end + 4);
        received.remove(0, end + 4);
        return headers;
    }
    /** Reads until the server has closed the connection (or the bound); everything after the headers. */
    bool waitDisconnected(int timeoutMs = WaitMs)
    {
        const bool closed = QTest::qWaitFor([&] {
            received += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        }, timeoutMs);
        received += socket.readAll();
        return closed;
    }

    QTcpSocket socket;
    QByteArray received;
};

QByteArray upgradeRequest(quint16 port, const QByteArray &extra = {})
{
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + extra + "\r\n";
}

/** A masked frame as a client sends it. */
QByteArray maskedFrame(quint8 opcode, QByteArrayView payload, bool fin = true, bool rsv1 = false)
{
    FrameBuilder builder;
    builder.opcode = opcode;
    builder.fin = fin;
    builder.rsv1 = rsv1;
    builder.maskKey = 0x11223344u;
    return builder.build(payload);
}

/** A close frame's payload: the code big-endian, then the reason's bytes as given. */
QByteArray closeBytes(quint16 code, QByteArrayView reason = {})
{
    QByteArray payload;
    payload.append(char(code >> 8));
    payload.append(char(code & 0xFF));
    payload.append(reason);
    return payload;
}

/** The code at the front of a close frame's payload (0 when it has none). */
quint16 closeCodeOf(const ParsedFrame &frame)
{
    if (frame.payload.size() < 2)
        return 0;
    return quint16((quint8(frame.payload.at(0)) << 8) | quint8(frame.payload.at(1)));
}

/** Connects raw and upgrades it; the answer's headers (empty if the connection failed). */
QByteArray upgradeRaw(RawClient &raw, quint16 port, const QByteArray &extra = {})
{
    if (!raw.connectTo(port))
        return {};
    raw.socket.write(upgradeRequest(port, extra));
    return raw.readHeaders();
}

const QByteArray DeflateOffer = "Sec-WebSocket-Extensions: permessage-deflate\r\n";

} // namespace

class tst_LocalEchoServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<LocalEchoServer>();
        QString error;
        QVERIFY2(m_server->listen(0, &error), qPrintable(error));
        QVERIFY(m_server->port() != 0);
        QCOMPARE(m_server->serverUrl(), QUrl(u"ws://127.0.0.1:%1/"_s.arg(m_server->port())));
    }
    void cleanup() { m_server.reset(); }

    // --- echo ---------------------------------------------------------------------------------

    void echoesEveryKindOfMessage_data()
    {
        QTest::addColumn<bool>("compression");
        QTest::newRow("plain") << false;
        QTest::newRow("permessage-deflate") << true;
    }
    void echoesEveryKindOfMessage()
    {
        QFETCH(bool, compression);
        Client client(compression ? MessageWebSocketControl() : withoutCompression());
        QVERIFY2(client.connectTo(m_server->serverUrl()), qPrintable(client.spies.errorText()));
        QCOMPARE(client.ws.information().compression.negotiated, compression);

        const QList<QPair<SocketMessageType, QByteArray>> sent = {
            {SocketMessageType::Utf8, "hello wörld"},
            {SocketMessageType::Binary, patternBytes(1000)},
            {SocketMessageType::Utf8, {}},
            {SocketMessageType::Binary, {}},
            {SocketMessageType::Binary, patternBytes(1024 * 1024)},
            {SocketMessageType::Utf8, asciiBytes(1024 * 1024)},
        };
        for (const auto &[type, data] : sent) {
            client.ws.setMessageType(type);
            QVERIFY(client.ws.sendMessage(data));
        }
        QVERIFY2(client.waitMessages(sent.size(), 20000), qPrintable(client.spies.errorText()));
        for (qsizetype i = 0; i < sent.size(); ++i) {
            QCOMPARE(client.spies.message(i).messageType(), sent.at(i).first);
            QCOMPARE(client.spies.message(i).data(), sent.at(i).second);
        }
        QCOMPARE(m_server->counters().messagesEchoed, quint64(sent.size()));
        QVERIFY(client.spies.errors.isEmpty());
    }

    void fragmentedTextSplitInsideACharacter()
    {
        Client client(withoutCompression());
        QVERIFY(client.connectTo(m_server->serverUrl()));
        client.ws.setMessageType(SocketMessageType::Utf8);
        // "a€b": the euro sign (E2 82 AC) is cut after its first and its second byte
        QVERIFY(client.ws.sendNonfinalFrame("a\xE2"));
        QVERIFY(client.ws.sendNonfinalFrame("\x82"));
        QVERIFY(client.ws.sendFinalFrame("\xAC" "b"));
        QVERIFY2(client.waitMessages(1), qPrintable(client.spies.errorText()));
        QCOMPARE(client.spies.message(0).messageType(), SocketMessageType::Utf8);
        QCOMPARE(client.spies.message(0).text(), u"a€b"_s);
    }

    void compressionIsNegotiatedAndUsedBothWays()
    {
        Client client;
        QSignalSpy frames(&client.ws, &MessageWebSocket::frameObserved);
        QVERIFY(client.connectTo(m_server->serverUrl()));
        const CompressionInformation compression = client.ws.information().compression;
        QVERIFY(compression.negotiated);
        QVERIFY(compression.extension.startsWith(u"permessage-deflate"_s));
        QVERIFY(compression.outgoingCompressed);

        const QByteArray text = QByteArray("the same words again and again; ").repeated(2000);
        client.ws.setMessageType(SocketMessageType::Utf8);
        QVERIFY(client.ws.sendMessage(text));
        QVERIFY(client.ws.sendMessage(text)); // the second with the window of the first (context takeover)
        QVERIFY(client.waitMessages(2));
        QCOMPARE(client.spies.message(0).data(), text);
        QCOMPARE(client.spies.message(1).data(), text);
        // the server's frames came compressed: RSV1 and far fewer bytes than the text
        int compressedIncoming = 0;
        for (const QList<QVariant> &args : frames) {
            const FrameInfo frame = args.at(0).value<FrameInfo>();
            if (frame.direction == FrameDirection::Incoming && frame.opcode == Op::Text) {
                QVERIFY(frame.rsv1);
                QVERIFY(!frame.masked);
                QVERIFY(frame.payloadLength < quint64(text.size()) / 10);
                ++compressedIncoming;
            }
        }
        QCOMPARE(compressedIncoming, 2);
    }

    void compressionWithNoContextTakeoverAndSmallWindows()
    {
        MessageWebSocketControl control;
        control.compression.serverNoContextTakeover = true;
        control.compression.clientNoContextTakeover = true;
        control.compression.serverMaxWindowBits = 9;
        control.compression.clientMaxWindowBits = 10;
        Client client(control);
        QVERIFY2(client.connectTo(m_server->serverUrl()), qPrintable(client.spies.errorText()));
        const CompressionInformation compression = client.ws.information().compression;
        QCOMPARE(compression.serverMaxWindowBits, 9);
        QCOMPARE(compression.clientMaxWindowBits, 10);
        QVERIFY(compression.serverNoContextTakeover);
        for (int i = 0; i < 5; ++i)
            QVERIFY(client.ws.sendBinaryMessage(patternBytes(5000 + i)));
        QVERIFY(client.waitMessages(5));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(client.spies.message(i).data(), patternBytes(5000 + i));
    }

    void subprotocolFromTheServersList()
    {
        m_server->setProtocols({u"chat"_s, u"superchat"_s});
        MessageWebSocketControl control;
        control.supportedProtocols = {u"v9"_s, u"superchat"_s, u"chat"_s};
        Client client(control);
        QVERIFY(client.connectTo(m_server->serverUrl()));
        QCOMPARE(client.ws.information().protocol, u"superchat"_s); // the client's order

        Client none;
        QVERIFY(none.connectTo(m_server->serverUrl()));
        QCOMPARE(none.ws.information().protocol, QString(u""_s));
    }

    void pingIsAnsweredWithItsPayload()
    {
        Client client;
        QVERIFY(client.connectTo(m_server->serverUrl()));
        QVERIFY(client.ws.ping("are you there"));
        QVERIFY(client.spies.pongs.wait(WaitMs) || !client.spies.pongs.isEmpty());
        QCOMPARE(client.spies.pongPayload(0), QByteArray("are you there"));
    }

    void closeIsEchoedAndClean()
    {
        QSignalSpy connected(m_server.get(), &LocalEchoServer::clientConnected);
        QSignalSpy disconnected(m_server.get(), &LocalEchoServer::clientDisconnected);
        Client client;
        QVERIFY(client.connectTo(m_server->serverUrl()));
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, WaitMs);
        QVERIFY(connected.at(0).at(0).toString().contains(u"connected to /"_s));
        QCOMPARE(m_server->connectionCount(), 1);
        QVERIFY(client.ws.sendTextMessage(u"one"_s));
        QVERIFY(client.waitMessages(1));
        QVERIFY(client.ws.close(4000, u"bye ☺"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!client.spies.closed.isEmpty(), WaitMs);
        const WebSocketClosedEventArgs closed = client.spies.closedArgs();
        QCOMPARE(closed.code(), quint16(4000));
        QCOMPARE(closed.reason(), u"bye ☺"_s);
        QVERIFY(closed.wasClean());
        QVERIFY2(client.spies.errors.isEmpty(), qPrintable(client.spies.errorText()));
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, WaitMs);
        const QString line = disconnected.at(0).at(0).toString();
        QVERIFY2(line.contains(u"closed by the client with 4000"_s) && line.contains(u"1 message echoed"_s),
                 qPrintable(line));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, WaitMs);
    }

    void messageTooBigIs1009()
    {
        EchoServerLimits limits;
        limits.maxMessageSize = 1024;
        m_server->setLimits(limits);
        Client client(withoutCompression());
        QVERIFY(client.connectTo(m_server->serverUrl()));
        QVERIFY(client.ws.sendBinaryMessage(patternBytes(1024)));
        QVERIFY(client.ws.sendBinaryMessage(patternBytes(1025)));
        QTRY_VERIFY_WITH_TIMEOUT(!client.spies.closed.isEmpty(), WaitMs);
        QCOMPARE(client.spies.messages.size(), 1);
        QCOMPARE(client.spies.closedArgs().code(), quint16(1009));
    }

    // --- what a correct client never sends -----------------------------------------------------

    void unmaskedFrameGets1002()
    {
        RawClient raw;
        QVERIFY(raw.connectTo(m_server->port()));
        raw.socket.write(upgradeRequest(m_server->port()));
        QVERIFY(raw.readHeaders().startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        raw.socket.write(FrameBuilder::text("hi")); // unmasked: RFC 6455 §5.1
        QVERIFY(raw.waitDisconnected());
        QList<ParsedFrame> frames = takeFrames(raw.received);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames.at(0).opcode, Op::Close);
        QVERIFY(!frames.at(0).masked);
        QCOMPARE(frames.at(0).payload.left(2), QByteArray("\x03\xea", 2)); // 1002
        QVERIFY(frames.at(0).payload.contains("not masked"));
    }

    void invalidUtf8Gets1007EvenAcrossFrames()
    {
        RawClient raw;
        QVERIFY(raw.connectTo(m_server->port()));
        raw.socket.write(upgradeRequest(m_server->port()));
        QVERIFY(raw.readHeaders().startsWith("HTTP/1.1 101"));
        // a valid first fragment, then a continuation that breaks the character it continues
        raw.socket.write(maskedFrame(0x1, "ok\xE2\x82", false) + maskedFrame(0x0, "\x41"));
        QVERIFY(raw.waitDisconnected());
        QList<ParsedFrame> frames = takeFrames(raw.received);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames.at(0).payload.left(2), QByteArray("\x03\xef", 2)); // 1007
    }

    // S27: a close frame the client may not send fails the connection with our own close frame
    void badCloseFramesFailTheConnection_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<quint16>("code");
        QTest::newRow("1-byte payload") << QByteArray("\x03", 1) << quint16(1002);
        QTest::newRow("code 1005") << closeBytes(1005) << quint16(1002);
        QTest::newRow("code 1006") << closeBytes(1006) << quint16(1002);
        QTest::newRow("code 1015") << closeBytes(1015) << quint16(1002);
        QTest::newRow("code 999") << closeBytes(999) << quint16(1002);
        QTest::newRow("code 5000") << closeBytes(5000) << quint16(1002);
        QTest::newRow("reason not UTF-8") << closeBytes(1000, "bye \xFF\xFE") << quint16(1007);
        QTest::newRow("reason cut inside a code point") << closeBytes(1000, "\xE2\x82") << quint16(1007);
        QTest::newRow("126-byte payload") << closeBytes(1000, QByteArray(124, 'r')) << quint16(1002);
    }
    void badCloseFramesFailTheConnection()
    {
        QFETCH(QByteArray, payload);
        QFETCH(quint16, code);
        QSignalSpy disconnected(m_server.get(), &LocalEchoServer::clientDisconnected);
        RawClient raw;
        QVERIFY(upgradeRaw(raw, m_server->port()).startsWith("HTTP/1.1 101 "));
        // a good message first: it is echoed, the bad close is not
        raw.socket.write(maskedFrame(0x1, "before") + maskedFrame(0x8, payload));
        QVERIFY(raw.waitDisconnected());
        const QList<ParsedFrame> frames = takeFrames(raw.received);
        QCOMPARE(frames.size(), 2);
        QCOMPARE(frames.at(0).opcode, Op::Text);
        QCOMPARE(frames.at(0).payload, QByteArray("before"));
        QCOMPARE(frames.at(1).opcode, Op::Close);
        QVERIFY(!frames.at(1).masked);
        QCOMPARE(closeCodeOf(frames.at(1)), code);
        QVERIFY(frames.at(1).payload.size() > 2); // the rule broken, as the reason
        QVERIFY(raw.received.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, WaitMs);
        const QString line = disconnected.at(0).at(0).toString();
        QVERIFY2(line.contains(u"failed: "_s) && line.contains(u"(sent close %1)"_s.arg(code))
                         && line.contains(u"1 message echoed"_s),
                 qPrintable(line));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, WaitMs);
    }

    // S28: RSV1 where no compression is (or may be) and compressed data that does not inflate
    void compressionErrorsFailTheConnection_data()
    {
        QTest::addColumn<bool>("deflate");
        QTest::addColumn<quint64>("maxMessageSize"); // 0: the default
        QTest::addColumn<QByteArray>("frames");
        QTest::addColumn<quint16>("code");
        // "Hello" compressed (RFC 7692 §7.2.3.1), cut in two fragments
        const QByteArray hello1("\xf2\x48\xcd", 3);
        const QByteArray hello2("\xc9\xc9\x07\x00", 4);
        QTest::newRow("RSV1 without deflate agreed") << false << quint64(0)
                                                     << maskedFrame(0x1, QByteArray(hello1 + hello2), true, true) << quint16(1002);
        QTest::newRow("RSV1 on a continuation") << true << quint64(0)
                                                << QByteArray(maskedFrame(0x1, hello1, false, true) + maskedFrame(0x0, hello2, true, true))
                                                << quint16(1002);
        QTest::newRow("RSV1 on a ping") << true << quint64(0) << maskedFrame(0x9, "ping", true, true) << quint16(1002);
        QTest::newRow("not deflate data") << true << quint64(0)
                                          << maskedFrame(0x2, QByteArray("\xff\xff\xff\xff", 4), true, true)
                                          << quint16(1007);
        QTest::newRow("message ends inside a block") << true << quint64(0) << maskedFrame(0x1, hello1, true, true)
                                                     << quint16(1007);
        QTest::newRow("compressed frame too large on the wire") << true << quint64(1024)
                                                                << maskedFrame(0x2, patternBytes(4096), true, true)
                                                                << quint16(1009);
    }
    void compressionErrorsFailTheConnection()
    {
        QFETCH(bool, deflate);
        QFETCH(quint64, maxMessageSize);
        QFETCH(QByteArray, frames);
        QFETCH(quint16, code);
        if (maxMessageSize != 0) {
            EchoServerLimits limits;
            limits.maxMessageSize = maxMessageSize;
            m_server->setLimits(limits);
        }
        QSignalSpy disconnected(m_server.get(), &LocalEchoServer::clientDisconnected);
        RawClient raw;
        const QByteArray headers = upgradeRaw(raw, m_server->port(), deflate ? DeflateOffer : QByteArray());
        QVERIFY2(headers.startsWith("HTTP/1.1 101 "), headers.constData());
        QCOMPARE(headers.contains("permessage-deflate"), deflate);
        raw.socket.write(frames);
        QVERIFY(raw.waitDisconnected());
        const QList<ParsedFrame> answer = takeFrames(raw.received);
        QCOMPARE(answer.size(), 1); // nothing echoed, no pong: the close frame alone
        QCOMPARE(answer.at(0).opcode, Op::Close);
        QVERIFY(!answer.at(0).rsv1);
        QCOMPARE(closeCodeOf(answer.at(0)), code);
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, WaitMs);
        const QString line = disconnected.at(0).at(0).toString();
        QVERIFY2(line.contains(u"(sent close %1)"_s.arg(code)), qPrintable(line));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, WaitMs);
    }

    void badRequestsGetAnHttpError_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("plain HTTP GET") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                                        << QByteArray("HTTP/1.1 426 Upgrade Required")
                                        << QByteArray("Sec-WebSocket-Version: 13");
        QTest::newRow("version 8") << upgradeRequest(1).replace("Version: 13", "Version: 8")
                                   << QByteArray("HTTP/1.1 426 Upgrade Required")
                                   << QByteArray("Sec-WebSocket-Version: 13");
        QTest::newRow("no key") << upgradeRequest(1).replace("Sec-WebSocket-Key", "X-Key")
                                << QByteArray("HTTP/1.1 400 Bad Request") << QByteArray("Connection: close");
        QTest::newRow("POST") << upgradeRequest(1).replace("GET", "POST")
                              << QByteArray("HTTP/1.1 405 Method Not Allowed") << QByteArray("Allow: GET");
        QTest::newRow("TLS to ws://") << QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11)
                                      << QByteArray("HTTP/1.1 400 Bad Request") << QByteArray("Connection: close");
    }
    void badRequestsGetAnHttpError()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, statusLine);
        QFETCH(QByteArray, header);
        QSignalSpy rejected(m_server.get(), &LocalEchoServer::clientRejected);
        RawClient raw;
        QVERIFY(raw.connectTo(m_server->port()));
        raw.socket.write(request);
        const QByteArray headers = raw.readHeaders();
        QVERIFY2(headers.startsWith(QByteArray(statusLine + "\r\n")), headers.constData());
        QVERIFY2(headers.contains(QByteArray("\r\n" + header + "\r\n")), headers.constData());
        QVERIFY(raw.waitDisconnected());
        QVERIFY(raw.received.endsWith('\n')); // the text/plain body, whole
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, WaitMs);
        QCOMPARE(m_server->counters().rejected, quint64(1));
        QCOMPARE(m_server->counters().upgraded, quint64(0));
    }

    void silentClientTimesOutWith408()
    {
        EchoServerLimits limits;
        limits.handshakeTimeout = std::chrono::milliseconds(200);
        m_server->setLimits(limits);
        RawClient raw;
        QVERIFY(raw.connectTo(m_server->port()));
        raw.socket.write("GET / HTTP/1.1\r\n"); // and nothing more
        QVERIFY(raw.readHeaders().startsWith("HTTP/1.1 408 Request Timeout\r\n"));
        QVERIFY(raw.waitDisconnected());
    }

    void slowReaderStopsTheServerReading()
    {
        // the client writes 32 MiB of messages and reads nothing: the server stops reading once
        // its output backs up, instead of buffering every echo
        EchoServerLimits limits;
        limits.outputHighWater = 512 * 1024;
        limits.outputLowWater = 128 * 1024;
        m_server->setLimits(limits);
        RawClient raw;
        QVERIFY(raw.connectTo(m_server->port()));
        raw.socket.write(upgradeRequest(m_server->port()));
        QVERIFY(raw.readHeaders().startsWith("HTTP/1.1 101"));
        raw.socket.setReadBufferSize(64 * 1024); // our own reading stalls too
        constexpr int Count = 32;
        const QByteArray payload = patternBytes(1024 * 1024);
        for (int i = 0; i < Count; ++i)
            raw.socket.write(maskedFrame(0x2, payload));
        // let it settle: no more echoes for a while
        quint64 last = 0;
        (void)QTest::qWaitFor([&] {
            const quint64 now = m_server->counters().messagesEchoed;
            const bool settled = now == last && now > 0;
            last = now;
            return settled;
        }, 10000);
        QTest::qWait(300);
        const quint64 stalled = m_server->counters().messagesEchoed;
        QVERIFY2(stalled < quint64(Count), qPrintable(QString::number(stalled)));
        // reading resumes both ends: every message comes back
        raw.socket.setReadBufferSize(0);
        QByteArray buffer;
        int echoed = 0;
        QVERIFY(QTest::qWaitFor([&] {
            buffer += raw.socket.readAll();
            const QList<ParsedFrame> frames = takeFrames(buffer);
            for (const ParsedFrame &frame : frames)
                echoed += (frame.opcode == Op::Binary && frame.payload == payload) ? 1 : 0;
            return echoed == Count;
        }, 30000));
        QCOMPARE(m_server->counters().messagesEchoed, quint64(Count));
    }

    // --- wss:// ----------------------------------------------------------------------------------

    void wssWithASelfSignedIdentity_data()
    {
        QTest::addColumn<bool>("pinned");
        QTest::newRow("pinned key") << true;
        QTest::newRow("Untrusted ignored") << false;
    }
    void wssWithASelfSignedIdentity()
    {
        QFETCH(bool, pinned);
        LocalEchoServer tls;
        tls.setTlsIdentity(TestPki::certificate(u"self-signed.pem"_s), TestPki::key(u"self-signed.key"_s));
        QString error;
        QVERIFY2(tls.listen(0, &error), qPrintable(error));
        QCOMPARE(tls.serverUrl(), QUrl(u"wss://localhost:%1/"_s.arg(tls.port())));

        MessageWebSocketControl control;
        if (pinned)
            control.pinnedPublicKeys = {TestPki::pin(u"self-signed"_s)};
        else
            control.ignorableServerCertificateErrors = {ChainValidationResult::Untrusted};
        Client client(control);
        QVERIFY2(client.connectTo(tls.serverUrl()), qPrintable(client.spies.errorText()));
        QVERIFY(client.ws.information().tls.encrypted);
        QVERIFY(client.ws.sendTextMessage(u"over TLS"_s));
        QVERIFY(client.ws.sendBinaryMessage(patternBytes(300000)));
        QVERIFY(client.waitMessages(2));
        QCOMPARE(client.spies.message(0).text(), u"over TLS"_s);
        QCOMPARE(client.spies.message(1).data(), patternBytes(300000));
        QVERIFY(client.ws.close(1000, {}));
        QTRY_VERIFY_WITH_TIMEOUT(!client.spies.closed.isEmpty(), WaitMs);
        QVERIFY(client.spies.closedArgs().wasClean());
    }

    void wssRefusedWithoutTrust()
    {
        LocalEchoServer tls;
        tls.setTlsIdentity(TestPki::certificate(u"self-signed.pem"_s), TestPki::key(u"self-signed.key"_s));
        QVERIFY(tls.listen());
        QSignalSpy rejected(&tls, &LocalEchoServer::clientRejected);
        Client client;
        QVERIFY(client.ws.connectAsync(tls.serverUrl()));
        QVERIFY(!waitConnected(client.spies));
        QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
        QCOMPARE(tls.connectionCount(), 0);
        // the server saw the TLS handshake end and said so
        QTRY_VERIFY_WITH_TIMEOUT(!rejected.isEmpty(), WaitMs);
        QVERIFY2(rejected.at(0).at(0).toString().contains(u"TLS handshake failed"_s),
                 qPrintable(rejected.at(0).at(0).toString()));
    }

    // S22: a wss:// client that connects and never completes TLS is dropped after handshakeTimeout
    void wssClientNeverFinishingTlsIsDropped_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("silent") << QByteArray();
        // the first bytes of a TLS record holding a ClientHello, and then nothing
        QTest::newRow("half a ClientHello") << QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11);
    }
    void wssClientNeverFinishingTlsIsDropped()
    {
        QFETCH(QByteArray, bytes);
        LocalEchoServer tls;
        tls.setTlsIdentity(TestPki::certificate(u"self-signed.pem"_s), TestPki::key(u"self-signed.key"_s));
        EchoServerLimits limits;
        limits.handshakeTimeout = std::chrono::milliseconds(300); // also bounds TLS: before listen()
        tls.setLimits(limits);
        QVERIFY(tls.listen());
        QSignalSpy connected(&tls, &LocalEchoServer::clientConnected);
        QSignalSpy rejected(&tls, &LocalEchoServer::clientRejected);
        RawClient raw;
        QVERIFY(raw.connectTo(tls.port()));
        const QString peer = u"127.0.0.1:%1"_s.arg(raw.socket.localPort());
        QElapsedTimer elapsed;
        elapsed.start();
        if (!bytes.isEmpty())
            raw.socket.write(bytes);
        QVERIFY(raw.waitDisconnected());
        const qint64 ms = elapsed.elapsed();
        QVERIFY2(ms >= 250, qPrintable(QString::number(ms))); // the timeout dropped it, nothing else
        QVERIFY2(raw.received.isEmpty() || raw.received.at(0) == '\x15', raw.received.toHex().constData());
        QCOMPARE(connected.size(), 0);
        QCOMPARE(tls.connectionCount(), 0);
        QCOMPARE(tls.counters().accepted, quint64(0));
        QCOMPARE(tls.counters().upgraded, quint64(0));
        // said so, naming the client (QSslServer has aborted the socket by then: it forgot its peer)
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, WaitMs);
        QCOMPARE(rejected.at(0).at(0).toString(), peer + u" TLS handshake failed: not completed within 300 ms"_s);
        QCOMPARE(tls.counters().rejected, quint64(1));
    }

    // --- life cycle ------------------------------------------------------------------------------

    void serverStopsCleanly()
    {
        Client client;
        QVERIFY(client.connectTo(m_server->serverUrl()));
        const QUrl url = m_server->serverUrl();
        m_server->close();
        QVERIFY(!m_server->isListening());
        QCOMPARE(m_server->port(), quint16(0));
        QVERIFY(m_server->serverUrl().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!client.spies.closed.isEmpty(), WaitMs);
        QCOMPARE(client.spies.closedArgs().code(), quint16(1001));
        QVERIFY(client.spies.closedArgs().wasClean());
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, WaitMs);

        Client late;
        QVERIFY(late.ws.connectAsync(url));
        QVERIFY(!waitConnected(late.spies));
        QCOMPARE(late.spies.error().detail(), ErrorDetail::ConnectionRefused);

        // and it can listen again
        QString error;
        QVERIFY2(m_server->listen(0, &error), qPrintable(error));
        Client again;
        QVERIFY(again.connectTo(m_server->serverUrl()));
    }

    void portInUseIsAClearError()
    {
        LocalEchoServer second;
        QString error;
        QVERIFY(!second.listen(m_server->port(), &error));
        QVERIFY2(error.contains(u"already in use"_s) && error.contains(QString::number(m_server->port())),
                 qPrintable(error));
        QVERIFY(!second.isListening());
    }

    void tooManyClientsGet503()
    {
        m_server->setMaxConnections(1);
        Client first;
        QVERIFY(first.connectTo(m_server->serverUrl()));
        RawClient raw;
        QVERIFY(raw.connectTo(m_server->port()));
        raw.socket.write(upgradeRequest(m_server->port()));
        QVERIFY(raw.readHeaders().startsWith("HTTP/1.1 503 Service Unavailable\r\n"));
        QVERIFY(raw.waitDisconnected());
    }

    // S30: after our close frame the client has closeTimeout to answer; one that stays silent is dropped
    void clientIgnoringOurCloseIsDropped()
    {
        EchoServerLimits limits;
        limits.closeTimeout = std::chrono::milliseconds(300);
        m_server->setLimits(limits);
        QSignalSpy disconnected(m_server.get(), &LocalEchoServer::clientDisconnected);
        RawClient raw;
        QVERIFY(upgradeRaw(raw, m_server->port()).startsWith("HTTP/1.1 101 "));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 1, WaitMs);
        QElapsedTimer elapsed;
        elapsed.start();
        m_server->close(); // 1001 to every client; this one never answers, nor hangs up
        QVERIFY(raw.waitDisconnected());
        const qint64 ms = elapsed.elapsed();
        QVERIFY2(ms >= 250, qPrintable(QString::number(ms))); // dropped by the timer, not earlier
        const QList<ParsedFrame> frames = takeFrames(raw.received);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames.at(0).opcode, Op::Close);
        QCOMPARE(closeCodeOf(frames.at(0)), quint16(1001));
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, WaitMs);
        const QString line = disconnected.at(0).at(0).toString();
        QVERIFY2(line.contains(u"closed by the server with 1001"_s) && line.contains(u"(no answer in time: dropped)"_s),
                 qPrintable(line));
        QCOMPARE(m_server->connectionCount(), 0);
    }

    // S31: TCP closed by the client without a close frame, during the request or while open
    void clientHangingUpWithoutACloseFrame_data()
    {
        QTest::addColumn<bool>("upgrade");
        QTest::addColumn<bool>("reset");
        QTest::newRow("during the request") << false << false;
        QTest::newRow("while open") << true << false;
        QTest::newRow("while open, reset") << true << true;
    }
    void clientHangingUpWithoutACloseFrame()
    {
        QFETCH(bool, upgrade);
        QFETCH(bool, reset);
        QSignalSpy connected(m_server.get(), &LocalEchoServer::clientConnected);
        QSignalSpy disconnected(m_server.get(), &LocalEchoServer::clientDisconnected);
        QSignalSpy rejected(m_server.get(), &LocalEchoServer::clientRejected);
        RawClient raw;
        if (upgrade) {
            QVERIFY(upgradeRaw(raw, m_server->port()).startsWith("HTTP/1.1 101 "));
            raw.socket.write(maskedFrame(0x2, "one"));
            // the echo read: no unread bytes make our own close() a reset
            QVERIFY(QTest::qWaitFor([&] { return raw.socket.bytesAvailable() >= 5; }, WaitMs));
            QCOMPARE(m_server->counters().messagesEchoed, quint64(1));
        } else {
            QVERIFY(raw.connectTo(m_server->port()));
            raw.socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and no end
            QVERIFY(raw.socket.waitForBytesWritten(WaitMs));
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 1, WaitMs);
        if (reset) {
#ifdef Q_OS_UNIX
            // a linger time of 0: close() sends a reset instead of a FIN
            const linger noLinger{1, 0};
            QCOMPARE(::setsockopt(int(raw.socket.socketDescriptor()), SOL_SOCKET, SO_LINGER, &noLinger,
                                  sizeof noLinger), 0);
#else
            QSKIP("a reset is made with SO_LINGER, on Unix only");
#endif
            raw.socket.abort();
        } else {
            raw.socket.disconnectFromHost();
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, WaitMs);
        QCOMPARE(connected.size(), upgrade ? 1 : 0);
        QCOMPARE(rejected.size(), 0);
        if (upgrade) {
            QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, WaitMs);
            const QString line = disconnected.at(0).at(0).toString();
            // a reset may read as the peer's close (Qt reports ECONNRESET as RemoteHostClosedError)
            const bool ended = line.contains(u"disconnected without a close frame"_s)
                    || (reset && line.contains(u"lost: "_s));
            QVERIFY2(ended && line.contains(u"1 message echoed"_s),
                     qPrintable(line));
        } else {
            QTest::qWait(50); // nothing may follow late
            QCOMPARE(disconnected.size(), 0);
        }
        QCOMPARE(m_server->counters().rejected, quint64(0));
    }

private:
    std::unique_ptr<LocalEchoServer> m_server;
};

QTEST_GUILESS_MAIN(tst_LocalEchoServer)
#include "tst_localechoserver.moc"
