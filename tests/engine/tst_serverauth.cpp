// Control.serverCredential (spec §3 ServerCredential, §12.3): a 401 to the upgrade answered
// once, on a fresh connection, with Basic or Digest. The servers are ScriptedServers that check
// the client's Authorization with their own computation (QCryptographicHash directly, never the
// code under test), answer 101 when it is right and 401 otherwise.

#include "api/messagewebsocket.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QTest>

#include "echoserver.h"
#include "enginetest.h"
#include "scriptedserver.h"
#include "socks5server.h"
#include "testpki.h"

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace Wsw;
using namespace Wsw::Test;

namespace {

const QByteArray Redacted = "\xe2\x80\xb9redacted\xe2\x80\xba"; // ‹redacted›
const QString User = u"mufasa-user"_s;
const QString Password = u"Circle of Life pw"_s;
const QByteArray Realm = "workbench@example.org";
const QByteArray Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
const QByteArray Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

/** Auth-params of a Digest Authorization value, read by the test itself. */
QMap<QByteArray, QByteArray> digestParams(const QByteArray &value)
{
    QMap<QByteArray, QByteArray> params;
    static const QRegularExpression re(uR"re(([A-Za-z0-9_-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*)))re"_s);
    auto it = re.globalMatch(QString::fromUtf8(value.mid(value.indexOf(' ') + 1)));
    while (it.hasNext()) {
        const auto m = it.next();
        QString v = m.captured(2).isNull() ? m.captured(3) : m.captured(2);
        v.replace(u"\\\""_s, u"\""_s).replace(u"\\\\"_s, u"\\"_s);
        params.insert(m.captured(1).toLower().toUtf8(), v.toUtf8());
    }
    return params;
}

QByteArray hexHash(const QByteArray &data, QCryptographicHash::Algorithm algorithm)
{
    return QCryptographicHash::hash(data, algorithm).toHex();
}

enum class Demand { DigestMd5, DigestSha256, Basic, NegotiateOnly, DigestAndBasic };

QByteArray challengeFor(Demand demand)
{
    switch (demand) {
    case Demand::DigestMd5:
        return "Digest realm=\"" + Realm + "\", qop=\"auth\", algorithm=MD5, nonce=\"" + Nonce + "\", opaque=\""
                + Opaque + '"';
    case Demand::DigestSha256:
        return "Digest realm=\"" + Realm + "\", qop=\"auth\", algorithm=SHA-256, nonce=\"" + Nonce
                + "\", opaque=\"" + Opaque + '"';
    case Demand::Basic:
        return "Basic realm=\"" + Realm + "\", charset=\"UTF-8\"";
    case Demand::NegotiateOnly:
        return "Negotiate";
    case Demand::DigestAndBasic:
        return "Basic realm=\"" + Realm + "\", Digest realm=\"" + Realm + "\", qop=\"auth\", algorithm=SHA-256, nonce=\""
                + Nonce + '"';
    }
    return {};
}

/** Whether the request carries the right answer to the demand, by the test's own computation. */
bool authorized(const UpgradeRequest &request, Demand demand)
{
    const QByteArray value = request.header("Authorization");
    if (value.isEmpty())
        return false;
    if (demand == Demand::Basic) {
        return value == "Basic " + (User + u':' + Password).toUtf8().toBase64();
    }
    if (!value.startsWith("Digest "))
        return false;
    const auto algorithm = demand == Demand::DigestMd5 ? QCryptographicHash::Md5 : QCryptographicHash::Sha256;
    const auto p = digestParams(value);
    const QByteArray uri = request.raw.split(' ').value(1);
    if (p.value("username") != User.toUtf8() || p.value("realm") != Realm || p.value("nonce") != Nonce
        || p.value("uri") != uri || p.value("qop") != "auth" || p.value("nc") != "00000001"
        || p.value("cnonce").isEmpty())
        return false;
    if (demand != Demand::DigestAndBasic && p.value("opaque") != Opaque)
        return false;
    const QByteArray ha1 = hexHash(User.toUtf8() + ':' + Realm + ':' + Password.toUtf8(), algorithm);
    const QByteArray ha2 = hexHash("GET:" + uri, algorithm);
    const QByteArray expected =
            hexHash(ha1 + ':' + Nonce + ':' + p.value("nc") + ':' + p.value("cnonce") + ":auth:" + ha2, algorithm);
    return p.value("response") == expected;
}

/**
 * Scripts server to demand authentication: 401 with the challenge to a request without the right
 * Authorization, 101 (and a close frame at once) to one with it. requests collects every request.
 * closeAfter401: the server closes TCP after its 401 (the body then ends with TCP).
 */
void demandAuthentication(ScriptedServer &server, Demand demand, QList<UpgradeRequest> *requests,
                          bool closeAfter401 = true, QList<QByteArray> *responseDigests = nullptr)
{
    auto answer = [demand, requests, closeAfter401, responseDigests](const UpgradeRequest &request) -> QByteArray {
        requests->append(request);
        if (responseDigests && request.header("Authorization").startsWith("Digest "))
            responseDigests->append(digestParams(request.header("Authorization")).value("response"));
        if (authorized(request, demand)) {
            ScriptedUpgrade upgrade;
            upgrade.trailing = FrameBuilder::close(1000, "bye");
            return ScriptedServer::upgradeResponse(request, upgrade);
        }
        QByteArray refusal = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: " + challengeFor(demand) + "\r\n";
        refusal += closeAfter401 ? QByteArray("Connection: close\r\n\r\nno entry")
                                 : QByteArray("Content-Length: 8\r\n\r\nno entry");
        return refusal;
    };
    if (closeAfter401)
        server.sendComputed(answer).closeTcp();
    else
        server.sendComputed(answer).waitForDisconnect();
}

MessageWebSocketControl controlWith(std::optional<PasswordCredential> credential)
{
    MessageWebSocketControl control;
    control.serverCredential = std::move(credential);
    control.timeouts.close = 500ms; // the scripted server never closes TCP after a close frame
    return control;
}

QByteArray everythingShown(const MessageWebSocket &ws, const ClientSpies &spies)
{
    QByteArray all;
    const HandshakeTranscript t = ws.information().handshake;
    all += t.request + t.responseHeaders + t.responseBody;
    for (const HandshakeAttempt &a : t.earlierAttempts)
        all += a.request + a.responseHeaders + a.responseBody;
    for (qsizetype i = 0; i < spies.handshakes.size(); ++i) {
        const HandshakeTranscript s = spies.transcript(i);
        all += s.request;
        for (const HandshakeAttempt &a : s.earlierAttempts)
            all += a.request;
    }
    all += spies.errorText().toUtf8();
    all += ws.information().authentication.note.toUtf8();
    return all;
}

} // namespace

class tst_ServerAuth final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rightCredential_data();
    void rightCredential();
    void wrongCredential_data();
    void wrongCredential();
    void noCredential();
    void unusableChallenge();
    void controlValidation();
    void colonInUserNameForBasic();
    void throughTheSameProxy();
    void wssDigest_data();
    void wssDigest();
};

void tst_ServerAuth::rightCredential_data()
{
    QTest::addColumn<Demand>("demand");
    QTest::addColumn<bool>("closeAfter401");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<bool>("inClear");
    QTest::newRow("Digest MD5, server closes after 401") << Demand::DigestMd5 << true << u"Digest MD5"_s << false;
    QTest::newRow("Digest MD5, server keeps the connection") << Demand::DigestMd5 << false << u"Digest MD5"_s << false;
    QTest::newRow("Digest SHA-256") << Demand::DigestSha256 << true << u"Digest SHA-256"_s << false;
    QTest::newRow("Digest SHA-256 preferred over Basic") << Demand::DigestAndBasic << false << u"Digest SHA-256"_s << false;
    QTest::newRow("Basic over ws:// (in clear)") << Demand::Basic << true << u"Basic"_s << true;
}

void tst_ServerAuth::rightCredential()
{
    QFETCH(Demand, demand);
    QFETCH(bool, closeAfter401);
    QFETCH(QString, scheme);
    QFETCH(bool, inClear);
    ScriptedServer server;
    QVERIFY(server.listen());
    QList<UpgradeRequest> requests;
    QList<QByteArray> digests;
    demandAuthentication(server, demand, &requests, closeAfter401, &digests);

    MessageWebSocket ws;
    QVERIFY(ws.setControl(controlWith(PasswordCredential{User, Password})));
    ws.setRequestHeader("X-Client", "workbench");
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url(u"/chat?room=1"_s)));
    QVERIFY2(waitConnected(spies), qPrintable(spies.errorText()));
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(requests.size(), 2);
    QVERIFY(requests[0].header("Authorization").isNull());
    QVERIFY(!requests[1].header("Authorization").isEmpty());
    QCOMPARE(requests[1].header("X-Client"), QByteArray("workbench"));
    QVERIFY(requests[0].key() != requests[1].key()); // a fresh attempt

    // the state machine went back to Connecting for the second attempt
    QList<ConnectionState> states;
    for (const auto &args : std::as_const(spies.states))
        states.append(args.at(0).value<ConnectionState>());
    const qsizetype upgrade = states.indexOf(ConnectionState::AwaitingUpgrade);
    QVERIFY(upgrade >= 0);
    QCOMPARE(states.value(upgrade + 1), ConnectionState::Connecting);

    // the transcript has both attempts, credentials redacted
    const HandshakeTranscript t = ws.information().handshake;
    QCOMPARE(t.httpStatus, 101);
    QCOMPARE(t.earlierAttempts.size(), 1);
    QCOMPARE(t.earlierAttempts[0].httpStatus, 401);
    QVERIFY(t.earlierAttempts[0].responseHeaders.contains("WWW-Authenticate"));
    QVERIFY(!t.earlierAttempts[0].request.contains("Authorization"));
    const QByteArray redactedLine = "Authorization: " + scheme.section(u' ', 0, 0).toLatin1() + ' ' + Redacted;
    QVERIFY2(t.request.contains(redactedLine),
             t.request.constData());
    QCOMPARE(spies.handshakes.size(), 1);
    QCOMPARE(spies.transcript().earlierAttempts.size(), 1);
    const QByteArray shown = everythingShown(ws, spies);
    QVERIFY(!shown.contains(Password.toUtf8()));
    QVERIFY(!shown.contains((User + u':' + Password).toUtf8().toBase64()));
    for (const QByteArray &digest : std::as_const(digests))
        QVERIFY(!shown.contains(digest));

    const ServerAuthenticationInformation auth = ws.information().authentication;
    QCOMPARE(auth.scheme, scheme);
    QCOMPARE(auth.realm, QString::fromLatin1(Realm));
    QCOMPARE(auth.passwordInClear, inClear);
    QCOMPARE(auth.note.contains(u"in clear"_s), inClear);
    QVERIFY(!auth.note.contains(Password));

    // the server closes at once: a clean close of the second connection
    QTRY_COMPARE_WITH_TIMEOUT(spies.closed.size(), 1, WaitMs);
    QVERIFY(spies.errors.isEmpty());
}

void tst_ServerAuth::wrongCredential_data()
{
    QTest::addColumn<Demand>("demand");
    QTest::addColumn<bool>("inClear");
    QTest::newRow("Digest SHA-256") << Demand::DigestSha256 << false;
    QTest::newRow("Digest MD5, server keeps the connection") << Demand::DigestMd5 << false;
    QTest::newRow("Basic over ws://") << Demand::Basic << true;
}

void tst_ServerAuth::wrongCredential()
{
    QFETCH(Demand, demand);
    QFETCH(bool, inClear);
    ScriptedServer server;
    QVERIFY(server.listen());
    QList<UpgradeRequest> requests;
    demandAuthentication(server, demand, &requests, demand != Demand::DigestMd5);

    const QString wrongUser = u"someone-else"_s;
    const QString wrongPassword = u"not-the-password"_s;
    MessageWebSocket ws;
    QVERIFY(ws.setControl(controlWith(PasswordCredential{wrongUser, wrongPassword})));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.errors.size(), 1, WaitMs);
    const WebSocketError error = spies.error();
    QCOMPARE(error.detail(), ErrorDetail::CredentialRejected);
    QCOMPARE(error.status(), WebErrorStatus::Unauthorized);
    QCOMPARE(error.httpStatus(), 401);
    QVERIFY(error.message().contains(u"refused the credential"_s));
    QCOMPARE(error.message().contains(u"in clear"_s), inClear);
    QVERIFY(!error.message().contains(wrongUser));
    QVERIFY(!error.message().contains(wrongPassword));
    QCOMPARE(ws.state(), ConnectionState::Failed);
    QCOMPARE(server.connectionCount(), 2); // answered once, never again
    QTest::qWait(100);
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(requests.size(), 2);
    const HandshakeTranscript t = ws.information().handshake;
    QCOMPARE(t.httpStatus, 401);
    QCOMPARE(t.earlierAttempts.size(), 1);
    const QByteArray shown = everythingShown(ws, spies);
    QVERIFY(!shown.contains(wrongPassword.toUtf8()));
    QVERIFY(!shown.contains(wrongUser.toUtf8()));
}

void tst_ServerAuth::noCredential()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    QList<UpgradeRequest> requests;
    demandAuthentication(server, Demand::DigestAndBasic, &requests);
    MessageWebSocket ws;
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.errors.size(), 1, WaitMs);
    const WebSocketError error = spies.error();
    QCOMPARE(error.detail(), ErrorDetail::NotSwitchingProtocols);
    QCOMPARE(error.status(), WebErrorStatus::Unauthorized);
    QCOMPARE(error.httpStatus(), 401);
    QVERIFY2(error.message().contains(u"Basic"_s) && error.message().contains(u"Digest"_s), qPrintable(error.message()));
    QVERIFY(error.message().contains(u"serverCredential"_s));
    QTest::qWait(100);
    QCOMPARE(server.connectionCount(), 1);
    QVERIFY(ws.information().handshake.earlierAttempts.isEmpty());
}

void tst_ServerAuth::unusableChallenge()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    QList<UpgradeRequest> requests;
    demandAuthentication(server, Demand::NegotiateOnly, &requests);
    MessageWebSocket ws;
    QVERIFY(ws.setControl(controlWith(PasswordCredential{User, Password})));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.errors.size(), 1, WaitMs);
    const WebSocketError error = spies.error();
    QCOMPARE(error.detail(), ErrorDetail::NoUsableAuthScheme);
    QCOMPARE(error.status(), WebErrorStatus::Unauthorized);
    QCOMPARE(error.httpStatus(), 401);
    QVERIFY2(error.message().contains(u"Negotiate"_s), qPrintable(error.message()));
    QVERIFY(!error.message().contains(Password));
    QVERIFY(!error.message().contains(User));
    QTest::qWait(100);
    QCOMPARE(server.connectionCount(), 1);
}

void tst_ServerAuth::controlValidation()
{
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.serverCredential = PasswordCredential{QString(), u"pw"_s};
    QVERIFY(!ws.setControl(control));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidArgument);
    control.serverCredential = PasswordCredential{u"user"_s, u"secret\nline"_s};
    QVERIFY(!ws.setControl(control));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::ControlCharacterInCredentials);
    QVERIFY(!ws.lastError().message().contains(u"secret"_s));
    control.serverCredential = PasswordCredential{u"user"_s, u"secret"_s};
    QVERIFY(ws.setControl(control));
    QVERIFY(ws.control() == control);
    MessageWebSocketControl other = control;
    other.serverCredential->password = u"other"_s;
    QVERIFY(!(other == control));

    // fixed once connecting
    ScriptedServer server;
    QVERIFY(server.listen());
    server.waitForRequest().pause(2000ms);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY(!ws.setControl(other));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidState);
    ws.abort();
}

void tst_ServerAuth::colonInUserNameForBasic()
{
    // Basic cannot carry a ':' in the user name (RFC 7617 §2): refused before a second connection
    ScriptedServer server;
    QVERIFY(server.listen());
    QList<UpgradeRequest> requests;
    demandAuthentication(server, Demand::Basic, &requests);
    MessageWebSocket ws;
    QVERIFY(ws.setControl(controlWith(PasswordCredential{u"dom:user"_s, Password})));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.errors.size(), 1, WaitMs);
    QCOMPARE(spies.error().detail(), ErrorDetail::ColonInUserName);
    QVERIFY(!spies.error().message().contains(u"dom:user"_s));
    QVERIFY(!spies.error().message().contains(Password));
    QTest::qWait(100);
    QCOMPARE(server.connectionCount(), 1);
}

void tst_ServerAuth::throughTheSameProxy()
{
    // the retry goes through the same proxy, which asks for its own credential again
    Socks5Server proxy;
    proxy.setCredential("proxy-user", "proxy-secret");
    QVERIFY(proxy.listen());
    ScriptedServer server;
    QVERIFY(server.listen());
    QList<UpgradeRequest> requests;
    demandAuthentication(server, Demand::DigestSha256, &requests);
    MessageWebSocket ws;
    MessageWebSocketControl control = controlWith(PasswordCredential{User, Password});
    control.proxy.type = ProxyType::Socks5;
    control.proxy.host = u"127.0.0.1"_s;
    control.proxy.port = proxy.port();
    control.proxyCredential = PasswordCredential{u"proxy-user"_s, u"proxy-secret"_s};
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url()));
    QVERIFY2(waitConnected(spies), qPrintable(spies.errorText()));
    QCOMPARE(proxy.tunnelsOpened(), 2);
    QCOMPARE(proxy.authFailures(), 0);
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(ws.information().proxy.type, ProxyType::Socks5);
    QCOMPARE(ws.information().handshake.earlierAttempts.size(), 1);
    const QByteArray shown = everythingShown(ws, spies);
    QVERIFY(!shown.contains("proxy-secret"));
    QVERIFY(!shown.contains(Password.toUtf8()));
    ws.abort();
}

void tst_ServerAuth::wssDigest_data()
{
    QTest::addColumn<Demand>("demand");
    QTest::addColumn<bool>("right");
    QTest::newRow("Digest SHA-256, right credential") << Demand::DigestSha256 << true;
    QTest::newRow("Digest SHA-256, wrong credential") << Demand::DigestSha256 << false;
    QTest::newRow("Basic over wss:// is not in clear") << Demand::Basic << true;
}

void tst_ServerAuth::wssDigest()
{
    // wss://: the retry is a new TCP connection and a new TLS handshake, then the echo works
    QFETCH(Demand, demand);
    QFETCH(bool, right);
    EchoServer server;
    server.setTlsConfiguration(TestPki::serverConfiguration(u"server"_s));
    QList<UpgradeRequest> requests;
    server.setUpgradeGate([demand, &requests](const UpgradeRequest &request) -> QByteArray {
        requests.append(request);
        if (authorized(request, demand))
            return {};
        return "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: " + challengeFor(demand)
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    });
    QVERIFY(server.listen());
    QSignalSpy tcpConnections(&server, &EchoServer::clientConnected);

    MessageWebSocket ws;
    MessageWebSocketControl control = controlWith(PasswordCredential{User, right ? Password : u"wrong"_s});
    control.additionalCaCertificates = TestPki::certificates(u"root-ca.pem"_s);
    QVERIFY(ws.setControl(control));
    ClientSpies spies(&ws);
    QVERIFY(ws.connectAsync(server.url(u"/secure"_s, u"localhost"_s)));
    if (!right) {
        QTRY_COMPARE_WITH_TIMEOUT(spies.errors.size(), 1, WaitMs);
        QCOMPARE(spies.error().detail(), ErrorDetail::CredentialRejected);
        QCOMPARE(spies.error().status(), WebErrorStatus::Unauthorized);
        QVERIFY(!spies.error().message().contains(u"in clear"_s));
        QCOMPARE(requests.size(), 2);
        QCOMPARE(tcpConnections.size(), 2);
        return;
    }
    QVERIFY2(waitConnected(spies), qPrintable(spies.errorText()));
    QCOMPARE(requests.size(), 2);
    QCOMPARE(tcpConnections.size(), 2);
    const MessageWebSocketInformation info = ws.information();
    QVERIFY(info.tls.encrypted);
    QVERIFY(info.tls.defaultValidationPassed);
    QCOMPARE(info.handshake.earlierAttempts.size(), 1);
    QVERIFY(!info.authentication.passwordInClear);
    QVERIFY(!info.authentication.note.contains(u"in clear"_s));
    QVERIFY(!everythingShown(ws, spies).contains(Password.toUtf8()));
    QVERIFY(ws.sendMessage(QByteArrayLiteral("after authentication")));
    QTRY_COMPARE_WITH_TIMEOUT(spies.messages.size(), 1, WaitMs);
    QCOMPARE(spies.message(0).data(), QByteArrayLiteral("after authentication"));
    ws.abort();
}

QTEST_GUILESS_MAIN(tst_ServerAuth)
#include "tst_serverauth.moc"
