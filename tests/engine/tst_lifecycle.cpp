// The life of a connection: connecting, the opening handshake and its failures, timeouts,
// closing, aborting, losing TCP, flow control and what the workbench observes. Driven by
// ScriptedServer (raw bytes) and EchoServer on 127.0.0.1. RFC 6455 §4 (handshake), §5 (frames),
// §7 (closing); spec §12.8 (error table) and §12.9 (deliberate differences).
#include "api/messagewebsocket.h"

#include <memory>
#include <set>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "echoserver.h"
#include "enginetest.h"
#include "scriptedserver.h"

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace Wsw;
using namespace Wsw::Test;

class tst_Lifecycle final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // connecting
    void connectRefused();
    void hostNotFound();
    void stateSequenceOfACleanConnection();
    void handshakeTimeoutWithSilentServer();
    void handshakeTimeoutBoundsASlowDrip();
    void closeDuringConnect_data();
    void closeDuringConnect();
    void cancelConnectOnlyAffectsConnecting();
    void serverDropsTcpDuringHandshake();

    // the opening handshake (RFC 6455 §4.1)
    void slowDripOfUpgradeAndFrames();
    void framesInTheSameSegmentAsThe101();
    void non101Answer_data();
    void non101Answer();
    void non101BodyEndsWithTcp();
    void invalidUpgradeAnswer_data();
    void invalidUpgradeAnswer();
    void negotiatedProtocolInInformation();
    void protocolNotOfferedIsRefused();
    void handshakeTranscript();
    void keyDiffersPerConnection();

    // open
    void idleTimeout();
    void idleTimeoutRestartsOnTraffic();
    void serverDropsTcpMidMessage_data();
    void serverDropsTcpMidMessage();
    void maxMessageSizeExceeded_data();
    void maxMessageSizeExceeded();
    void nothingLostBeforeCloseFrame();
    void bufferedAmountAndBytesWritten();
    void bytesWrittenCountsOnlyFrameBytes();
    void maxBufferedAmountRefusesSends();
    void frameObservedReportsBothDirections();
    void everyFrameMaskedWithAFreshKey();
    void unsolicitedPongInterval();
    void partialMessagePiecesOfFragments();
    void partialMessagePiecesOfADrippedFrame();
    void partialMessageTextPiecesAreWholeCodePoints();

    // closing and aborting (RFC 6455 §7)
    void closeTimeoutWhenServerNeverAnswers();
    void closeTimeoutAfterBothCloseFramesIsClean();
    void serverInitiatedCloseWaitsForServerTcpClose();
    void abortWhileOpen();
    void abortWhileClosing();
};

namespace {

MessageWebSocketControl withTimeouts(std::chrono::milliseconds handshake, std::chrono::milliseconds close,
                                     std::chrono::milliseconds idle = 0ms)
{
    MessageWebSocketControl control;
    control.timeouts.handshake = handshake;
    control.timeouts.close = close;
    control.timeouts.idle = idle;
    return control;
}

/** A port on 127.0.0.1 on which nothing listens. */
quint16 closedPort()
{
    QTcpServer placeholder;
    if (!placeholder.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = placeholder.serverPort();
    placeholder.close();
    return port;
}

/** A connection that ended with an error before Open: only errorOccurred, and Failed. */
#define VERIFY_FAILED_BEFORE_OPEN(ws, spies, expectedDetail)                                                 \
    do {                                                                                                     \
        QTRY_COMPARE_WITH_TIMEOUT((spies).errors.size(), 1, WaitMs);                                         \
        QCOMPARE((spies).error().detail(), expectedDetail);                                                  \
        QVERIFY(!(spies).error().message().isEmpty());                                                       \
        QCOMPARE((ws).state(), ConnectionState::Failed);                                                     \
        QCOMPARE((ws).lastError().detail(), expectedDetail);                                                 \
        QCOMPARE((spies).connected.size(), 0);                                                               \
        QCOMPARE((spies).closed.size(), 0);                                                                  \
    } while (false)

} // namespace

// --- connecting ------------------------------------------------------------------------------

void tst_Lifecycle::connectRefused()
{
    // spec §12.8: ConnectionRefusedError -> CannotConnect (14)
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port))));
    QCOMPARE(ws.state(), ConnectionState::Connecting);
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::ConnectionRefused);
    QCOMPARE(spies.error().status(), WebErrorStatus::CannotConnect);
    QCOMPARE(spies.stateList(),
             (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::Failed}));
    QCOMPARE(spies.handshakes.size(), 0);
}

void tst_Lifecycle::hostNotFound()
{
    // spec §12.8: HostNotFoundError -> HostNameNotResolved (15); ".invalid" never resolves (RFC 6761 §6.4)
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(QUrl(u"ws://no-such-host.invalid/"_s)));
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::HostNotFound);
    QCOMPARE(spies.error().status(), WebErrorStatus::HostNameNotResolved);
}

void tst_Lifecycle::stateSequenceOfACleanConnection()
{
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QVERIFY(ws.close(1000, u"done"_s));
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(spies.stateList(),
             (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::AwaitingUpgrade,
                                     ConnectionState::Open, ConnectionState::Closing,
                                     ConnectionState::Closed}));
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(spies.closedArgs().code(), quint16(1000));
    QCOMPARE(spies.closedArgs().reason(), u"done"_s);
    QVERIFY(spies.closedArgs().wasClean());
    QVERIFY(!ws.lastError().isError());
}

void tst_Lifecycle::handshakeTimeoutWithSilentServer()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.waitForRequest(); // then silence
    MessageWebSocket ws;
    QVERIFY(ws.setControl(withTimeouts(300ms, 10s)));
    ClientSpies spies(&ws);
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(ws.connectAsync(server.url()));
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::HandshakeTimeout);
    QCOMPARE(spies.error().status(), WebErrorStatus::Timeout);
    QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(server.hasRequest());
    QTRY_VERIFY(server.isClientDisconnected()); // the client let go of TCP
}

void tst_Lifecycle::handshakeTimeoutBoundsASlowDrip()
{
    // the timeout bounds the whole answer, not the gaps between bytes
    ScriptedServer server;
    QVERIFY(server.listen());
    server.dripUpgrade({}, 1, 40ms); // ~130 bytes * 40 ms > 300 ms
    MessageWebSocket ws;
    QVERIFY(ws.setControl(withTimeouts(300ms, 10s)));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::HandshakeTimeout);
}

void tst_Lifecycle::closeDuringConnect_data()
{
    QTest::addColumn<bool>("waitForUpgradeState");
    QTest::addColumn<int>("how"); // 0 close() 1 cancelConnect() 2 abort()
    QTest::newRow("close() while connecting TCP") << false << 0;
    QTest::newRow("close() while awaiting the 101") << true << 0;
    QTest::newRow("cancelConnect() while connecting TCP") << false << 1;
    QTest::newRow("cancelConnect() while awaiting the 101") << true << 1;
    QTest::newRow("abort() while awaiting the 101") << true << 2;
}

void tst_Lifecycle::closeDuringConnect()
{
    // spec §12.8: cancelConnect()/abort() during connect -> OperationCanceled (16)
    QFETCH(bool, waitForUpgradeState);
    QFETCH(int, how);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.waitForRequest();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    if (waitForUpgradeState)
        QTRY_COMPARE(ws.state(), ConnectionState::AwaitingUpgrade);
    switch (how) {
    case 0: QVERIFY(ws.close()); break;
    case 1: ws.cancelConnect(); break;
    case 2: ws.abort(); break;
    }
    QCOMPARE(ws.state(), ConnectionState::Failed);
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::OperationCanceled);
    QCOMPARE(spies.error().status(), WebErrorStatus::OperationCanceled);
    // and the object is usable again
    EchoServer echo;
    QVERIFY(echo.listen());
    QVERIFY(ws.connectAsync(echo.url()));
    QTRY_COMPARE(spies.connected.size(), 1);
    QCOMPARE(spies.errors.size(), 1);
}

void tst_Lifecycle::cancelConnectOnlyAffectsConnecting()
{
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    ws.cancelConnect();
    QCOMPARE(ws.state(), ConnectionState::Open);
    QVERIFY(ws.sendTextMessage(u"still here"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(spies.closed.size(), 0);
}

void tst_Lifecycle::serverDropsTcpDuringHandshake()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.waitForRequest().send("HTTP/1.1 101 Switching").closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::ConnectionAborted);
    QCOMPARE(spies.error().status(), WebErrorStatus::ConnectionAborted);
}

// --- the opening handshake -------------------------------------------------------------------

void tst_Lifecycle::slowDripOfUpgradeAndFrames()
{
    // every split of the byte stream must work, down to one byte per TCP segment
    ScriptedServer server;
    QVERIFY(server.listen());
    const QByteArray text = asciiBytes(300); // 16-bit length
    FrameBuilder binary125;                  // a frame at the 7-bit length boundary
    binary125.opcode = Op::Binary;
    const QByteArray frames = FrameBuilder::text(text) + FrameBuilder::ping("dripped")
            + binary125.build(patternBytes(125)) + FrameBuilder::text("κόσμε", false)
            + FrameBuilder::continuation("!", true);
    server.dripUpgrade({}, 1, 1ms)
            .drip(frames, 1, 1ms)
            .waitForFrames(1)
            .send(FrameBuilder::close(1000))
            .waitForClose()
            .closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.connected.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, 10000);
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(spies.messages.size(), 3);
    QCOMPARE(spies.message(0).data(), text);
    QCOMPARE(spies.message(1).data(), patternBytes(125));
    QCOMPARE(spies.message(2).text(), u"κόσμε!"_s);
    QCOMPARE(server.clientFrames().at(0).opcode, Op::Pong);
    QCOMPARE(server.clientFrames().at(0).payload, QByteArray("dripped"));
    QVERIFY(spies.closedArgs().wasClean());
    QVERIFY(server.scriptError().isEmpty());
}

void tst_Lifecycle::framesInTheSameSegmentAsThe101()
{
    // RFC 6455 §4.1: frames may follow the empty line at once
    ScriptedServer server;
    QVERIFY(server.listen());
    ScriptedServer::Upgrade upgrade;
    upgrade.trailing = FrameBuilder::text("early") + FrameBuilder::binary("bird");
    server.acceptUpgrade(upgrade);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QList<int> order; // 0 connected, 1 message
    connect(&ws, &MessageWebSocket::connected, this, [&] { order.append(0); });
    connect(&ws, &MessageWebSocket::messageReceived, this, [&] { order.append(1); });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE(spies.messages.size(), 2);
    QCOMPARE(order, (QList<int>{0, 1, 1}));
    QCOMPARE(spies.message(0).text(), u"early"_s);
    QCOMPARE(spies.message(1).data(), QByteArray("bird"));
}

void tst_Lifecycle::non101Answer_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<WebErrorStatus>("status");
    QTest::addColumn<QByteArray>("body");
    // spec §12.8: WebErrorStatus(s) where the enum has the number, otherwise UnexpectedStatusCode
    QTest::newRow("404 with body") << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                                                 "Content-Length: 16\r\n\r\nno such endpoint")
                                   << 404 << WebErrorStatus::NotFound << QByteArray("no such endpoint");
    QTest::newRow("426 Upgrade Required")
            << QByteArray("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
                          "Content-Length: 0\r\n\r\n")
            << 426 << WebErrorStatus::UnexpectedStatusCode << QByteArray();
    QTest::newRow("401 Unauthorized")
            << QByteArray("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n"
                          "Content-Length: 6\r\n\r\ndenied")
            << 401 << WebErrorStatus::Unauthorized << QByteArray("denied");
    QTest::newRow("403 Forbidden") << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n") << 403
                                   << WebErrorStatus::Forbidden << QByteArray();
    QTest::newRow("500 Internal Server Error")
            << QByteArray("HTTP/1.1 500 Oops\r\nContent-Length: 3\r\n\r\nbad") << 500
            << WebErrorStatus::InternalServerError << QByteArray("bad");
    QTest::newRow("503 Service Unavailable") << QByteArray("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n")
                                             << 503 << WebErrorStatus::ServiceUnavailable << QByteArray();
    QTest::newRow("302 redirect is not followed")
            << QByteArray("HTTP/1.1 302 Found\r\nLocation: ws://elsewhere/\r\n"
                          "Content-Length: 0\r\n\r\n")
            << 302 << WebErrorStatus::Found << QByteArray();
    QTest::newRow("200 OK") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi") << 200
                            << WebErrorStatus::UnexpectedStatusCode << QByteArray("hi");
    QTest::newRow("418 has no WebErrorStatus")
            << QByteArray("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n") << 418
            << WebErrorStatus::UnexpectedStatusCode << QByteArray();
}

void tst_Lifecycle::non101Answer()
{
    QFETCH(QByteArray, response);
    QFETCH(int, httpStatus);
    QFETCH(WebErrorStatus, status);
    QFETCH(QByteArray, body);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.waitForRequest().send(response); // TCP stays open: Content-Length ends the answer
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::NotSwitchingProtocols);
    const WebSocketError error = spies.error();
    QCOMPARE(error.status(), status);
    QCOMPARE(error.httpStatus(), httpStatus);
    QCOMPARE(error.httpBody(), body);
    QVERIFY(error.message().contains(QString::number(httpStatus)));
    QVERIFY(!error.httpHeaders().isEmpty());
    QCOMPARE(error.httpHeaders().last().first, QByteArray("Content-Length"));
    // the transcript has the answer too
    QCOMPARE(spies.handshakes.size(), 1);
    QCOMPARE(spies.transcript().httpStatus, httpStatus);
    QVERIFY(spies.transcript().responseHeaders.startsWith(
            QByteArray("HTTP/1.1 " + QByteArray::number(httpStatus))));
    QCOMPARE(spies.transcript().responseBody, body);
    QCOMPARE(ws.information().handshake.httpStatus, httpStatus);
}

void tst_Lifecycle::non101BodyEndsWithTcp()
{
    // RFC 7230 §3.3.3 rule 7: a body without a length ends when the server closes TCP
    ScriptedServer server;
    QVERIFY(server.listen());
    server.waitForRequest()
            .send("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\n")
            .drip("gone", 2, 5ms)
            .closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::NotSwitchingProtocols);
    QCOMPARE(spies.error().status(), WebErrorStatus::NotFound);
    QCOMPARE(spies.error().httpStatus(), 404);
    QCOMPARE(spies.error().httpBody(), QByteArray("gone"));
}

void tst_Lifecycle::invalidUpgradeAnswer_data()
{
    QTest::addColumn<QByteArray>("response"); // {ACCEPT} becomes the correct accept key
    QTest::addColumn<ErrorDetail>("detail");
    QTest::addColumn<WebErrorStatus>("status");
    const WebErrorStatus invalid = WebErrorStatus::ErrorHttpInvalidServerResponse;
    const QByteArray head
            = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    const QByteArray accept = "Sec-WebSocket-Accept: {ACCEPT}\r\n";

    // RFC 6455 §4.1, the client's checks of the 101
    QTest::newRow("wrong accept key") << head + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
                                      << ErrorDetail::AcceptKeyMismatch << invalid;
    QTest::newRow("missing accept key") << head + "\r\n" << ErrorDetail::MissingAcceptKey << invalid;
    QTest::newRow("two accept keys") << head + accept + accept + "\r\n"
                                     << ErrorDetail::DuplicateAcceptKey << invalid;
    QTest::newRow("missing Upgrade") << QByteArray(
                                                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n")
                    + accept + "\r\n" << ErrorDetail::MissingUpgradeHeader
                                     << invalid;
    QTest::newRow("Upgrade is not websocket")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n")
                    + accept + "\r\n"
            << ErrorDetail::MissingUpgradeHeader << invalid;
    QTest::newRow("missing Connection")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n") + accept + "\r\n"
            << ErrorDetail::MissingConnectionUpgrade << invalid;
    QTest::newRow("unrequested subprotocol") << head + accept + "Sec-WebSocket-Protocol: chat\r\n\r\n"
                                             << ErrorDetail::UnrequestedSubprotocol << invalid;
    // RFC 7692 §5: the answer to our permessage-deflate offer, each broken rule its own error
    QTest::newRow("extension not offered")
            << head + accept + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n"
            << ErrorDetail::UnrequestedExtension << invalid;
    QTest::newRow("extension header malformed")
            << head + accept + "Sec-WebSocket-Extensions: permessage-deflate; =15\r\n\r\n"
            << ErrorDetail::InvalidExtensionHeader << invalid;
    QTest::newRow("deflate accepted twice")
            << head + accept + "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate\r\n\r\n"
            << ErrorDetail::MultipleExtensions << invalid;
    QTest::newRow("deflate parameter unknown")
            << head + accept + "Sec-WebSocket-Extensions: permessage-deflate; fast\r\n\r\n"
            << ErrorDetail::UnknownExtensionParameter << invalid;
    QTest::newRow("deflate parameter twice")
            << head + accept
                    + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover\r\n\r\n"
            << ErrorDetail::DuplicateExtensionParameter << invalid;
    QTest::newRow("deflate window bits out of range")
            << head + accept + "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16\r\n\r\n"
            << ErrorDetail::InvalidExtensionParameterValue << invalid;
    QTest::newRow("HTTP/1.0 101") << QByteArray("HTTP/1.0 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                                "Connection: Upgrade\r\n")
                    + accept + "\r\n"
                                  << ErrorDetail::UnsupportedHttpVersion << invalid;
    // malformed HTTP
    QTest::newRow("garbage") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << ErrorDetail::MalformedStatusLine
                             << invalid;
    QTest::newRow("binary garbage") << QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\n", 12)
                                    << ErrorDetail::MalformedStatusLine << invalid;
    QTest::newRow("status code not numeric")
            << QByteArray("HTTP/1.1 1O1 Switching\r\n\r\n") << ErrorDetail::MalformedStatusLine << invalid;
    QTest::newRow("header without colon") << head + "this is not a header\r\n" + accept + "\r\n"
                                          << ErrorDetail::MalformedHeader << invalid;
    QTest::newRow("obsolete line folding") << head + accept + "X-Folded: a\r\n b\r\n\r\n"
                                           << ErrorDetail::MalformedHeader << invalid;
    // bounds (Apache's defaults: 8 KiB lines, 100 headers; 64 KiB in all)
    QTest::newRow("header line too long")
            << head + "X-Long: " + QByteArray(9000, 'x') + "\r\n" + accept + "\r\n"
            << ErrorDetail::HeaderLineTooLong << invalid;
    QByteArray many = head;
    for (int i = 0; i < 120; ++i)
        many += "X-H" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("too many headers") << many + accept + "\r\n" << ErrorDetail::TooManyHeaders << invalid;
    QByteArray large = head;
    for (int i = 0; i < 80; ++i)
        large += "X-Big" + QByteArray::number(i) + ": " + QByteArray(1000, 'b') + "\r\n";
    QTest::newRow("headers too large") << large + accept + "\r\n" << ErrorDetail::HeaderTooLarge << invalid;
}

void tst_Lifecycle::invalidUpgradeAnswer()
{
    QFETCH(QByteArray, response);
    QFETCH(ErrorDetail, detail);
    QFETCH(WebErrorStatus, status);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.sendComputed([response](const UpgradeRequest &request) {
        QByteArray bytes = response;
        return bytes.replace("{ACCEPT}", acceptKeyFor(request.key()));
    });
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, detail);
    QCOMPARE(spies.error().status(), status);
    QCOMPARE(spies.handshakes.size(), 1);
    QVERIFY(!spies.transcript().request.isEmpty());
    // nothing was sent after the request: no frame on a connection that never opened
    QTRY_VERIFY(server.isClientDisconnected());
    QCOMPARE(server.received(), server.request().raw);
}

void tst_Lifecycle::negotiatedProtocolInInformation()
{
    EchoServer server;
    QVERIFY(server.listen());
    server.setChooseFirstOfferedProtocol(true);
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.supportedProtocols = {u"v2.chat"_s, u"v1.chat"_s};
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QCOMPARE(server.lastRequest().offeredProtocols(), (QList<QByteArray>{"v2.chat", "v1.chat"}));
    QCOMPARE(ws.information().protocol, u"v2.chat"_s);
}

void tst_Lifecycle::protocolNotOfferedIsRefused()
{
    EchoServer server;
    QVERIFY(server.listen());
    server.setForcedProtocol("mqtt");
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.supportedProtocols = {u"chat"_s};
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    VERIFY_FAILED_BEFORE_OPEN(ws, spies, ErrorDetail::UnrequestedSubprotocol);
    QCOMPARE(spies.error().status(), WebErrorStatus::ErrorHttpInvalidServerResponse);
    QVERIFY(ws.information().protocol.isEmpty());
}

void tst_Lifecycle::handshakeTranscript()
{
    EchoServer server;
    QVERIFY(server.listen());
    server.addResponseHeader("X-Server", "echo");
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.setRequestHeader("X-Client", "tests"));
    QVERIFY(ws.connectAsync(server.url(u"/transcript"_s)));
    QVERIFY(waitConnected(spies));
    QCOMPARE(spies.handshakes.size(), 1);
    const HandshakeTranscript t = spies.transcript();
    QCOMPARE(t.request, server.lastRequest().raw); // exactly the bytes the server read
    QVERIFY(t.request.startsWith("GET /transcript HTTP/1.1\r\n"));
    QVERIFY(t.request.contains("X-Client: tests\r\n"));
    QCOMPARE(t.httpStatus, 101);
    QVERIFY(t.responseHeaders.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(t.responseHeaders.contains(
            QByteArray("Sec-WebSocket-Accept: " + acceptKeyFor(server.lastRequest().key()))));
    QVERIFY(t.responseHeaders.contains("X-Server: echo"));
    QVERIFY(t.responseHeaders.endsWith("\r\n\r\n"));
    QVERIFY(t.responseBody.isEmpty());
    const HandshakeTranscript info = ws.information().handshake;
    QCOMPARE(info.request, t.request);
    QCOMPARE(info.responseHeaders, t.responseHeaders);
    QCOMPARE(info.httpStatus, 101);
}

void tst_Lifecycle::keyDiffersPerConnection()
{
    // RFC 6455 §4.1 item 7: a fresh random 16-byte nonce for every connection
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    for (int i = 0; i < 4; ++i) {
        QVERIFY(ws.connectAsync(server.url()));
        QTRY_COMPARE(spies.connected.size(), i + 1);
        QVERIFY(ws.close());
        QTRY_COMPARE(spies.closed.size(), i + 1);
    }
    QCOMPARE(server.requests().size(), 4);
    std::set<QByteArray> keys;
    for (const UpgradeRequest &request : server.requests()) {
        QCOMPARE(QByteArray::fromBase64(request.key(), QByteArray::AbortOnBase64DecodingErrors).size(), 16);
        keys.insert(request.key());
    }
    QCOMPARE(keys.size(), size_t(4));
}

// --- open ------------------------------------------------------------------------------------

void tst_Lifecycle::idleTimeout()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade(); // then silence
    MessageWebSocket ws;
    QVERIFY(ws.setControl(withTimeouts(5s, 5s, 300ms)));
    ClientSpies spies(&ws);
    QElapsedTimer elapsed;
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    elapsed.start();
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QVERIFY(elapsed.elapsed() >= 250);
    QCOMPARE(spies.errors.size(), 1);
    QCOMPARE(spies.error().detail(), ErrorDetail::IdleTimeout);
    QCOMPARE(spies.error().status(), WebErrorStatus::Timeout);
    QCOMPARE(spies.closedArgs().code(), quint16(1006));
    QVERIFY(!spies.closedArgs().wasClean());
    QCOMPARE(ws.state(), ConnectionState::Failed); // ended by an error (wswenums.h)
}

void tst_Lifecycle::idleTimeoutRestartsOnTraffic()
{
    // pings every 100 ms for 800 ms keep a 500 ms idle timeout from firing
    ScriptedServer server;
    QVERIFY(server.listen());
    QByteArray pings;
    for (int i = 0; i < 8; ++i)
        pings += FrameBuilder::ping(QByteArray::number(i));
    MessageWebSocket ws;
    QVERIFY(ws.setControl(withTimeouts(5s, 5s, 500ms)));
    ClientSpies spies(&ws);
    bool openAfterPings = false;
    server.acceptUpgrade().drip(pings, FrameBuilder::ping("0").size(), 100ms).call([&] {
        openAfterPings = ws.state() == ConnectionState::Open;
    });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(server.isScriptFinished(), WaitMs);
    QVERIFY(openAfterPings);
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(server.clientFrames(Op::Pong).size(), 8);
    // and with the pings over, it fires
    QTRY_COMPARE_WITH_TIMEOUT(spies.errors.size(), 1, WaitMs);
    QCOMPARE(spies.error().detail(), ErrorDetail::IdleTimeout);
}

void tst_Lifecycle::serverDropsTcpMidMessage_data()
{
    QTest::addColumn<QByteArray>("partial");
    QTest::addColumn<bool>("reset");
    const QByteArray frame = FrameBuilder::binary(patternBytes(100));
    QTest::newRow("FIN inside a frame payload") << frame.left(50) << false;
    QTest::newRow("FIN inside a frame header") << frame.left(1) << false;
    QTest::newRow("FIN between fragments") << FrameBuilder::text("first half ", false) << false;
    QTest::newRow("FIN while idle") << QByteArray() << false;
    QTest::newRow("RST inside a frame payload") << frame.left(50) << true;
    QTest::newRow("RST while idle") << QByteArray() << true;
}

void tst_Lifecycle::serverDropsTcpMidMessage()
{
    // spec §12.9 item 1: abrupt loss -> errorOccurred(ConnectionAborted), closed(1006, wasClean = false)
    QFETCH(QByteArray, partial);
    QFETCH(bool, reset);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(FrameBuilder::text("complete")).send(partial).pause(50ms);
    if (reset)
        server.abortTcp();
    else
        server.closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QList<int> order; // 0 error, 1 closed
    connect(&ws, &MessageWebSocket::errorOccurred, this, [&] { order.append(0); });
    connect(&ws, &MessageWebSocket::closed, this, [&] { order.append(1); });
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(order, (QList<int>{0, 1}));
    QCOMPARE(spies.messages.size(), 1); // the complete message, never a half one
    QCOMPARE(spies.message(0).text(), u"complete"_s);
    const WebSocketError error = spies.error();
    if (reset) {
        QVERIFY2(error.detail() == ErrorDetail::ConnectionAborted
                         || error.detail() == ErrorDetail::ConnectionReset,
                 qPrintable(error.toString()));
    } else {
        QCOMPARE(error.detail(), ErrorDetail::ConnectionAborted);
        QCOMPARE(error.status(), WebErrorStatus::ConnectionAborted);
    }
    QCOMPARE(spies.closedArgs().code(), quint16(1006));
    QVERIFY(spies.closedArgs().reason().isEmpty());
    QVERIFY(!spies.closedArgs().wasClean());
    QCOMPARE(ws.state(), ConnectionState::Failed);
    QVERIFY(!server.clientSentClose()); // nobody to send it to
}

void tst_Lifecycle::maxMessageSizeExceeded_data()
{
    QTest::addColumn<QByteArray>("frames");
    QTest::addColumn<bool>("fails");
    QTest::newRow("one frame of exactly the limit") << FrameBuilder::binary(patternBytes(1000)) << false;
    QTest::newRow("one frame over the limit") << FrameBuilder::binary(patternBytes(1001)) << true;
    QTest::newRow("text frame over the limit") << FrameBuilder::text(asciiBytes(1001)) << true;
    QTest::newRow("fragments summing to the limit")
            << FrameBuilder::binary(patternBytes(600), false) + FrameBuilder::continuation(patternBytes(400))
            << false;
    QTest::newRow("fragments over the limit")
            << FrameBuilder::binary(patternBytes(600), false) + FrameBuilder::continuation(patternBytes(401))
            << true;
    // the announced length is enough: nothing is allocated for a 2^62-byte frame (RFC 6455 §10.4)
    FrameBuilder huge;
    huge.opcode = Op::Binary;
    huge.declaredLength = quint64(1) << 62;
    QTest::newRow("header announcing 2^62 bytes") << huge.build(patternBytes(10)) << true;
}

void tst_Lifecycle::maxMessageSizeExceeded()
{
    // spec §12.9 item 1: a message over MaxMessageSize -> close 1009, MessageTooBig, closed
    QFETCH(QByteArray, frames);
    QFETCH(bool, fails);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().send(frames).send(FrameBuilder::text("after")).waitForClose().closeTcp();
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.maxMessageSize = 1000;
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    if (!fails) {
        QTRY_COMPARE(spies.messages.size(), 2);
        QCOMPARE(spies.message(0).data().size(), 1000);
        QCOMPARE(spies.errors.size(), 0);
        QVERIFY(ws.close());
        QTRY_COMPARE(spies.closed.size(), 1);
        return;
    }
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(spies.messages.size(), 0);
    QCOMPARE(spies.errors.size(), 1);
    QCOMPARE(spies.error().detail(), ErrorDetail::MessageTooBig);
    QCOMPARE(spies.error().status(), WebErrorStatus::UnexpectedServerError);
    QCOMPARE(spies.closedArgs().code(), quint16(1009));
    QVERIFY(!spies.closedArgs().wasClean());
    QTRY_VERIFY(server.clientSentClose());
    QCOMPARE(server.clientCloseCode(), quint16(1009));
    QCOMPARE(ws.state(), ConnectionState::Failed);
}

void tst_Lifecycle::nothingLostBeforeCloseFrame()
{
    // frames sent before close() go out before the close frame
    constexpr int Count = 1000;
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().waitForClose().send(FrameBuilder::close(1000)).closeTcp();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    for (int i = 0; i < Count; ++i)
        QVERIFY(ws.sendBinaryMessage(QByteArray(QByteArray::number(i) + patternBytes(i % 300))));
    QVERIFY(ws.close(1000));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QVERIFY(spies.closedArgs().wasClean());
    const QList<ParsedFrame> frames = server.clientFrames();
    QCOMPARE(frames.size(), Count + 1);
    for (int i = 0; i < Count; ++i) {
        QCOMPARE(frames[i].opcode, Op::Binary);
        QCOMPARE(frames[i].payload, QByteArray(QByteArray::number(i) + patternBytes(i % 300)));
    }
    QCOMPARE(frames.last().opcode, Op::Close);
    QCOMPARE(closeCodeOf(frames.last().payload), quint16(1000));
}

void tst_Lifecycle::bufferedAmountAndBytesWritten()
{
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QTRY_COMPARE(ws.bufferedAmount(), qint64(0));
    qint64 written = 0;
    connect(&ws, &MessageWebSocket::bytesWritten, this, [&](qint64 bytes) {
        QVERIFY(bytes > 0);
        written += bytes;
    });
    // 16 MiB cannot all be taken by the kernel at once: part of it waits in the queue
    constexpr qsizetype Size = 16 * 1024 * 1024;
    QVERIFY(ws.sendBinaryMessage(patternBytes(Size)));
    const qint64 frameBytes = Size + 2 + 8 + 4; // header with 64-bit length and mask
    QVERIFY2(ws.bufferedAmount() > 0, "nothing was queued after a 16 MiB send");
    QVERIFY(ws.bufferedAmount() <= frameBytes);
    QTRY_COMPARE_WITH_TIMEOUT(ws.bufferedAmount(), qint64(0), 20000);
    // bytesWritten counts frame bytes only (api/messagewebsocket.h), each exactly once
    QTRY_COMPARE_WITH_TIMEOUT(written, frameBytes, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(spies.messages.size(), 1, 20000);
    QCOMPARE(spies.message(0).data().size(), Size);
    QVERIFY(ws.sendBinaryMessage("x"));
    QTRY_COMPARE(written, frameBytes + 2 + 4 + 1);
}

void tst_Lifecycle::bytesWrittenCountsOnlyFrameBytes()
{
    // api/messagewebsocket.h: bytesWritten reports "bytes of frames written to the socket";
    // a listener connected before connectAsync() must not see the upgrade request counted
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    qint64 written = 0;
    connect(&ws, &MessageWebSocket::bytesWritten, this, [&](qint64 bytes) { written += bytes; });
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QVERIFY(ws.sendBinaryMessage("hello"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QTRY_COMPARE(ws.bufferedAmount(), qint64(0));
    QCOMPARE(written, qint64(2 + 4 + 5)); // one masked 5-byte frame, nothing else
}

void tst_Lifecycle::maxBufferedAmountRefusesSends()
{
    ScriptedServer server; // reads everything, answers nothing
    QVERIFY(server.listen());
    server.acceptUpgrade();
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.maxBufferedAmountBytes = 1024 * 1024;
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    // one message larger than the limit is still accepted (messagewebsocketcontrol.h)
    QVERIFY(ws.sendBinaryMessage(patternBytes(16 * 1024 * 1024)));
    QVERIFY(ws.bufferedAmount() >= qint64(control.maxBufferedAmountBytes));
    QVERIFY(!ws.sendBinaryMessage("more"));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::SendBufferFull);
    QCOMPARE(ws.state(), ConnectionState::Open);
    // once drained, sends are accepted again
    QTRY_VERIFY_WITH_TIMEOUT(ws.bufferedAmount() < qint64(control.maxBufferedAmountBytes), 20000);
    QVERIFY(ws.sendBinaryMessage("more"));
    QTRY_COMPARE_WITH_TIMEOUT(server.clientFrames().size(), 2, 20000);
    QCOMPARE(server.clientFrames().at(1).payload, QByteArray("more"));
}

void tst_Lifecycle::frameObservedReportsBothDirections()
{
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QList<FrameInfo> frames;
    connect(&ws, &MessageWebSocket::frameObserved, this, [&](const FrameInfo &f) { frames.append(f); });
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    ws.setMessageType(SocketMessageType::Utf8);
    QVERIFY(ws.sendMessage("hello"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QVERIFY(ws.ping("p"));
    QTRY_COMPARE(spies.pongs.size(), 1);
    QVERIFY(ws.sendNonfinalFrame(asciiBytes(200)));
    QVERIFY(ws.sendFinalFrame("!"));
    QTRY_COMPARE(spies.messages.size(), 2);

    QCOMPARE(frames.size(), 7); // text out/in, ping out, pong in, two fragments out, text in
    const FrameInfo &out = frames[0];
    QCOMPARE(out.direction, FrameDirection::Outgoing);
    QCOMPARE(out.opcode, Op::Text);
    QVERIFY(out.fin);
    QVERIFY(out.masked);
    QCOMPARE(out.maskKey, server.clientFrames().at(0).maskKey);
    QCOMPARE(out.payloadLength, 5u);
    QVERIFY(out.timestampMs > 0);
    const FrameInfo &in = frames[1];
    QCOMPARE(in.direction, FrameDirection::Incoming);
    QCOMPARE(in.opcode, Op::Text);
    QVERIFY(in.fin);
    QVERIFY(!in.masked);
    QCOMPARE(in.payloadLength, 5u);
    QCOMPARE(frames[2].direction, FrameDirection::Outgoing);
    QCOMPARE(frames[2].opcode, Op::Ping);
    QCOMPARE(frames[2].payloadLength, 1u);
    QCOMPARE(frames[3].direction, FrameDirection::Incoming);
    QCOMPARE(frames[3].opcode, Op::Pong);
    QCOMPARE(frames[4].direction, FrameDirection::Outgoing);
    QCOMPARE(frames[4].opcode, Op::Text);
    QVERIFY(!frames[4].fin);
    QCOMPARE(frames[4].payloadLength, 200u);
    QCOMPARE(frames[5].opcode, Op::Continuation);
    QVERIFY(frames[5].fin);
    QCOMPARE(frames[6].direction, FrameDirection::Incoming);
    QCOMPARE(frames[6].payloadLength, 201u);
}

void tst_Lifecycle::everyFrameMaskedWithAFreshKey()
{
    // RFC 6455 §5.3: every client frame masked, with a new unpredictable key each time
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.outboundFrameSizeInBytes = 100; // plus fragmented messages
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    for (int i = 0; i < 100; ++i)
        QVERIFY(ws.sendBinaryMessage(patternBytes(i * 3)));
    for (int i = 0; i < 20; ++i)
        QVERIFY(ws.ping(QByteArray::number(i)));
    QVERIFY(ws.close(1000));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    const QList<ParsedFrame> frames = server.clientFrames();
    QVERIFY(frames.size() > 120);
    std::set<quint32> keys;
    for (const ParsedFrame &f : frames) {
        QVERIFY(f.masked);
        keys.insert(f.maskKey);
    }
    QCOMPARE(keys.size(), size_t(frames.size()));
    // and the masking was applied correctly: the server unmasked the right bytes
    QCOMPARE(spies.messages.size(), 100);
    QCOMPARE(spies.message(99).data(), patternBytes(297));
}

void tst_Lifecycle::unsolicitedPongInterval()
{
    // RFC 6455 §5.5.3: an unsolicited pong is a heartbeat; actual interval at least 1 s
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().waitForFrames(2);
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.desiredUnsolicitedPongInterval = 1000ms;
    QVERIFY(ws.setControl(control));
    QCOMPARE(ws.information().actualUnsolicitedPongInterval, 1000ms);
    ClientSpies spies(&ws);
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(server.isScriptFinished(), 4000);
    QVERIFY(elapsed.elapsed() >= 1900);
    const QList<ParsedFrame> frames = server.clientFrames();
    QCOMPARE(frames.at(0).opcode, Op::Pong);
    QVERIFY(frames.at(0).fin);
    QVERIFY(frames.at(0).masked);
    QCOMPARE(frames.at(1).opcode, Op::Pong);
    QCOMPARE(spies.errors.size(), 0);

    MessageWebSocket clamped;
    control.desiredUnsolicitedPongInterval = 100ms;
    QVERIFY(clamped.setControl(control));
    QCOMPARE(clamped.information().actualUnsolicitedPongInterval, 1000ms);
    control.desiredUnsolicitedPongInterval = 0ms;
    QVERIFY(clamped.setControl(control));
    QCOMPARE(clamped.information().actualUnsolicitedPongInterval, 0ms);
}

void tst_Lifecycle::partialMessagePiecesOfFragments()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade()
            .send(FrameBuilder::text("ab", false))
            .send(FrameBuilder::continuation("cd", false))
            .send(FrameBuilder::continuation("ef", true))
            .send(FrameBuilder::binary(""))
            .waitForClose()
            .closeTcp();
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.receiveMode = MessageWebSocketReceiveMode::PartialMessage;
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_VERIFY(spies.messages.size() >= 4);
    QByteArray text;
    qsizetype i = 0;
    for (; i < spies.messages.size(); ++i) {
        const auto piece = spies.message(i);
        QCOMPARE(piece.messageType(), SocketMessageType::Utf8);
        text += piece.data();
        if (piece.isMessageComplete())
            break;
    }
    QCOMPARE(text, QByteArray("abcdef"));
    QVERIFY(i >= 2); // pieces as they came: at least one per fragment
    // the empty binary message is a message of its own, complete
    QTRY_COMPARE(spies.messages.size(), i + 2);
    QCOMPARE(spies.message(i + 1).messageType(), SocketMessageType::Binary);
    QVERIFY(spies.message(i + 1).data().isEmpty());
    QVERIFY(spies.message(i + 1).isMessageComplete());
    QVERIFY(ws.close());
    QTRY_COMPARE(spies.closed.size(), 1);
}

void tst_Lifecycle::partialMessagePiecesOfADrippedFrame()
{
    // a single 64 KiB frame dripped in 1 KiB pieces arrives in more than one piece
    ScriptedServer server;
    QVERIFY(server.listen());
    const QByteArray data = patternBytes(64 * 1024);
    server.acceptUpgrade().drip(FrameBuilder::binary(data), 1024, 2ms);
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.receiveMode = MessageWebSocketReceiveMode::PartialMessage;
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(!spies.messages.isEmpty()
                                     && spies.message(spies.messages.size() - 1).isMessageComplete(),
                             WaitMs);
    QVERIFY(spies.messages.size() > 1);
    QByteArray joined;
    for (qsizetype i = 0; i < spies.messages.size(); ++i) {
        QCOMPARE(spies.message(i).isMessageComplete(), i == spies.messages.size() - 1);
        QCOMPARE(spies.message(i).messageType(), SocketMessageType::Binary);
        joined += spies.message(i).data();
    }
    QCOMPARE(joined, data);
}

void tst_Lifecycle::partialMessageTextPiecesAreWholeCodePoints()
{
    // spec §12.9 item 7: PartialMessage text pieces are cut at code point boundaries
    ScriptedServer server;
    QVERIFY(server.listen());
    const QByteArray text = "κόσμε€𝄞";
    QByteArray frames;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QByteArray byte = text.mid(i, 1);
        frames += i == 0 ? FrameBuilder::text(byte, false)
                         : FrameBuilder::continuation(byte, i == text.size() - 1);
    }
    server.acceptUpgrade().drip(frames, 3, 1ms);
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.receiveMode = MessageWebSocketReceiveMode::PartialMessage;
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(!spies.messages.isEmpty()
                                     && spies.message(spies.messages.size() - 1).isMessageComplete(),
                             WaitMs);
    QByteArray joined;
    for (qsizetype i = 0; i < spies.messages.size(); ++i) {
        const QByteArray piece = spies.message(i).data();
        QVERIFY2(QString::fromUtf8(piece).toUtf8() == piece, piece.toHex().constData()); // whole code points
        joined += piece;
    }
    QCOMPARE(joined, text);
    QCOMPARE(spies.errors.size(), 0);
}

// --- closing ---------------------------------------------------------------------------------

void tst_Lifecycle::closeTimeoutWhenServerNeverAnswers()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().waitForClose(); // then silence: no close frame, TCP stays open
    MessageWebSocket ws;
    QVERIFY(ws.setControl(withTimeouts(5s, 300ms)));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(ws.close(1000));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QVERIFY(elapsed.elapsed() >= 250);
    QCOMPARE(spies.closedArgs().code(), quint16(1006)); // no close frame came back
    QVERIFY(!spies.closedArgs().wasClean());
    QCOMPARE(spies.errors.size(), 1);
    QCOMPARE(spies.error().detail(), ErrorDetail::CloseTimeout);
    QCOMPARE(spies.error().status(), WebErrorStatus::Timeout);
    // ended with an error: Failed (wswenums.h "Failed: ended before Open, or by an error")
    QCOMPARE(ws.state(), ConnectionState::Failed);
    QTRY_VERIFY(server.isClientDisconnected());
    // exactly once, also later
    QVERIFY(!QTest::qWaitFor([&] { return spies.closed.size() > 1; }, 400));
    QCOMPARE(spies.errors.size(), 1);
}

void tst_Lifecycle::closeTimeoutAfterBothCloseFramesIsClean()
{
    // both close frames exchanged; the server just never closes TCP (RFC 6455 §7.1.1)
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().waitForClose().send(FrameBuilder::close(1000, "ok"));
    MessageWebSocket ws;
    QVERIFY(ws.setControl(withTimeouts(5s, 300ms)));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QVERIFY(ws.close(1000));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QCOMPARE(spies.closedArgs().code(), quint16(1000));
    QCOMPARE(spies.closedArgs().reason(), u"ok"_s);
    QVERIFY(spies.closedArgs().wasClean());
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(ws.state(), ConnectionState::Closed);
    QTRY_VERIFY(server.isClientDisconnected());
}

void tst_Lifecycle::serverInitiatedCloseWaitsForServerTcpClose()
{
    // RFC 6455 §7.1.1: the client answers the close and waits for the server to close TCP
    ScriptedServer server;
    QVERIFY(server.listen());
    bool closedBeforeTcpEnd = true;
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    server.acceptUpgrade()
            .send(FrameBuilder::close(4001, "server says bye"))
            .waitForClose()
            .pause(200ms)
            .call([&] { closedBeforeTcpEnd = !spies.closed.isEmpty(); })
            .closeTcp();
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QVERIFY(!closedBeforeTcpEnd);
    QCOMPARE(server.clientCloseCode(), quint16(4001)); // the same code, echoed (RFC 6455 §5.5.1)
    QCOMPARE(spies.closedArgs().code(), quint16(4001));
    QCOMPARE(spies.closedArgs().reason(), u"server says bye"_s);
    QVERIFY(spies.closedArgs().wasClean());
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(ws.state(), ConnectionState::Closed);
    QCOMPARE(spies.stateList().mid(2),
             (QList<ConnectionState>{ConnectionState::Open, ConnectionState::Closing,
                                     ConnectionState::Closed}));
}

void tst_Lifecycle::abortWhileOpen()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().waitForDisconnect();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    ws.abort();
    QCOMPARE(ws.state(), ConnectionState::Closed);
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(spies.closedArgs().code(), quint16(1006));
    QVERIFY(!spies.closedArgs().wasClean());
    QCOMPARE(spies.errors.size(), 0);
    QTRY_VERIFY(server.isScriptFinished());
    QVERIFY(!server.clientSentClose()); // abort() sends no close frame
}

void tst_Lifecycle::abortWhileClosing()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().waitForClose().waitForDisconnect();
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QVERIFY(ws.close());
    QCOMPARE(ws.state(), ConnectionState::Closing);
    ws.abort();
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(spies.closedArgs().code(), quint16(1006));
    QVERIFY(!spies.closedArgs().wasClean());
    QCOMPARE(ws.state(), ConnectionState::Closed);
    QTRY_VERIFY(server.isScriptFinished());
    QVERIFY(!QTest::qWaitFor([&] { return spies.closed.size() > 1; }, 200));
}

QTEST_GUILESS_MAIN(tst_Lifecycle)
#include "tst_lifecycle.moc"
