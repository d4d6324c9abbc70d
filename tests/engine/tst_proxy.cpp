// Control.proxy and Control.proxyCredential against real proxies on 127.0.0.1: tinyproxy (HTTP
// CONNECT, open, with Basic authentication, with a ConnectPort that refuses the server) and
// danted (SOCKS5, no authentication), started by the test on free ports with their own
// configuration (tests/support/proxydaemon.h); the tests' own Socks5Server for RFC 1929
// username/password; a proxy that accepts and stays silent. ws:// and wss:// (the test PKI, host localhost) behind them.
//
// Every failure asserts that the server was never reached and that no credential shows in the
// error or the handshake transcript.

#include <QNetworkProxy>
#include <QTcpServer>
#include <QTest>

#include "echoserver.h"
#include "enginetest.h"
#include "proxydaemon.h"
#include "socks5server.h"
#include "testpki.h"

using namespace Wsw;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString ProxyUser = u"wsw-proxy-user"_s;
const QString ProxyPassword = u"s3cret-Pr0xy-pass"_s;
const QString WrongPassword = u"wrong-Pr0xy-pass"_s;

MessageWebSocketControl proxyControl(ProxyType type, quint16 port, std::optional<PasswordCredential> credential = {})
{
    MessageWebSocketControl control;
    control.messageType = SocketMessageType::Utf8;
    control.additionalCaCertificates = TestPki::certificates(u"root-ca.pem"_s);
    control.proxy.type = type;
    control.proxy.host = u"127.0.0.1"_s;
    control.proxy.port = port;
    control.proxyCredential = std::move(credential);
    return control;
}

PasswordCredential goodCredential()
{
    return {ProxyUser, ProxyPassword};
}

/** A client with every signal recorded. */
struct Client
{
    explicit Client(const MessageWebSocketControl &control) : spies(&ws) { configured = ws.setControl(control); }
    bool connectTo(const QUrl &url) { return configured && ws.connectAsync(url); }
    bool waitEnded(int ms = WaitMs) { return QTest::qWaitFor([&] { return spies.ended(); }, ms); }

    /** The error and the transcript, where no credential may show. */
    QString everythingSaid() const
    {
        QString text = spies.errorText();
        for (qsizetype i = 0; i < spies.handshakes.size(); ++i) {
            const HandshakeTranscript transcript = spies.transcript(i);
            text += QString::fromLatin1(transcript.request + transcript.responseHeaders + transcript.responseBody);
        }
        const MessageWebSocketInformation info = ws.information();
        text += QString::fromLatin1(info.handshake.request + info.handshake.responseHeaders);
        return text;
    }

    MessageWebSocket ws;
    ClientSpies spies;
    bool configured = false;
};

/** Echoes one text message through an open client. */
bool echoes(Client &client)
{
    if (!client.ws.sendTextMessage(u"through the proxy"_s))
        return false;
    if (!QTest::qWaitFor([&] { return !client.spies.messages.isEmpty() || client.spies.ended(); }, WaitMs))
        return false;
    return !client.spies.messages.isEmpty() && client.spies.message(0).data() == "through the proxy";
}

bool saysNoSecret(const QString &text)
{
    return !text.contains(ProxyPassword) && !text.contains(WrongPassword) && !text.contains(ProxyUser);
}

} // namespace

Q_DECLARE_METATYPE(Wsw::ErrorDetail)
Q_DECLARE_METATYPE(Wsw::WebErrorStatus)

class tst_Proxy final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void noneIgnoresTheApplicationProxy();
    void httpProxy_data();
    void httpProxy();
    void httpProxyCredential_data();
    void httpProxyCredential();
    void httpProxyRefusesTheTarget();
    void socks5Proxy_data();
    void socks5Proxy();
    void socks5Credential_data();
    void socks5Credential();
    void socks5RefusesTheTarget();
    void unreachableProxy_data();
    void unreachableProxy();
    void silentProxyTimesOut_data();
    void silentProxyTimesOut();
    void proxyDiesWhileOpen();
    void systemProxy();
    void setControlValidatesTheProxy_data();
    void setControlValidatesTheProxy();
    void proxyIsFixedOnceConnecting();
};

namespace {

/** The backend behind the proxies: ws, or wss with the test PKI's server certificate for localhost. */
[[nodiscard]] bool listenEchoServer(EchoServer &server, bool tls)
{
    if (tls)
        server.setTlsConfiguration(TestPki::serverConfiguration(u"server"_s));
    return server.listen();
}

/** The credential rows both proxy types are tried with: right, wrong and none, over ws and wss. */
void addCredentialRows()
{
    QTest::addColumn<bool>("tls");
    QTest::addColumn<std::optional<PasswordCredential>>("credential");
    QTest::addColumn<bool>("accepted");
    for (bool tls : {false, true}) {
        const QByteArray scheme = tls ? "wss, " : "ws, ";
        QTest::newRow(QByteArray(scheme + "right credential").constData()) << tls << std::optional(goodCredential()) << true;
        QTest::newRow(QByteArray(scheme + "wrong password").constData()) << tls << std::optional(PasswordCredential{ProxyUser, WrongPassword})
                                                 << false;
        QTest::newRow(QByteArray(scheme + "no credential").constData()) << tls << std::optional<PasswordCredential>() << false;
    }
}

} // namespace

void tst_Proxy::initTestCase()
{
    qRegisterMetaType<WebSocketError>();
    // the tests must not depend on the environment's proxy variables
    for (const char *name : {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                             "ALL_PROXY", "NO_PROXY"})
        qunsetenv(name);
}

void tst_Proxy::cleanup()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void tst_Proxy::noneIgnoresTheApplicationProxy()
{
    EchoServer server;
    QVERIFY(server.listen());
    // an application proxy that leads nowhere: "none" must not go through it
    QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, 1));
    Client client(proxyControl(ProxyType::None, 0));
    QVERIFY(client.connectTo(server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QVERIFY(echoes(client));
    QCOMPARE(client.ws.information().proxy.type, ProxyType::None);
}

void tst_Proxy::httpProxy_data()
{
    QTest::addColumn<bool>("tls");
    QTest::newRow("ws://") << false;
    QTest::newRow("wss://localhost") << true;
}

void tst_Proxy::httpProxy()
{
    QFETCH(bool, tls);
    ProxyDaemon tinyproxy;
    const QString problem = startTinyproxy(tinyproxy, TinyproxyMode::Open);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    EchoServer server;
    QVERIFY(listenEchoServer(server, tls));

    Client client(proxyControl(ProxyType::Http, tinyproxy.port()));
    QVERIFY(client.connectTo(server.url(u"/"_s, u"localhost"_s)));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText() + tinyproxy.log()));
    QVERIFY(echoes(client));
    const MessageWebSocketInformation info = client.ws.information();
    QCOMPARE(info.proxy.type, ProxyType::Http);
    QCOMPARE(info.proxy.host, u"127.0.0.1"_s);
    QCOMPARE(info.proxy.port, tinyproxy.port());
    QVERIFY(!info.proxy.authenticated);
    QVERIFY(!info.proxy.fromSystem);
    QVERIFY2(tinyproxy.log().contains(u"CONNECT localhost:"_s + QString::number(server.port())),
             qPrintable(tinyproxy.log()));
    if (tls) {
        // TLS end to end with the server: its certificate, checked against the URL's host (also the SNI)
        QVERIFY(info.tls.encrypted);
        QCOMPARE(info.tls.peerVerifyName, u"localhost"_s);
        QCOMPARE(info.serverCertificate.value_or(QSslCertificate()), TestPki::certificate(u"server.pem"_s));
        QCOMPARE(server.tlsHandshakeCount(), 1);
    }
    QCOMPARE(server.connectionCount(), 1);
}

void tst_Proxy::httpProxyCredential_data()
{
    addCredentialRows();
}

void tst_Proxy::httpProxyCredential()
{
    QFETCH(bool, tls);
    QFETCH(std::optional<PasswordCredential>, credential);
    QFETCH(bool, accepted);
    ProxyDaemon tinyproxy;
    const QString problem = startTinyproxy(tinyproxy, TinyproxyMode::BasicAuth, ProxyUser, ProxyPassword);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    EchoServer server;
    QVERIFY(listenEchoServer(server, tls));

    Client client(proxyControl(ProxyType::Http, tinyproxy.port(), credential));
    QVERIFY(client.connectTo(server.url(u"/"_s, u"localhost"_s)));
    QVERIFY(client.waitEnded() || waitConnected(client.spies));
    if (accepted) {
        QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText() + tinyproxy.log()));
        QVERIFY(echoes(client));
        QVERIFY(client.ws.information().proxy.authenticated);
        QCOMPARE(server.connectionCount(), 1);
    } else {
        QCOMPARE(client.spies.errors.size(), 1);
        const WebSocketError error = client.spies.error();
        QVERIFY2(error.detail() == ErrorDetail::ProxyAuthenticationRequired, qPrintable(error.toString()));
        QCOMPARE(error.status(), WebErrorStatus::ProxyAuthenticationRequired);
        QVERIFY2(error.message().contains(credential ? u"refused"_s : u"none is set"_s), qPrintable(error.message()));
        QCOMPARE(client.ws.state(), ConnectionState::Failed);
        QVERIFY(!client.ws.information().proxy.authenticated);
        QCOMPARE(server.connectionCount(), 0);
        // it does not ask again: one failure, and nothing more happens
        QTest::qWait(200);
        QCOMPARE(client.spies.errors.size(), 1);
    }
    QVERIFY2(saysNoSecret(client.everythingSaid()), qPrintable(client.everythingSaid()));
}

void tst_Proxy::httpProxyRefusesTheTarget()
{
    ProxyDaemon tinyproxy;
    const QString problem = startTinyproxy(tinyproxy, TinyproxyMode::RefuseTarget);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    EchoServer server;
    QVERIFY(server.listen());
    Client client(proxyControl(ProxyType::Http, tinyproxy.port()));
    QVERIFY(client.connectTo(server.url()));
    QVERIFY(client.waitEnded());
    QCOMPARE(client.spies.errors.size(), 1);
    const WebSocketError error = client.spies.error();
    QVERIFY2(error.detail() == ErrorDetail::ProxyRefusedTarget, qPrintable(error.toString()));
    QCOMPARE(error.status(), WebErrorStatus::CannotConnect);
    QCOMPARE(server.connectionCount(), 0);
}

void tst_Proxy::socks5Proxy_data()
{
    QTest::addColumn<bool>("tls");
    QTest::newRow("danted, ws://") << false;
    QTest::newRow("danted, wss://localhost") << true;
}

void tst_Proxy::socks5Proxy()
{
    QFETCH(bool, tls);
    ProxyDaemon danted;
    const QString problem = startDanted(danted);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    EchoServer server;
    QVERIFY(listenEchoServer(server, tls));

    Client client(proxyControl(ProxyType::Socks5, danted.port()));
    QVERIFY(client.connectTo(server.url(u"/"_s, tls ? u"localhost"_s : u"127.0.0.1"_s)));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText() + danted.log()));
    QVERIFY(echoes(client));
    const MessageWebSocketInformation info = client.ws.information();
    QCOMPARE(info.proxy.type, ProxyType::Socks5);
    QCOMPARE(info.proxy.port, danted.port());
    if (tls) {
        QCOMPARE(info.tls.peerVerifyName, u"localhost"_s);
        QCOMPARE(server.tlsHandshakeCount(), 1);
    }
    QCOMPARE(server.connectionCount(), 1);
}

void tst_Proxy::socks5Credential_data()
{
    addCredentialRows();
}

void tst_Proxy::socks5Credential()
{
    QFETCH(bool, tls);
    QFETCH(std::optional<PasswordCredential>, credential);
    QFETCH(bool, accepted);
    Socks5Server socks;
    socks.setCredential(ProxyUser.toUtf8(), ProxyPassword.toUtf8());
    QVERIFY(socks.listen());
    EchoServer server;
    QVERIFY(listenEchoServer(server, tls));

    Client client(proxyControl(ProxyType::Socks5, socks.port(), credential));
    QVERIFY(client.connectTo(server.url(u"/"_s, u"localhost"_s)));
    QVERIFY(client.waitEnded() || waitConnected(client.spies));
    if (accepted) {
        QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
        QVERIFY(echoes(client));
        QVERIFY(client.ws.information().proxy.authenticated);
        QCOMPARE(socks.lastTarget(), u"localhost"_s); // the name goes to the proxy
        QCOMPARE(server.connectionCount(), 1);
    } else {
        QCOMPARE(client.spies.errors.size(), 1);
        const WebSocketError error = client.spies.error();
        QVERIFY2(error.detail() == ErrorDetail::ProxyAuthenticationRequired, qPrintable(error.toString()));
        QCOMPARE(error.status(), WebErrorStatus::ProxyAuthenticationRequired);
        QCOMPARE(server.connectionCount(), 0);
        QCOMPARE(socks.tunnelsOpened(), 0);
        QVERIFY(socks.authFailures() <= 1); // asked once, never again
        QTest::qWait(200);
        QCOMPARE(client.spies.errors.size(), 1);
    }
    QVERIFY2(saysNoSecret(client.everythingSaid()), qPrintable(client.everythingSaid()));
}

void tst_Proxy::socks5RefusesTheTarget()
{
    Socks5Server socks;
    socks.setRefuseConnect(true);
    QVERIFY(socks.listen());
    EchoServer server;
    QVERIFY(server.listen());
    Client client(proxyControl(ProxyType::Socks5, socks.port()));
    QVERIFY(client.connectTo(server.url()));
    QVERIFY(client.waitEnded());
    const WebSocketError error = client.spies.error();
    QVERIFY2(error.detail() == ErrorDetail::ProxyRefusedTarget, qPrintable(error.toString()));
    QCOMPARE(error.status(), WebErrorStatus::CannotConnect);
    QCOMPARE(server.connectionCount(), 0);
}

void tst_Proxy::unreachableProxy_data()
{
    QTest::addColumn<ProxyType>("type");
    QTest::addColumn<QString>("host");
    QTest::addColumn<ErrorDetail>("detail");
    QTest::newRow("HTTP, nothing listens") << ProxyType::Http << u"127.0.0.1"_s << ErrorDetail::ProxyConnectionRefused;
    QTest::newRow("SOCKS5, nothing listens") << ProxyType::Socks5 << u"127.0.0.1"_s << ErrorDetail::ProxyConnectionRefused;
    QTest::newRow("HTTP, name does not resolve") << ProxyType::Http << u"proxy.invalid"_s << ErrorDetail::ProxyNotFound;
    QTest::newRow("SOCKS5, name does not resolve") << ProxyType::Socks5 << u"proxy.invalid"_s << ErrorDetail::ProxyNotFound;
}

void tst_Proxy::unreachableProxy()
{
    QFETCH(ProxyType, type);
    QFETCH(QString, host);
    QFETCH(ErrorDetail, detail);
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocketControl control = proxyControl(type, freeLocalPort(), goodCredential());
    control.proxy.host = host;
    Client client(control);
    QVERIFY(client.connectTo(server.url()));
    QVERIFY(client.waitEnded(3 * WaitMs));
    const WebSocketError error = client.spies.error();
    QVERIFY2(error.detail() == detail, qPrintable(error.toString()));
    QCOMPARE(error.status(), WebErrorStatus::CannotConnect);
    QVERIFY2(error.message().contains(host), qPrintable(error.message()));
    QVERIFY2(saysNoSecret(client.everythingSaid()), qPrintable(client.everythingSaid()));
    QCOMPARE(server.connectionCount(), 0); // never a direct connection instead
}

void tst_Proxy::silentProxyTimesOut_data()
{
    QTest::addColumn<ProxyType>("type");
    QTest::newRow("HTTP") << ProxyType::Http;
    QTest::newRow("SOCKS5") << ProxyType::Socks5;
}

void tst_Proxy::silentProxyTimesOut()
{
    QFETCH(ProxyType, type);
    QTcpServer silent; // accepts and never says a word
    silent.setProxy(QNetworkProxy::NoProxy);
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocketControl control = proxyControl(type, silent.serverPort());
    control.timeouts.connect = std::chrono::milliseconds(500);
    Client client(control);
    QVERIFY(client.connectTo(server.url()));
    QVERIFY(client.waitEnded());
    const WebSocketError error = client.spies.error();
    QVERIFY2(error.detail() == ErrorDetail::ProxyConnectTimeout, qPrintable(error.toString()));
    QCOMPARE(error.status(), WebErrorStatus::Timeout);
    QVERIFY2(error.message().contains(u"127.0.0.1:"_s + QString::number(silent.serverPort())),
             qPrintable(error.message()));
    QCOMPARE(server.connectionCount(), 0);
}

void tst_Proxy::proxyDiesWhileOpen()
{
    ProxyDaemon tinyproxy;
    const QString problem = startTinyproxy(tinyproxy, TinyproxyMode::Open);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    EchoServer server;
    QVERIFY(server.listen());
    Client client(proxyControl(ProxyType::Http, tinyproxy.port()));
    QVERIFY(client.connectTo(server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QVERIFY(echoes(client));
    tinyproxy.kill();
    QVERIFY(client.waitEnded());
    const WebSocketError error = client.spies.error();
    QVERIFY2(error.detail() == ErrorDetail::ConnectionAborted, qPrintable(error.toString()));
    QCOMPARE(error.status(), WebErrorStatus::ConnectionAborted);
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.closed.size(), 1, WaitMs);
    QCOMPARE(client.spies.closedArgs().code(), quint16(1006));
    QCOMPARE(client.ws.state(), ConnectionState::Failed);
}

void tst_Proxy::systemProxy()
{
    // Debian 12: Qt 6.4 asks libproxy, which reads http_proxy / https_proxy / no_proxy
    ProxyDaemon tinyproxy;
    const QString problem = startTinyproxy(tinyproxy, TinyproxyMode::Open);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    EchoServer server;
    QVERIFY(server.listen());
    const QByteArray proxyUrl = "http://127.0.0.1:" + QByteArray::number(tinyproxy.port());
    qputenv("http_proxy", proxyUrl);
    const auto restore = qScopeGuard([] {
        qunsetenv("http_proxy");
        qunsetenv("no_proxy");
    });
    {
        Client client(proxyControl(ProxyType::System, 0));
        QVERIFY(client.connectTo(server.url(u"/"_s, u"localhost"_s)));
        QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
        const ProxyInformation info = client.ws.information().proxy;
        QVERIFY(info.fromSystem);
        QCOMPARE(info.type, ProxyType::Http);
        QCOMPARE(info.port, tinyproxy.port());
        QVERIFY(tinyproxy.log().contains(u"CONNECT localhost:"_s));
    }
    qputenv("no_proxy", "localhost");
    {
        Client client(proxyControl(ProxyType::System, 0));
        QVERIFY(client.connectTo(server.url(u"/"_s, u"localhost"_s)));
        QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
        const ProxyInformation info = client.ws.information().proxy;
        QVERIFY(info.fromSystem);
        QCOMPARE(info.type, ProxyType::None); // no_proxy: direct
    }
    // all_proxy (libproxy does not read it; the engine does, as curl): used when http_proxy is unset
    qunsetenv("http_proxy");
    qunsetenv("no_proxy");
    qputenv("all_proxy", proxyUrl);
    const auto restoreAll = qScopeGuard([] { qunsetenv("all_proxy"); qunsetenv("no_proxy"); });
    {
        Client client(proxyControl(ProxyType::System, 0));
        QVERIFY(client.connectTo(server.url(u"/"_s, u"localhost"_s)));
        QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
        const ProxyInformation info = client.ws.information().proxy;
        QVERIFY(info.fromSystem);
        QCOMPARE(info.type, ProxyType::Http);
        QCOMPARE(info.port, tinyproxy.port());
    }
    qputenv("no_proxy", ".example.org, localhost:1, localhost");
    {
        Client client(proxyControl(ProxyType::System, 0));
        QVERIFY(client.connectTo(server.url(u"/"_s, u"localhost"_s)));
        QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
        QCOMPARE(client.ws.information().proxy.type, ProxyType::None); // no_proxy applies to all_proxy too
    }
    QCOMPARE(server.connectionCount(), 4);
}

void tst_Proxy::setControlValidatesTheProxy_data()
{
    QTest::addColumn<MessageWebSocketControl>("control");
    QTest::addColumn<QString>("field");
    MessageWebSocketControl control = proxyControl(ProxyType::Http, 3128);
    control.proxy.host.clear();
    QTest::newRow("HTTP without host") << control << u"proxy.host"_s;
    control = proxyControl(ProxyType::Socks5, 1080);
    control.proxy.host = u"  "_s;
    QTest::newRow("SOCKS5 with a blank host") << control << u"proxy.host"_s;
    QTest::newRow("HTTP port 0") << proxyControl(ProxyType::Http, 0) << u"proxy.port"_s;
    QTest::newRow("SOCKS5 port 0") << proxyControl(ProxyType::Socks5, 0) << u"proxy.port"_s;
    QTest::newRow("empty user name") << proxyControl(ProxyType::Http, 3128, PasswordCredential{{}, ProxyPassword})
                                     << u"proxyCredential.userName"_s;
    QTest::newRow("SOCKS5 password over 255 bytes")
            << proxyControl(ProxyType::Socks5, 1080, PasswordCredential{ProxyUser, QString(256, u'p')})
            << u"proxyCredential"_s;
}

void tst_Proxy::setControlValidatesTheProxy()
{
    QFETCH(MessageWebSocketControl, control);
    QFETCH(QString, field);
    MessageWebSocket ws;
    QVERIFY(!ws.setControl(control));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidArgument);
    QVERIFY2(ws.lastError().message().contains(field), qPrintable(ws.lastError().message()));
    QVERIFY(!ws.lastError().message().contains(ProxyPassword));
    QVERIFY(ws.control() == MessageWebSocketControl());
    // the port and host of an unused proxy type are not checked
    MessageWebSocketControl unused;
    unused.proxy.type = ProxyType::System;
    QVERIFY(ws.setControl(unused));
}

void tst_Proxy::proxyIsFixedOnceConnecting()
{
    EchoServer server;
    QVERIFY(server.listen());
    MessageWebSocketControl control;
    Client client(control);
    QVERIFY(client.connectTo(server.url()));
    QVERIFY(waitConnected(client.spies));
    MessageWebSocketControl changed = control;
    changed.proxyCredential = goodCredential();
    QVERIFY(!(changed == control)); // the credential takes part in equality
    QVERIFY(!client.ws.setControl(changed));
    QCOMPARE(client.ws.lastError().detail(), ErrorDetail::InvalidState);
    changed = control;
    changed.proxy = {ProxyType::Socks5, u"127.0.0.1"_s, 1080};
    QVERIFY(!(changed == control));
    QVERIFY(!client.ws.setControl(changed));
    QCOMPARE(client.ws.lastError().detail(), ErrorDetail::InvalidState);
}

QTEST_GUILESS_MAIN(tst_Proxy)
#include "tst_proxy.moc"
