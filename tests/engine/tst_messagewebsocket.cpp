// The public API of MessageWebSocket: misuse, argument validation, the Control lock, sending in
// every form, reconnecting. Spec §12.2 (API), §12.8 (errors), §12.9 (deliberate differences).
#include "api/messagewebsocket.h"

#include <memory>

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "echoserver.h"
#include "enginetest.h"
#include "scriptedserver.h"

using namespace Qt::Literals::StringLiterals;
using namespace Wsw;
using namespace Wsw::Test;

class tst_MessageWebSocket final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void initialState();
    void callsBeforeConnectAreRefused_data();
    void callsBeforeConnectAreRefused();
    void connectAsyncRefusesBadUrl_data();
    void connectAsyncRefusesBadUrl();
    void connectAsyncWssToAClosedPort();
    void connectAsyncRefusedWhileConnectingOrOpen();

    void setRequestHeaderRules_data();
    void setRequestHeaderRules();
    void requestHeadersAreSent();
    void requestHeadersLockedOnceConnecting();

    void closeWithoutArgumentsSendsEmptyCloseFrame();
    void closeSendableCodeIsSentAndEchoed_data();
    void closeSendableCodeIsSentAndEchoed();
    void closeRefusesUnsendableCode_data();
    void closeRefusesUnsendableCode();
    void closeReasonLength_data();
    void closeReasonLength();
    void callsAfterCloseAreRefused();

    void pingPayloadLimit_data();
    void pingPayloadLimit();
    void sendUtf8RefusesInvalidUtf8_data();
    void sendUtf8RefusesInvalidUtf8();
    void messagesAreEchoedInTheirType_data();
    void messagesAreEchoedInTheirType();
    void dataStreamIsFreshOnEveryCall();
    void receivedDataKeptBySlotsStaysIntact();

    void fragmentedSendFrameSequence();
    void fragmentedSendRefusesWholeMessageInBetween();
    void fragmentedTextMaySplitACodePoint();
    void finalFrameAloneIsAOneFrameMessage();
    void fragmentedMessageKeepsItsType();

    void messageTypeSwitchesLive();
    void setControlRefusedWhileOpen_data();
    void setControlRefusedWhileOpen();
    void setControlRefusedWhileConnecting();
    void setControlAllowedAgainAfterClose();
    void setControlValidatesValues_data();
    void setControlValidatesValues();

    void reconnectAfterClose();
    void reconnectAfterFailure();
    void serverCloseIsAnsweredAndReported();
    void serverPushThenDropThenReconnect();
    void informationSnapshot();
    void destructorSendsGoingAway();
    void signalsNeverComeFromInsideAPublicCall();

private:
    /** Opens ws on a fresh EchoServer; the server outlives the test function through m_echo. */
    bool openOnEcho(MessageWebSocket &ws, ClientSpies &spies);

    std::unique_ptr<EchoServer> m_echo;
};

void tst_MessageWebSocket::initTestCase()
{
    qRegisterMetaType<ConnectionState>();
}

bool tst_MessageWebSocket::openOnEcho(MessageWebSocket &ws, ClientSpies &spies)
{
    m_echo = std::make_unique<EchoServer>();
    if (!m_echo->listen())
        return false;
    if (!ws.connectAsync(m_echo->url()))
        return false;
    return waitConnected(spies);
}

// --- state and misuse ------------------------------------------------------------------------

void tst_MessageWebSocket::initialState()
{
    MessageWebSocket ws;
    QCOMPARE(ws.state(), ConnectionState::Idle);
    QVERIFY(!ws.lastError().isError());
    QCOMPARE(ws.bufferedAmount(), 0);
    QVERIFY(ws.information().protocol.isNull()); // spec §12.4: null before connect
    QCOMPARE(ws.control(), MessageWebSocketControl());
    QCOMPARE(ws.control().messageType, SocketMessageType::Binary);
    QCOMPARE(ws.control().maxMessageSize, InfiniteMessageSize);
}

void tst_MessageWebSocket::callsBeforeConnectAreRefused_data()
{
    QTest::addColumn<int>("call");
    QTest::newRow("sendMessage") << 0;
    QTest::newRow("sendTextMessage") << 1;
    QTest::newRow("sendBinaryMessage") << 2;
    QTest::newRow("sendNonfinalFrame") << 3;
    QTest::newRow("sendFinalFrame") << 4;
    QTest::newRow("ping") << 5;
    QTest::newRow("close()") << 6;
    QTest::newRow("close(1000)") << 7;
}

void tst_MessageWebSocket::callsBeforeConnectAreRefused()
{
    // spec §12.8: E_ILLEGAL_METHOD_CALL becomes false + InvalidState, nothing emitted
    QFETCH(int, call);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    bool ok = true;
    switch (call) {
    case 0: ok = ws.sendMessage("x"); break;
    case 1: ok = ws.sendTextMessage(u"x"); break;
    case 2: ok = ws.sendBinaryMessage("x"); break;
    case 3: ok = ws.sendNonfinalFrame("x"); break;
    case 4: ok = ws.sendFinalFrame("x"); break;
    case 5: ok = ws.ping("x"); break;
    case 6: ok = ws.close(); break;
    case 7: ok = ws.close(1000, u"bye"_s); break;
    }
    QVERIFY(!ok);
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QVERIFY(!ws.lastError().message().isEmpty());
    QCOMPARE(ws.state(), ConnectionState::Idle);
    QCoreApplication::processEvents();
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(spies.closed.size(), 0);
    QCOMPARE(spies.states.size(), 0);
}

void tst_MessageWebSocket::connectAsyncRefusesBadUrl_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<ErrorDetail>("detail");
    // RFC 6455 §3: ws/wss, absolute, with a host, no fragment
    QTest::newRow("http scheme") << QUrl(u"http://127.0.0.1/chat"_s) << ErrorDetail::UnsupportedScheme;
    QTest::newRow("https scheme") << QUrl(u"https://127.0.0.1/"_s) << ErrorDetail::UnsupportedScheme;
    QTest::newRow("ftp scheme") << QUrl(u"ftp://127.0.0.1/"_s) << ErrorDetail::UnsupportedScheme;
    QTest::newRow("relative path") << QUrl(u"chat/room"_s) << ErrorDetail::InvalidUrl;
    QTest::newRow("fragment") << QUrl(u"ws://127.0.0.1/chat#top"_s) << ErrorDetail::InvalidUrl;
    QTest::newRow("empty fragment") << QUrl(u"ws://127.0.0.1/chat#"_s) << ErrorDetail::InvalidUrl;
    QTest::newRow("no host") << QUrl(u"ws:///chat"_s) << ErrorDetail::InvalidUrl;
    QTest::newRow("empty url") << QUrl() << ErrorDetail::InvalidUrl;
}

void tst_MessageWebSocket::connectAsyncRefusesBadUrl()
{
    QFETCH(QUrl, url);
    QFETCH(ErrorDetail, detail);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(!ws.connectAsync(url));
    QCOMPARE(ws.lastError().detail(), detail);
    QVERIFY(!ws.lastError().message().isEmpty());
    QCOMPARE(ws.state(), ConnectionState::Idle);
    QCoreApplication::processEvents();
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(spies.states.size(), 0);
}

void tst_MessageWebSocket::connectAsyncWssToAClosedPort()
{
    // wss:// is accepted (tests/engine/tst_tls.cpp has the rest); nothing listens on port 1
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY2(ws.connectAsync(QUrl(u"wss://127.0.0.1:1/"_s)), qPrintable(ws.lastError().toString()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.errors.size(), 1, WaitMs);
    QCOMPARE(spies.error().detail(), ErrorDetail::ConnectionRefused);
    QCOMPARE(spies.error().status(), WebErrorStatus::CannotConnect);
    QCOMPARE(ws.state(), ConnectionState::Failed);
    QVERIFY(!spies.stateList().contains(ConnectionState::TlsHandshaking));
    QVERIFY(!ws.information().tls.encrypted);
}

void tst_MessageWebSocket::connectAsyncRefusedWhileConnectingOrOpen()
{
    ScriptedServer silent; // answers nothing: the client stays in AwaitingUpgrade
    QVERIFY(silent.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(silent.url()));
    QVERIFY(!ws.connectAsync(silent.url()));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QTRY_COMPARE(ws.state(), ConnectionState::AwaitingUpgrade);
    QVERIFY(!ws.connectAsync(silent.url()));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    ws.abort();
    QTRY_COMPARE(spies.errors.size(), 1);

    MessageWebSocket open;
    ClientSpies openSpies(&open);
    QVERIFY(openOnEcho(open, openSpies));
    QVERIFY(!open.connectAsync(m_echo->url()));
    QCOMPARE(open.lastError().detail(), ErrorDetail::InvalidState);
    QCOMPARE(open.state(), ConnectionState::Open);
    QCOMPARE(m_echo->connectionCount(), 1);
}

// --- request headers -------------------------------------------------------------------------

void tst_MessageWebSocket::setRequestHeaderRules_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<ErrorDetail>("detail"); // None: accepted

    QTest::newRow("custom header") << QByteArray("X-Client") << QByteArray("workbench") << ErrorDetail::None;
    QTest::newRow("authorization") << QByteArray("Authorization") << QByteArray("Bearer abc")
                                   << ErrorDetail::None;
    QTest::newRow("origin") << QByteArray("Origin") << QByteArray("http://example.com") << ErrorDetail::None;
    QTest::newRow("empty value") << QByteArray("X-Empty") << QByteArray("") << ErrorDetail::None;
    QTest::newRow("value with tab") << QByteArray("X-Tab") << QByteArray("a\tb") << ErrorDetail::None;
    // spec §12.2: headers the engine owns, and Sec-WebSocket-Extensions
    QTest::newRow("Host") << QByteArray("Host") << QByteArray("evil") << ErrorDetail::ForbiddenHeader;
    QTest::newRow("Upgrade") << QByteArray("Upgrade") << QByteArray("h2c") << ErrorDetail::ForbiddenHeader;
    QTest::newRow("Connection") << QByteArray("Connection") << QByteArray("close")
                                << ErrorDetail::ForbiddenHeader;
    QTest::newRow("Sec-WebSocket-Key")
            << QByteArray("Sec-WebSocket-Key") << QByteArray("x") << ErrorDetail::ForbiddenHeader;
    QTest::newRow("Sec-WebSocket-Version")
            << QByteArray("Sec-WebSocket-Version") << QByteArray("8") << ErrorDetail::ForbiddenHeader;
    QTest::newRow("Sec-WebSocket-Protocol")
            << QByteArray("Sec-WebSocket-Protocol") << QByteArray("chat") << ErrorDetail::ForbiddenHeader;
    QTest::newRow("Sec-WebSocket-Extensions")
            << QByteArray("Sec-WebSocket-Extensions") << QByteArray("permessage-deflate")
            << ErrorDetail::ForbiddenHeader;
    QTest::newRow("owned name in lower case")
            << QByteArray("sec-websocket-key") << QByteArray("x") << ErrorDetail::ForbiddenHeader;
    // header injection and malformed names (RFC 7230 §3.2)
    QTest::newRow("CRLF in value") << QByteArray("X-A") << QByteArray("a\r\nX-Injected: 1")
                                   << ErrorDetail::InvalidHeader;
    QTest::newRow("LF in value") << QByteArray("X-A") << QByteArray("a\nb") << ErrorDetail::InvalidHeader;
    QTest::newRow("CR in value") << QByteArray("X-A") << QByteArray("a\rb") << ErrorDetail::InvalidHeader;
    QTest::newRow("NUL in value") << QByteArray("X-A") << QByteArray("a\0b", 3) << ErrorDetail::InvalidHeader;
    QTest::newRow("empty name") << QByteArray("") << QByteArray("v") << ErrorDetail::InvalidHeader;
    QTest::newRow("space in name") << QByteArray("X A") << QByteArray("v") << ErrorDetail::InvalidHeader;
    QTest::newRow("colon in name") << QByteArray("X:A") << QByteArray("v") << ErrorDetail::InvalidHeader;
    QTest::newRow("CRLF in name") << QByteArray("X\r\nA") << QByteArray("v") << ErrorDetail::InvalidHeader;
}

void tst_MessageWebSocket::setRequestHeaderRules()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(ErrorDetail, detail);
    MessageWebSocket ws;
    const bool ok = ws.setRequestHeader(name, value);
    QCOMPARE(ok, detail == ErrorDetail::None);
    if (!ok) {
        QCOMPARE(ws.lastError().detail(), detail);
        QVERIFY(!ws.lastError().message().isEmpty());
        return;
    }
    // an accepted header reaches the server as given
    EchoServer server;
    QVERIFY(server.listen());
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QCOMPARE(server.lastRequest().headerCount(name), 1);
    QCOMPARE(server.lastRequest().header(name), value.trimmed());
}

void tst_MessageWebSocket::requestHeadersAreSent()
{
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.setRequestHeader("X-First", "1"));
    QVERIFY(ws.setRequestHeader("X-Second", "2"));
    QVERIFY(ws.setRequestHeader("x-first", "replaced")); // same name, any case: replaced
    QVERIFY(ws.setRequestHeader("X-Gone", "3"));
    QVERIFY(ws.clearRequestHeaders());
    QVERIFY(ws.setRequestHeader("X-First", "1"));
    QVERIFY(ws.setRequestHeader("X-Second", "2"));
    QVERIFY(ws.setRequestHeader("X-First", "again"));
    QVERIFY(ws.connectAsync(server.url(u"/room/7"_s)));
    QVERIFY(waitConnected(spies));

    const UpgradeRequest request = server.lastRequest();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.target, QByteArray("/room/7"));
    QCOMPARE(request.version, QByteArray("HTTP/1.1"));
    QCOMPARE(request.headerCount("X-First"), 1);
    QCOMPARE(request.header("X-First"), QByteArray("again"));
    QCOMPARE(request.header("X-Second"), QByteArray("2"));
    QCOMPARE(request.headerCount("X-Gone"), 0);
    // RFC 6455 §4.1 items 4-9
    QCOMPARE(request.header("Host"), QByteArray("127.0.0.1:") + QByteArray::number(server.port()));
    QCOMPARE(request.header("Upgrade").toLower(), QByteArray("websocket"));
    QVERIFY(request.header("Connection").toLower().contains("upgrade"));
    QCOMPARE(request.header("Sec-WebSocket-Version"), QByteArray("13"));
    QCOMPARE(QByteArray::fromBase64(request.key()).size(), 16);
    QCOMPARE(request.headerCount("Sec-WebSocket-Protocol"), 0); // none offered
    // RFC 7692: permessage-deflate is offered by default, as browsers do
    QCOMPARE(request.header("Sec-WebSocket-Extensions"), QByteArray("permessage-deflate; client_max_window_bits"));
}

void tst_MessageWebSocket::requestHeadersLockedOnceConnecting()
{
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.setRequestHeader("X-Before", "1"));
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY(!ws.setRequestHeader("X-After", "1"));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QVERIFY(!ws.clearRequestHeaders());
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QCOMPARE(m_echo->lastRequest().header("X-Before"), QByteArray("1"));
}

// --- close -----------------------------------------------------------------------------------

void tst_MessageWebSocket::closeWithoutArgumentsSendsEmptyCloseFrame()
{
    // spec §12.2: close() sends an empty close frame, like Windows (QWebSocket would send 1000)
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY(ws.close());
    QCOMPARE(ws.state(), ConnectionState::Closing);
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(m_echo->clientFrames().size(), 1);
    QCOMPARE(m_echo->clientFrames().at(0).opcode, Op::Close);
    QVERIFY(m_echo->clientFrames().at(0).payload.isEmpty());
    // the echo has no code either: 1005 (RFC 6455 §7.1.5)
    QCOMPARE(spies.closedArgs().code(), quint16(1005));
    QCOMPARE(spies.closedArgs().reason(), QString());
    QVERIFY(spies.closedArgs().wasClean());
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(ws.state(), ConnectionState::Closed);
}

void tst_MessageWebSocket::closeSendableCodeIsSentAndEchoed_data()
{
    QTest::addColumn<quint16>("code");
    QTest::addColumn<QString>("reason");
    // RFC 6455 §7.4.1 and §7.4.2, IANA registry (1012-1014)
    for (quint16 code :
         {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
        QTest::addRow("%d", int(code)) << code << QString();
    QTest::newRow("1000 with reason") << quint16(1000) << u"bye"_s;
    QTest::newRow("4000 with non-ASCII reason") << quint16(4000) << u"tschüß κόσμε"_s;
}

void tst_MessageWebSocket::closeSendableCodeIsSentAndEchoed()
{
    QFETCH(quint16, code);
    QFETCH(QString, reason);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY2(ws.close(code, reason), qPrintable(ws.lastError().toString()));
    QTRY_COMPARE(spies.closed.size(), 1);
    const QList<ParsedFrame> frames = m_echo->clientFrames();
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.at(0).opcode, Op::Close);
    QCOMPARE(closeCodeOf(frames.at(0).payload), code);
    QCOMPARE(closeReasonOf(frames.at(0).payload), reason.toUtf8());
    // EchoServer echoes the payload: the peer's code and reason come back
    QCOMPARE(spies.closedArgs().code(), code);
    QCOMPARE(spies.closedArgs().reason(), reason);
    QVERIFY(spies.closedArgs().wasClean());
    QCOMPARE(ws.state(), ConnectionState::Closed);
}

void tst_MessageWebSocket::closeRefusesUnsendableCode_data()
{
    QTest::addColumn<quint16>("code");
    // RFC 6455 §7.4.1/§7.4.2: 1004-1006 and 1015 are reserved, <1000 and 1016-2999 are not assigned to
    // applications, >4999 is out of range
    for (quint16 code : {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
        QTest::addRow("%d", int(code)) << code;
}

void tst_MessageWebSocket::closeRefusesUnsendableCode()
{
    QFETCH(quint16, code);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY(!ws.close(code, u"x"_s));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidCloseCode);
    QVERIFY(!ws.lastError().message().isEmpty());
    QCOMPARE(ws.state(), ConnectionState::Open);
    // the connection is untouched: a message still round-trips, no close frame went out
    QVERIFY(ws.sendBinaryMessage("still open"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QCOMPARE(m_echo->clientFrames().size(), 1);
    QCOMPARE(m_echo->clientFrames().at(0).opcode, Op::Binary);
}

void tst_MessageWebSocket::closeReasonLength_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("accepted");
    // RFC 6455 §5.5: 125-byte control payload = 2-byte code + at most 123 bytes of UTF-8
    QTest::newRow("123 ASCII bytes") << QString(123, u'r') << true;
    QTest::newRow("124 ASCII bytes") << QString(124, u'r') << false;
    QTest::newRow("61 two-byte chars + 1 byte = 123 bytes") << (QString(61, u'é') + u'a') << true;
    QTest::newRow("62 two-byte chars = 124 bytes") << QString(62, u'é') << false;
    QTest::newRow("41 three-byte chars = 123 bytes") << QString(41, u'€') << true;
    QTest::newRow("empty") << QString() << true;
}

void tst_MessageWebSocket::closeReasonLength()
{
    QFETCH(QString, reason);
    QFETCH(bool, accepted);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QCOMPARE(ws.close(1000, reason), accepted);
    if (!accepted) {
        QCOMPARE(ws.lastError().detail(), ErrorDetail::CloseReasonTooLong);
        QCOMPARE(ws.state(), ConnectionState::Open);
        return;
    }
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(closeReasonOf(m_echo->clientFrames().at(0).payload), reason.toUtf8());
    QCOMPARE(spies.closedArgs().reason(), reason);
}

void tst_MessageWebSocket::callsAfterCloseAreRefused()
{
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY(ws.close(1000));
    // Closing: nothing more may be sent (RFC 6455 §5.5.1)
    QVERIFY(!ws.close());
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QVERIFY(!ws.sendBinaryMessage("late"));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QVERIFY(!ws.ping());
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QTRY_COMPARE(spies.closed.size(), 1);
    // Closed
    QVERIFY(!ws.sendTextMessage(u"late"));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QVERIFY(!ws.close(1000));
    QCOMPARE(m_echo->clientFrames().size(), 1); // only the close frame
    QCOMPARE(spies.closed.size(), 1);
}

// --- sending ---------------------------------------------------------------------------------

void tst_MessageWebSocket::pingPayloadLimit_data()
{
    QTest::addColumn<int>("size");
    // RFC 6455 §5.5: control frames carry at most 125 bytes
    QTest::newRow("empty") << 0;
    QTest::newRow("1 byte") << 1;
    QTest::newRow("125 bytes") << 125;
    QTest::newRow("126 bytes") << 126;
    QTest::newRow("65536 bytes") << 65536;
}

void tst_MessageWebSocket::pingPayloadLimit()
{
    QFETCH(int, size);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    const QByteArray payload = patternBytes(size);
    if (size > 125) {
        QVERIFY(!ws.ping(payload));
        QCOMPARE(ws.lastError().detail(), ErrorDetail::ControlPayloadTooLong);
        QCOMPARE(ws.state(), ConnectionState::Open);
        QVERIFY(ws.ping("ok")); // still usable
        QTRY_COMPARE(spies.pongs.size(), 1);
        QCOMPARE(m_echo->clientFrames().size(), 1);
        return;
    }
    QVERIFY(ws.ping(payload));
    QTRY_COMPARE(spies.pongs.size(), 1);
    QCOMPARE(spies.pongPayload(0), payload);
    QVERIFY(spies.pongs.at(0).at(0).value<std::chrono::milliseconds>().count() >= 0);
    QCOMPARE(m_echo->clientFrames().at(0).opcode, Op::Ping);
    QCOMPARE(m_echo->clientFrames().at(0).payload, payload);
    QVERIFY(ws.information().lastPingRoundTrip.count() >= 0);
    QCOMPARE(ws.information().counters.pingsSent, 1u);
    QCOMPARE(ws.information().counters.pongsReceived, 1u);
}

void tst_MessageWebSocket::sendUtf8RefusesInvalidUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    // RFC 3629 / Autobahn 6.x sequences, now in the outgoing direction
    QTest::newRow("lone continuation byte") << QByteArray("\x80");
    QTest::newRow("truncated 2-byte sequence") << QByteArray("ab\xc3");
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf");
    QTest::newRow("UTF-16 surrogate") << QByteArray("\xed\xa0\x80");
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80");
    QTest::newRow("0xFF byte") << QByteArray("\xff");
}

void tst_MessageWebSocket::sendUtf8RefusesInvalidUtf8()
{
    QFETCH(QByteArray, bytes);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    ws.setMessageType(SocketMessageType::Utf8);
    QVERIFY(!ws.sendMessage(bytes));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidUtf8InOutgoingText);
    // the same bytes as binary are fine, and nothing of the refused message went out
    QVERIFY(ws.sendBinaryMessage(bytes));
    QTRY_COMPARE(spies.messages.size(), 1);
    QCOMPARE(m_echo->clientFrames().size(), 1);
    QCOMPARE(m_echo->clientFrames().at(0).opcode, Op::Binary);
    QCOMPARE(spies.message(0).data(), bytes);
    QCOMPARE(ws.state(), ConnectionState::Open);
}

void tst_MessageWebSocket::messagesAreEchoedInTheirType_data()
{
    QTest::addColumn<int>(
            "how"); // 0 sendMessage(Utf8) 1 sendMessage(Binary) 2 sendTextMessage 3 sendBinaryMessage
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<quint8>("opcode");
    // empty messages are messages (RFC 6455 §5.6 allows a zero-length payload)
    QTest::newRow("empty text") << 0 << QByteArray() << Op::Text;
    QTest::newRow("empty binary") << 1 << QByteArray() << Op::Binary;
    QTest::newRow("text") << 0 << QByteArray("hello") << Op::Text;
    QTest::newRow("binary with every byte value") << 1 << patternBytes(256) << Op::Binary;
    QTest::newRow("sendTextMessage non-ASCII") << 2 << QByteArray("κόσμε €") << Op::Text;
    QTest::newRow("sendTextMessage empty") << 2 << QByteArray() << Op::Text;
    QTest::newRow("sendBinaryMessage") << 3 << QByteArray("\x00\x01\x02", 3) << Op::Binary;
    QTest::newRow("sendBinaryMessage empty") << 3 << QByteArray() << Op::Binary;
}

void tst_MessageWebSocket::messagesAreEchoedInTheirType()
{
    QFETCH(int, how);
    QFETCH(QByteArray, data);
    QFETCH(quint8, opcode);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    bool ok = false;
    switch (how) {
    case 0:
        ws.setMessageType(SocketMessageType::Utf8);
        ok = ws.sendMessage(data);
        break;
    case 1:
        ws.setMessageType(SocketMessageType::Binary);
        ok = ws.sendMessage(data);
        break;
    case 2:
        ws.setMessageType(SocketMessageType::Binary); // sendTextMessage ignores messageType
        ok = ws.sendTextMessage(QString::fromUtf8(data));
        break;
    case 3:
        ws.setMessageType(SocketMessageType::Utf8);
        ok = ws.sendBinaryMessage(data);
        break;
    }
    QVERIFY(ok);
    QTRY_COMPARE(spies.messages.size(), 1);
    const ParsedFrame frame = m_echo->clientFrames().at(0);
    QCOMPARE(frame.opcode, opcode);
    QVERIFY(frame.fin);
    QVERIFY(frame.masked); // RFC 6455 §5.3
    QCOMPARE(frame.payload, data);
    const auto args = spies.message(0);
    QCOMPARE(args.messageType(), opcode == Op::Text ? SocketMessageType::Utf8 : SocketMessageType::Binary);
    QCOMPARE(args.data(), data);
    QVERIFY(args.isMessageComplete());
    if (opcode == Op::Text)
        QCOMPARE(args.text(), QString::fromUtf8(data));
    QCOMPARE(ws.information().counters.messagesSent, 1u);
    QCOMPARE(ws.information().counters.messagesReceived, 1u);
}

void tst_MessageWebSocket::receivedDataKeptBySlotsStaysIntact()
{
    // Small one-frame messages are copied into a buffer the connection reuses once nobody shares
    // it: a copy a slot keeps must never change afterwards, whichever messages were kept.
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    ws.setMessageType(SocketMessageType::Binary);
    QList<QByteArray> sent, kept, seen;
    for (int i = 0; i < 60; ++i) {
        QByteArray m(1 + (i * 7) % 90, char('A' + i % 26));
        m[0] = char(i);
        sent.append(m);
    }
    connect(&ws, &MessageWebSocket::messageReceived, this, [&](const MessageWebSocketMessageReceivedEventArgs &a) {
        seen.append(QByteArray(a.data().constData(), a.data().size())); // a deep copy, as it was then
        if (seen.size() % 3 == 0)
            kept.append(a.data()); // a shared copy, kept past the slot
    });
    for (const QByteArray &m : sent)
        QVERIFY(ws.sendMessage(m)); // one burst: the echoes come back in few reads
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), sent.size(), WaitMs);
    QCOMPARE(seen, sent);
    QCOMPARE(kept.size(), sent.size() / 3);
    for (qsizetype i = 0; i < kept.size(); ++i)
        QCOMPARE(kept[i], sent[i * 3 + 2]);
}

void tst_MessageWebSocket::dataStreamIsFreshOnEveryCall()
{
    // spec §12.5: GetDataStream gives a fresh read-only device on every call
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    const QByteArray data = patternBytes(1000);
    QVERIFY(ws.sendBinaryMessage(data));
    QTRY_COMPARE(spies.messages.size(), 1);
    const auto args = spies.message(0);
    for (int i = 0; i < 2; ++i) {
        std::unique_ptr<QIODevice> stream = args.getDataStream();
        QVERIFY(stream);
        QVERIFY(stream->isOpen());
        QVERIFY(stream->isReadable());
        QVERIFY(!stream->isWritable());
        QCOMPARE(stream->readAll(), data);
    }
    QCOMPARE(args.data(), data);
}

// --- fragmented sends ------------------------------------------------------------------------

void tst_MessageWebSocket::fragmentedSendFrameSequence()
{
    // RFC 6455 §5.4: first frame carries the opcode, the rest are continuations, the last has FIN
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    ws.setMessageType(SocketMessageType::Utf8);
    QVERIFY(ws.sendNonfinalFrame("ab"));
    QVERIFY(ws.sendNonfinalFrame(""));
    QVERIFY(ws.sendNonfinalFrame("cd"));
    QVERIFY(ws.sendFinalFrame("ef"));
    QTRY_COMPARE(spies.messages.size(), 1);
    const QList<ParsedFrame> frames = m_echo->clientFrames();
    QCOMPARE(frames.size(), 4);
    QCOMPARE(frames[0].opcode, Op::Text);
    QVERIFY(!frames[0].fin);
    QCOMPARE(frames[0].payload, QByteArray("ab"));
    QCOMPARE(frames[1].opcode, Op::Continuation);
    QVERIFY(!frames[1].fin);
    QVERIFY(frames[1].payload.isEmpty());
    QCOMPARE(frames[2].opcode, Op::Continuation);
    QVERIFY(!frames[2].fin);
    QCOMPARE(frames[3].opcode, Op::Continuation);
    QVERIFY(frames[3].fin);
    QCOMPARE(spies.message(0).messageType(), SocketMessageType::Utf8);
    QCOMPARE(spies.message(0).data(), QByteArray("abcdef"));
    // and the next message starts afresh
    QVERIFY(ws.sendNonfinalFrame("g"));
    QVERIFY(ws.sendFinalFrame("h"));
    QTRY_COMPARE(spies.messages.size(), 2);
    QCOMPARE(m_echo->clientFrames().at(4).opcode, Op::Text);
    QCOMPARE(spies.message(1).data(), QByteArray("gh"));
}

void tst_MessageWebSocket::fragmentedSendRefusesWholeMessageInBetween()
{
    // RFC 6455 §5.4: messages may not be interleaved
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY(ws.sendNonfinalFrame("part1-"));
    QVERIFY(!ws.sendMessage("whole"));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::FragmentedMessageInProgress);
    QVERIFY(!ws.sendTextMessage(u"whole"));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::FragmentedMessageInProgress);
    QVERIFY(!ws.sendBinaryMessage("whole"));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::FragmentedMessageInProgress);
    QVERIFY(ws.ping("between")); // control frames may come between fragments (§5.4)
    QVERIFY(ws.sendFinalFrame("part2"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QCOMPARE(spies.message(0).data(), QByteArray("part1-part2"));
    QTRY_COMPARE(spies.pongs.size(), 1);
    QVERIFY(ws.sendMessage("whole")); // allowed again
    QTRY_COMPARE(spies.messages.size(), 2);
}

void tst_MessageWebSocket::fragmentedTextMaySplitACodePoint()
{
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    ws.setMessageType(SocketMessageType::Utf8);
    // "é" = C3 A9 split between two frames is fine once complete
    QVERIFY(ws.sendNonfinalFrame("caf\xc3"));
    QVERIFY(ws.sendFinalFrame("\xa9"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QCOMPARE(spies.message(0).text(), u"café"_s);
    // a message may not end inside a code point
    QVERIFY(ws.sendNonfinalFrame("x\xc3"));
    QVERIFY(!ws.sendFinalFrame(""));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidUtf8InOutgoingText);
    // an invalid byte is refused at once, even in a non-final frame
    QVERIFY(!ws.sendNonfinalFrame("\x41"));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidUtf8InOutgoingText);
    // the refusals sent nothing; the message can still be completed correctly
    QVERIFY(ws.sendFinalFrame("\xa9"));
    QTRY_COMPARE(spies.messages.size(), 2);
    QCOMPARE(spies.message(1).text(), u"xé"_s);
    QCOMPARE(m_echo->clientFrames().size(), 4);
}

void tst_MessageWebSocket::finalFrameAloneIsAOneFrameMessage()
{
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY(ws.sendFinalFrame("single"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QCOMPARE(m_echo->clientFrames().size(), 1);
    QCOMPARE(m_echo->clientFrames().at(0).opcode, Op::Binary); // control().messageType's default
    QVERIFY(m_echo->clientFrames().at(0).fin);
    QCOMPARE(spies.message(0).data(), QByteArray("single"));
}

void tst_MessageWebSocket::fragmentedMessageKeepsItsType()
{
    // the type is taken when the message starts; switching mid-message affects the next one
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    ws.setMessageType(SocketMessageType::Utf8);
    QVERIFY(ws.sendNonfinalFrame("te"));
    ws.setMessageType(SocketMessageType::Binary);
    QVERIFY(ws.sendFinalFrame("xt"));
    QVERIFY(ws.sendFinalFrame("\xff"));
    QTRY_COMPARE(spies.messages.size(), 2);
    QCOMPARE(m_echo->clientFrames().at(0).opcode, Op::Text);
    QCOMPARE(m_echo->clientFrames().at(1).opcode, Op::Continuation);
    QCOMPARE(m_echo->clientFrames().at(2).opcode, Op::Binary);
    QCOMPARE(spies.message(0).messageType(), SocketMessageType::Utf8);
    QCOMPARE(spies.message(0).data(), QByteArray("text"));
    QCOMPARE(spies.message(1).messageType(), SocketMessageType::Binary);
}

// --- Control ---------------------------------------------------------------------------------

void tst_MessageWebSocket::messageTypeSwitchesLive()
{
    // spec §12.2: sendMessage() takes control().messageType at the moment of the call
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY(ws.sendMessage("one"));
    ws.setMessageType(SocketMessageType::Utf8);
    QCOMPARE(ws.control().messageType, SocketMessageType::Utf8);
    QVERIFY(ws.sendMessage("two"));
    MessageWebSocketControl control = ws.control();
    control.messageType = SocketMessageType::Binary;
    QVERIFY2(ws.setControl(control), qPrintable(ws.lastError().toString())); // only MessageType: allowed
    QCOMPARE(ws.control().messageType, SocketMessageType::Binary);
    QVERIFY(ws.sendMessage("three"));
    QTRY_COMPARE(spies.messages.size(), 3);
    const QList<ParsedFrame> frames = m_echo->clientFrames();
    QCOMPARE(frames.at(0).opcode, Op::Binary);
    QCOMPARE(frames.at(1).opcode, Op::Text);
    QCOMPARE(frames.at(2).opcode, Op::Binary);
    QCOMPARE(spies.message(0).messageType(), SocketMessageType::Binary);
    QCOMPARE(spies.message(1).messageType(), SocketMessageType::Utf8);
    QCOMPARE(spies.message(2).messageType(), SocketMessageType::Binary);
}

void tst_MessageWebSocket::setControlRefusedWhileOpen_data()
{
    QTest::addColumn<int>("field");
    QTest::newRow("maxMessageSize") << 0;
    QTest::newRow("outboundBufferSizeInBytes") << 1;
    QTest::newRow("outboundFrameSizeInBytes") << 2;
    QTest::newRow("maxBufferedAmountBytes") << 3;
    QTest::newRow("supportedProtocols") << 4;
    QTest::newRow("desiredUnsolicitedPongInterval") << 5;
    QTest::newRow("receiveMode") << 6;
    QTest::newRow("noDelay") << 7;
    QTest::newRow("timeouts.close") << 8;
    QTest::newRow("timeouts.idle") << 9;
    QTest::newRow("messageType and maxMessageSize together") << 10;
}

static MessageWebSocketControl changedControl(MessageWebSocketControl c, int field)
{
    switch (field) {
    case 0: c.maxMessageSize = 1000; break;
    case 1: c.outboundBufferSizeInBytes = 4096; break;
    case 2: c.outboundFrameSizeInBytes = 16; break;
    case 3: c.maxBufferedAmountBytes = 1; break;
    case 4: c.supportedProtocols = {u"chat"_s}; break;
    case 5: c.desiredUnsolicitedPongInterval = std::chrono::milliseconds(5000); break;
    case 6: c.receiveMode = MessageWebSocketReceiveMode::PartialMessage; break;
    case 7: c.noDelay = !c.noDelay; break;
    case 8: c.timeouts.close = std::chrono::milliseconds(1234); break;
    case 9: c.timeouts.idle = std::chrono::milliseconds(1234); break;
    case 10:
        c.messageType = SocketMessageType::Utf8;
        c.maxMessageSize = 1000;
        break;
    }
    return c;
}

void tst_MessageWebSocket::setControlRefusedWhileOpen()
{
    // spec §12.9 item 4: late setters are refused uniformly
    QFETCH(int, field);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    const MessageWebSocketControl before = ws.control();
    QVERIFY(!ws.setControl(changedControl(before, field)));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QVERIFY(!ws.lastError().message().isEmpty());
    QCOMPARE(ws.control(), before);
    QCOMPARE(ws.state(), ConnectionState::Open);
    QVERIFY(ws.setControl(before)); // no change at all is not a change
}

void tst_MessageWebSocket::setControlRefusedWhileConnecting()
{
    ScriptedServer silent;
    QVERIFY(silent.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(silent.url()));
    // refused from the call on, before the event loop ran
    MessageWebSocketControl control = ws.control();
    control.maxMessageSize = 10;
    QVERIFY(!ws.setControl(control));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    QTRY_COMPARE(ws.state(), ConnectionState::AwaitingUpgrade);
    QVERIFY(!ws.setControl(control));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    control = ws.control();
    control.messageType = SocketMessageType::Utf8;
    QVERIFY(ws.setControl(control));
    QCOMPARE(ws.control().messageType, SocketMessageType::Utf8);
    ws.cancelConnect();
    QTRY_COMPARE(spies.errors.size(), 1);
}

void tst_MessageWebSocket::setControlAllowedAgainAfterClose()
{
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    QVERIFY(ws.close());
    QTRY_COMPARE(ws.state(), ConnectionState::Closed);
    MessageWebSocketControl control = ws.control();
    control.maxMessageSize = 4;
    QVERIFY2(ws.setControl(control), qPrintable(ws.lastError().toString()));
    QCOMPARE(ws.control().maxMessageSize, 4u);
    QVERIFY(ws.setRequestHeader("X-Later", "1"));
}

void tst_MessageWebSocket::setControlValidatesValues_data()
{
    QTest::addColumn<int>("field");
    QTest::addColumn<ErrorDetail>("detail");
    // RFC 6455 §4.1: subprotocols are tokens, listed once
    QTest::newRow("empty subprotocol") << 0 << ErrorDetail::InvalidSubprotocol;
    QTest::newRow("subprotocol with space") << 1 << ErrorDetail::InvalidSubprotocol;
    QTest::newRow("subprotocol with comma") << 2 << ErrorDetail::InvalidSubprotocol;
    QTest::newRow("duplicate subprotocol") << 3 << ErrorDetail::InvalidSubprotocol;
    QTest::newRow("negative handshake timeout") << 4 << ErrorDetail::InvalidArgument;
    QTest::newRow("negative pong interval") << 5 << ErrorDetail::InvalidArgument;
}

void tst_MessageWebSocket::setControlValidatesValues()
{
    QFETCH(int, field);
    QFETCH(ErrorDetail, detail);
    MessageWebSocket ws;
    MessageWebSocketControl control;
    switch (field) {
    case 0: control.supportedProtocols = {QString()}; break;
    case 1: control.supportedProtocols = {u"a b"_s}; break;
    case 2: control.supportedProtocols = {u"a,b"_s}; break;
    case 3: control.supportedProtocols = {u"chat"_s, u"chat"_s}; break;
    case 4: control.timeouts.handshake = std::chrono::milliseconds(-1); break;
    case 5: control.desiredUnsolicitedPongInterval = std::chrono::milliseconds(-1); break;
    }
    QVERIFY(!ws.setControl(control));
    QCOMPARE(ws.lastError().detail(), detail);
    QCOMPARE(ws.control(), MessageWebSocketControl());
}

// --- lifecycle of the object -----------------------------------------------------------------

void tst_MessageWebSocket::reconnectAfterClose()
{
    // spec §12.9 item 3: the same object may connect again once Closed
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QVERIFY(ws.sendTextMessage(u"first"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QVERIFY(ws.close(1000));
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(ws.state(), ConnectionState::Closed);

    QVERIFY2(ws.connectAsync(server.url()), qPrintable(ws.lastError().toString()));
    QTRY_COMPARE(spies.connected.size(), 2);
    QCOMPARE(ws.state(), ConnectionState::Open);
    QVERIFY(!ws.lastError().isError());
    QVERIFY(ws.sendTextMessage(u"second"));
    QTRY_COMPARE(spies.messages.size(), 2);
    QCOMPARE(spies.message(1).text(), u"second"_s);
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(ws.information().counters.messagesSent, 1u); // counters start again per connection
    QCOMPARE(spies.closed.size(), 1);
    QCOMPARE(spies.errors.size(), 0);
}

void tst_MessageWebSocket::reconnectAfterFailure()
{
    QTcpServer placeholder; // a port that is certainly closed
    QVERIFY(placeholder.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = placeholder.serverPort();
    placeholder.close();

    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(QUrl(u"ws://127.0.0.1:%1/"_s.arg(closedPort))));
    QTRY_COMPARE(spies.errors.size(), 1);
    QCOMPARE(ws.state(), ConnectionState::Failed);
    QCOMPARE(ws.lastError().detail(), ErrorDetail::ConnectionRefused);

    EchoServer server;
    QVERIFY(server.listen());
    QVERIFY2(ws.connectAsync(server.url()), qPrintable(ws.lastError().toString()));
    QVERIFY(!ws.lastError().isError()); // a new attempt starts without the old error
    QTRY_COMPARE(spies.connected.size(), 1);
    QCOMPARE(ws.state(), ConnectionState::Open);
    QCOMPARE(spies.errors.size(), 1);
    QCOMPARE(spies.closed.size(), 0);
}

void tst_MessageWebSocket::serverCloseIsAnsweredAndReported()
{
    // RFC 6455 §5.5.1: the client answers a close with the same code; closed() once TCP ended
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    m_echo->closeClients(4000, "maintenance");
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(m_echo->clientFrames().size(), 1);
    QCOMPARE(m_echo->clientFrames().at(0).opcode, Op::Close);
    QCOMPARE(closeCodeOf(m_echo->clientFrames().at(0).payload), quint16(4000));
    QCOMPARE(spies.closedArgs().code(), quint16(4000));
    QCOMPARE(spies.closedArgs().reason(), u"maintenance"_s);
    QVERIFY(spies.closedArgs().wasClean());
    QCOMPARE(spies.errors.size(), 0);
    QCOMPARE(ws.state(), ConnectionState::Closed);
}

void tst_MessageWebSocket::serverPushThenDropThenReconnect()
{
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(openOnEcho(ws, spies));
    // unprompted server frames: a message and a ping (answered automatically, RFC 6455 §5.5.2)
    m_echo->sendToClients(FrameBuilder::text("pushed") + FrameBuilder::ping("are you there"));
    QTRY_COMPARE(spies.messages.size(), 1);
    QCOMPARE(spies.message(0).text(), u"pushed"_s);
    QTRY_COMPARE(m_echo->clientFrames().size(), 1);
    QCOMPARE(m_echo->clientFrames().at(0).opcode, Op::Pong);
    QCOMPARE(m_echo->clientFrames().at(0).payload, QByteArray("are you there"));
    QCOMPARE(spies.pongs.size(), 0); // an answer to the server's ping is not a pong for us
    // the server goes away without a close frame (spec §12.9 item 1)
    m_echo->dropClients();
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(spies.errors.size(), 1);
    QCOMPARE(spies.error().detail(), ErrorDetail::ConnectionAborted);
    QCOMPARE(spies.closedArgs().code(), quint16(1006));
    QVERIFY(!spies.closedArgs().wasClean());
    // and the same object connects again
    QVERIFY2(ws.connectAsync(m_echo->url()), qPrintable(ws.lastError().toString()));
    QTRY_COMPARE(spies.connected.size(), 2);
    QCOMPARE(m_echo->connectionCount(), 2);
    QVERIFY(ws.sendTextMessage(u"back"));
    QTRY_COMPARE(spies.messages.size(), 2);
    QCOMPARE(spies.message(1).text(), u"back"_s);
}

void tst_MessageWebSocket::informationSnapshot()
{
    EchoServer server;
    QVERIFY(server.listen());
    server.setChooseFirstOfferedProtocol(true);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.information().protocol.isNull());
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    const MessageWebSocketInformation info = ws.information();
    QVERIFY(!info.protocol.isNull()); // spec §12.4: empty, not null, when none was negotiated
    QVERIFY(info.protocol.isEmpty());
    QCOMPARE(info.peerPort, server.port());
    QCOMPARE(info.peerAddress, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(info.localPort != 0);
    QCOMPARE(info.handshake.httpStatus, 101);
    QVERIFY(info.counters.wireBytesSent >= quint64(server.lastRequest().raw.size()));
    QCOMPARE(info.counters.messagesSent, 0u);

    QVERIFY(ws.sendBinaryMessage(patternBytes(300)));
    QVERIFY(ws.sendBinaryMessage(patternBytes(10)));
    QTRY_COMPARE(spies.messages.size(), 2);
    const TrafficCounters counters = ws.information().counters;
    QCOMPARE(counters.messagesSent, 2u);
    QCOMPARE(counters.messagesReceived, 2u);
    QCOMPARE(counters.framesSent, 2u);
    QCOMPARE(counters.framesReceived, 2u);
    QCOMPARE(counters.payloadBytesSent, 310u);
    QCOMPARE(counters.payloadBytesReceived, 310u);
    // wire bytes: request + two masked frames (300: 2+2+4 header, 10: 2+4 header)
    QCOMPARE(counters.wireBytesSent, quint64(server.lastRequest().raw.size()) + 308 + 16);
}

void tst_MessageWebSocket::destructorSendsGoingAway()
{
    // spec §12.2: deleting an open socket sends a best-effort close frame, then drops TCP
    ScriptedServer server;
    QVERIFY(server.listen());
    server.acceptUpgrade().waitForClose();
    auto ws = std::make_unique<MessageWebSocket>();
    ClientSpies spies(ws.get());
    QVERIFY(ws->connectAsync(server.url()));
    QVERIFY(waitConnected(spies));
    QVERIFY(ws->sendTextMessage(u"last words"));
    ws.reset();
    QTRY_VERIFY(server.isScriptFinished());
    QCOMPARE(server.clientFrames().size(), 2);
    QCOMPARE(server.clientFrames().at(0).payload, QByteArray("last words"));
    QCOMPARE(server.clientCloseCode(), quint16(1001));
    QTRY_VERIFY(server.isClientDisconnected());
}

void tst_MessageWebSocket::signalsNeverComeFromInsideAPublicCall()
{
    // spec §12.9 item 2: no re-entrancy; the end of a connection is reported from the event loop
    ScriptedServer silent;
    QVERIFY(silent.listen());
    MessageWebSocket connecting;
    ClientSpies connectingSpies(&connecting);
    QVERIFY(connecting.connectAsync(silent.url()));
    QTRY_COMPARE(connecting.state(), ConnectionState::AwaitingUpgrade);
    connecting.cancelConnect();
    QCOMPARE(connectingSpies.errors.size(), 0);
    QTRY_COMPARE(connectingSpies.errors.size(), 1);
    QCOMPARE(connectingSpies.error().detail(), ErrorDetail::OperationCanceled);
    QCOMPARE(connectingSpies.error().status(), WebErrorStatus::OperationCanceled);

    MessageWebSocket open;
    ClientSpies openSpies(&open);
    QVERIFY(openOnEcho(open, openSpies));
    open.abort();
    QCOMPARE(openSpies.closed.size(), 0);
    QTRY_COMPARE(openSpies.closed.size(), 1);
    QCOMPARE(openSpies.errors.size(), 0); // abort() is the application's own doing: no error
    QCOMPARE(openSpies.closedArgs().code(), quint16(1006));
    QVERIFY(!openSpies.closedArgs().wasClean());
    QCOMPARE(open.state(), ConnectionState::Closed);
}

QTEST_GUILESS_MAIN(tst_MessageWebSocket)
#include "tst_messagewebsocket.moc"
