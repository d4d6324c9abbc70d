// wss:// against real TLS servers that no one here wrote, with the test PKI (tests/pki):
// Python's websockets on Python's ssl module (Debian's OpenSSL), and nginx (Debian's package)
// terminating TLS in front of a plain ws:// websockets server. The rows of tst_interop run over
// wss:// too (interop_python_tls, interop_nginx*); these are the TLS-specific ones: what
// information() says of the session, each certificate error refused and then ignored, pins,
// mutual TLS with PEM and PKCS#12 client certificates, big and many messages, TLS 1.2 through
// nginx, and nginx going away under an open connection.
//
// Whenever the client refuses the server (or the server the client), the server must not have
// seen the upgrade request: every such attempt asks for a target of its own, and the Python
// server's /requests route lists the targets it received.

#include <chrono>
#include <map>
#include <memory>

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTest>

#include "api/chainvalidation.h"
#include "api/messagewebsocket.h"
#include "interopclient.h"
#include "interopserver.h"
#include "nginxserver.h"
#include "testpki.h"

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace InteropTest;

using Wsw::ChainValidationResult;
using Wsw::ClientCertificate;
using Wsw::ConnectionState;
using Wsw::ErrorDetail;
using Wsw::MessageWebSocketControl;
using Wsw::MessageWebSocketInformation;
using Wsw::SocketMessageType;
using Wsw::SocketSslErrorSeverity;
using Wsw::WebErrorStatus;
using Wsw::WebSocketError;
using R = ChainValidationResult;

Q_DECLARE_METATYPE(Wsw::ChainValidationResult)
Q_DECLARE_METATYPE(Wsw::WebErrorStatus)
Q_DECLARE_METATYPE(Wsw::ErrorDetail)

namespace {

/** One Python websockets server over wss:// (python_server.py --tls-*). */
struct TlsServerKind
{
    const char *name;
    const char *certificateChain; // what it presents
    const char *key;
    const char *clientCa = nullptr; // mutual TLS: the CAs it verifies client certificates against
    /** What default validation of its chain meets (for 127.0.0.1): what a client must ignore. */
    QList<ChainValidationResult> errors = {};
    /** --tls-send-alerts: the fatal alert of a failed handshake is sent (CPython gh-98078). */
    bool sendsAlerts = false;
};

const QList<TlsServerKind> &serverKinds()
{
    static const QList<TlsServerKind> kinds = {
        {"server", "server-chain.pem", "server.key"},
        {"wrong-host", "wrong-host-chain.pem", "wrong-host.key", nullptr, {R::InvalidName}},
        {"expired", "expired-chain.pem", "expired.key", nullptr, {R::Expired}},
        {"self-signed", "self-signed.pem", "self-signed.key", nullptr, {R::Untrusted}},
        // mutual TLS, trusting the root and the intermediate: as Debian's asyncio does it (no
        // alert when it refuses the client), and with the alert
        {"mtls", "server-chain.pem", "server.key", "client-ca-bundle.pem"},
        {"mtls-alerts", "server-chain.pem", "server.key", "client-ca-bundle.pem", {}, true},
        // trusting the root alone: the client has to send the intermediate with its certificate
        {"mtls-root-only", "server-chain.pem", "server.key", "ca-bundle.pem", {}, true},
    };
    return kinds;
}

const TlsServerKind &serverKind(const QString &name)
{
    for (const TlsServerKind &kind : serverKinds()) {
        if (QLatin1StringView(kind.name) == name)
            return kind;
    }
    qFatal("no TLS server kind %s", qPrintable(name));
}

/** A control that trusts the test root, as the system would trust a public CA. */
MessageWebSocketControl trustingControl()
{
    MessageWebSocketControl control;
    control.additionalCaCertificates = TestPki::certificates(u"root-ca.pem"_s);
    return control;
}

ClientCertificate loadClientCertificate(const QString &certificateFile, const QString &keyFile,
                                        const QByteArray &passphrase)
{
    WebSocketError error;
    const std::optional<ClientCertificate> loaded =
        ClientCertificate::load(TestPki::path(certificateFile),
                                keyFile.isEmpty() ? QString() : TestPki::path(keyFile), passphrase, &error);
    if (!loaded)
        qFatal("cannot load the client certificate %s: %s", qPrintable(certificateFile),
               qPrintable(error.toString()));
    return *loaded;
}

/** A control that any of the servers accepts, and that accepts any of them (for /requests). */
MessageWebSocketControl acceptingControl(const TlsServerKind &kind)
{
    MessageWebSocketControl control = trustingControl();
    control.ignorableServerCertificateErrors = kind.errors;
    if (kind.clientCa)
        control.clientCertificate = loadClientCertificate(u"client.p12"_s, {}, "wsw-secret");
    return control;
}

QString names(const QList<ChainValidationResult> &results)
{
    QStringList texts;
    for (ChainValidationResult result : results)
        texts.append(Wsw::ChainValidation::name(result));
    return u'[' + texts.join(u", "_s) + u']';
}

/** Waits (bounded) until the client connected, or failed or ended without connecting. */
bool waitSettled(const Client &client)
{
    return QTest::qWaitFor(
        [&] { return !client.connected.isEmpty() || !client.errors.isEmpty() || !client.closed.isEmpty(); },
        ConnectBoundMs);
}

/** The first message as JSON (the /tls and /requests routes start with one). */
QJsonDocument firstMessageJson(const Client &client)
{
    return client.messages.isEmpty() ? QJsonDocument() : QJsonDocument::fromJson(client.message(0).data());
}

} // namespace

class tst_InteropTls final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    // Python websockets serving wss:// itself
    void sessionInformation_data();
    void sessionInformation();
    void certificateErrors_data();
    void certificateErrors();
    void pins_data();
    void pins();
    void mutualTls_data();
    void mutualTls();
    void closeHandshakeWithAsyncioDefaults();
    void bigMessages();
    void manySmallMessages();

    // nginx terminating TLS in front of a ws:// websockets server
    void nginxSession_data();
    void nginxSession();
    void nginxGoesAwayUnderAnOpenConnection();
    // Control.serverCredential against nginx's auth_basic
    void nginxBasicAuth_data();
    void nginxBasicAuth();

private:
    QUrl url(const QString &kind, const QString &route, const QString &host = u"127.0.0.1"_s) const;
    /** A target of its own for an attempt that must never reach the server. */
    QString uniqueTarget(const char *what);
    /** The targets the server `kind` has received so far (its /requests route), or an error text. */
    QStringList requestTargets(const QString &kind, QString *why);
    bool closeCleanly(Client &client, QString *why);
    /** The client's connection was refused before the upgrade: nothing upgraded, no closed(). */
    void checkRefusedBeforeUpgrade(const Client &client, const QString &kind, const QString &target);

    std::map<QString, std::unique_ptr<Wsw::Test::InteropServer>> m_servers; // by kind
    Wsw::Test::InteropServer m_backend;                                     // ws://, behind nginx
    Wsw::Test::NginxServer m_nginx;                                         // TLS 1.2 and 1.3
    Wsw::Test::NginxServer m_nginx12;                                       // TLS 1.2 only
    int m_attempts = 0;
    int m_passed = 0;
    QStringList m_failedRows;
};

void tst_InteropTls::initTestCase()
{
    const QProcessEnvironment environment = [] {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
        return env;
    }();
    const QString python = QStringLiteral(WSW_INTEROP_PYTHON);
    const QString script = QStringLiteral(WSW_INTEROP_SERVERS_DIR) + u"/python_server.py"_s;
    QString error;
    for (const TlsServerKind &kind : serverKinds()) {
        QStringList arguments = {script, u"--tls-cert"_s,
                                 TestPki::path(QString::fromLatin1(kind.certificateChain)), u"--tls-key"_s,
                                 TestPki::path(QString::fromLatin1(kind.key))};
        if (kind.clientCa)
            arguments += {u"--tls-client-ca"_s, TestPki::path(QString::fromLatin1(kind.clientCa))};
        if (kind.sendsAlerts)
            arguments += u"--tls-send-alerts"_s;
        auto server = std::make_unique<Wsw::Test::InteropServer>();
        QVERIFY2(server->start(python, arguments, environment, ServerStartBound, &error), qPrintable(error));
        m_servers[QString::fromLatin1(kind.name)] = std::move(server);
    }
    QVERIFY2(m_backend.start(python, {script}, environment, ServerStartBound, &error), qPrintable(error));

    Wsw::Test::NginxServer::Settings settings;
    settings.program = QStringLiteral(WSW_INTEROP_NGINX);
    settings.backendPort = m_backend.port();
    settings.certificateChain = TestPki::path(u"server-chain.pem"_s);
    settings.privateKey = TestPki::path(u"server.key"_s);
    QVERIFY2(m_nginx.start(settings, ServerStartBound, &error), qPrintable(error));
    settings.protocols = u"TLSv1.2"_s;
    QVERIFY2(m_nginx12.start(settings, ServerStartBound, &error), qPrintable(error));
    qInfo().noquote() << u"interop[tls]: %1 Python wss:// servers, nginx on 127.0.0.1:%2 and (TLS 1.2) :%3"_s
                             .arg(m_servers.size())
                             .arg(m_nginx.port())
                             .arg(m_nginx12.port());
}

void tst_InteropTls::cleanupTestCase()
{
    QList<qint64> nginxProcesses;
    for (Wsw::Test::NginxServer *nginx : {&m_nginx, &m_nginx12}) {
        if (nginx->masterPid() != 0)
            nginxProcesses += QList<qint64>{nginx->masterPid()} + nginx->workerPids();
        nginx->stop();
    }
    m_backend.stop();
    m_servers.clear();
    QString summary = u"interop[tls]: %1 of %2 rows passed, %3 failed"_s.arg(m_passed)
                          .arg(m_passed + m_failedRows.size())
                          .arg(m_failedRows.size());
    if (!m_failedRows.isEmpty())
        summary += u" (failed: "_s + m_failedRows.join(u", "_s) + u')';
    qInfo().noquote() << summary;
    // every nginx process of this run has ended (stop() waited for the masters, then their workers)
    QVERIFY2(m_nginx.leftovers().isEmpty() && m_nginx12.leftovers().isEmpty(),
             "nginx processes outlived stop() (then killed)");
    for (qint64 pid : std::as_const(nginxProcesses))
        QVERIFY2(!Wsw::Test::NginxServer::isNginxProcess(pid),
                 qPrintable(u"nginx %1 of this run is still there"_s.arg(pid)));
}

void tst_InteropTls::cleanup()
{
    if (QTest::currentTestFailed()) {
        const QString tag = QString::fromUtf8(QTest::currentDataTag());
        m_failedRows.append(QString::fromLatin1(QTest::currentTestFunction()) +
                            (tag.isEmpty() ? QString() : u'(' + tag + u')'));
    } else {
        ++m_passed;
    }
}

QUrl tst_InteropTls::url(const QString &kind, const QString &route, const QString &host) const
{
    quint16 port = 0;
    if (kind == u"nginx")
        port = m_nginx.port();
    else if (kind == u"nginx-tls12")
        port = m_nginx12.port();
    else
        port = m_servers.at(kind)->port();
    return QUrl(u"wss://%1:%2%3"_s.arg(host).arg(port).arg(route));
}

QString tst_InteropTls::uniqueTarget(const char *what)
{
    return u"/echo?attempt=%1&what=%2"_s.arg(++m_attempts).arg(QString::fromLatin1(what));
}

QStringList tst_InteropTls::requestTargets(const QString &kind, QString *why)
{
    Client client;
    if (!client.socket.setControl(acceptingControl(serverKind(kind)))) {
        *why = client.socket.lastError().toString();
        return {};
    }
    if (!client.socket.connectAsync(url(kind, u"/requests"_s)) || !waitSettled(client) ||
        client.connected.isEmpty() || !waitForMessages(client, 1)) {
        *why = u"cannot ask %1 for its requests: %2"_s.arg(kind, describeEnd(client));
        return {};
    }
    QStringList targets;
    for (const QJsonValue &value : firstMessageJson(client).array())
        targets.append(value.toString());
    client.socket.abort();
    return targets;
}

bool tst_InteropTls::closeCleanly(Client &client, QString *why)
{
    if (!client.socket.close()) {
        *why = u"close() refused: "_s + client.socket.lastError().toString();
        return false;
    }
    if (!QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, CloseBoundMs)) {
        *why = u"no closed() within %1 ms of close(): "_s.arg(CloseBoundMs) + describeEnd(client);
        return false;
    }
    if (!client.closedArgs().wasClean() || !client.errors.isEmpty()) {
        *why =
            u"close was not clean: code %1, %2"_s.arg(client.closedArgs().code()).arg(describeErrors(client));
        return false;
    }
    return true;
}

void tst_InteropTls::checkRefusedBeforeUpgrade(const Client &client, const QString &kind,
                                               const QString &target)
{
    QVERIFY2(client.connected.isEmpty(), "connected");
    QCOMPARE(client.errors.size(), 1);
    QVERIFY(client.closed.isEmpty()); // it never was open
    QCOMPARE(client.socket.state(), ConnectionState::Failed);
    QVERIFY(client.socket.information().handshake.httpStatus == 0);
    // the server never saw the upgrade request
    QString why;
    const QStringList targets = requestTargets(kind, &why);
    QVERIFY2(!targets.isEmpty(), qPrintable(why));
    QVERIFY2(!targets.contains(target), qPrintable(u"%1 received %2"_s.arg(kind, target)));
}

// --- Python websockets over wss:// ---------------------------------------------------------------

void tst_InteropTls::sessionInformation_data()
{
    QTest::addColumn<QString>("host");

    QTest::newRow("127.0.0.1") << u"127.0.0.1"_s;
    QTest::newRow("localhost") << u"localhost"_s; // a name: the SNI carries it
}

void tst_InteropTls::sessionInformation()
{
    QFETCH(QString, host);

    Client client;
    QVERIFY(client.socket.setControl(trustingControl()));
    QVERIFY(client.socket.connectAsync(url(u"server"_s, u"/tls"_s, host)));
    QVERIFY2(waitSettled(client) && !client.connected.isEmpty(), qPrintable(describeEnd(client)));

    const MessageWebSocketInformation info = client.socket.information();
    QVERIFY(info.tls.encrypted);
    QCOMPARE(info.tls.protocol, u"TLSv1.3"_s);
    QVERIFY2(info.tls.cipherBits >= 128, qPrintable(info.tls.cipher));
    QCOMPARE(info.tls.peerVerifyName, host);
    QVERIFY(info.tls.defaultValidationPassed);
    QVERIFY(!info.tls.acceptedByOverride);
    QVERIFY(info.tls.matchedPin.isEmpty());
    QCOMPARE(info.tls.presentedPins,
             (QStringList{TestPki::pin(u"server"_s), TestPki::pin(u"intermediate-ca"_s)}));
    QCOMPARE(info.serverCertificate.value_or(QSslCertificate()), TestPki::certificate(u"server.pem"_s));
    QCOMPARE(info.serverIntermediateCertificates, TestPki::certificates(u"intermediate-ca.pem"_s));
    QVERIFY(info.serverCertificateErrors.isEmpty());
    QCOMPARE(info.serverCertificateErrorSeverity, SocketSslErrorSeverity::None);
    QVERIFY(info.sslErrors.isEmpty());

    // what the server saw of the same session
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    const QJsonObject server = firstMessageJson(client).object();
    QCOMPARE(server.value(u"version"_s).toString(), u"TLSv1.3"_s);
    QCOMPARE(server.value(u"cipher"_s).toString(), info.tls.cipher);
    // RFC 6066 §3: no server name for an IP address
    const bool isAddress = !QHostAddress(host).isNull();
    QCOMPARE(server.value(u"sni"_s).toString(), isAddress ? QString() : host);
    QVERIFY(server.value(u"sni"_s).isNull() == isAddress);
    QVERIFY(server.value(u"clientCertificate"_s).isNull());

    client.socket.setMessageType(SocketMessageType::Utf8);
    QVERIFY(client.socket.sendMessage("über TLS"_ba));
    QVERIFY2(waitForMessages(client, 2), qPrintable(describeEnd(client)));
    QCOMPARE(client.message(1).text(), u"über TLS"_s);
    QString why;
    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
    // kept after the end
    QCOMPARE(client.socket.information().serverCertificate.value_or(QSslCertificate()), TestPki::certificate(u"server.pem"_s));
}

void tst_InteropTls::certificateErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QList<ChainValidationResult>>("errors");
    QTest::addColumn<WebErrorStatus>("status");
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<ChainValidationResult>("otherError"); // ignorable, but not the one met

    QTest::newRow("wrong host") << u"wrong-host"_s << QList<R>{R::InvalidName}
                                << WebErrorStatus::CertificateCommonNameIsIncorrect << u"wrong-host.pem"_s
                                << R::Expired;
    QTest::newRow("expired") << u"expired"_s << QList<R>{R::Expired} << WebErrorStatus::CertificateExpired
                             << u"expired.pem"_s << R::InvalidName;
    QTest::newRow("self-signed") << u"self-signed"_s << QList<R>{R::Untrusted}
                                 << WebErrorStatus::CertificateIsInvalid << u"self-signed.pem"_s
                                 << R::Expired;
}

void tst_InteropTls::certificateErrors()
{
    QFETCH(QString, kind);
    QFETCH(QList<ChainValidationResult>, errors);
    QFETCH(WebErrorStatus, status);
    QFETCH(QString, leaf);
    QFETCH(ChainValidationResult, otherError);

    // refused by default validation, and when only another error is ignorable
    for (const bool ignoreAnother : {false, true}) {
        const QString step = ignoreAnother ? u"ignoring %1 only"_s.arg(Wsw::ChainValidation::name(otherError))
                                           : u"default validation"_s;
        MessageWebSocketControl control = trustingControl();
        if (ignoreAnother)
            control.ignorableServerCertificateErrors = {otherError};
        Client client;
        QVERIFY(client.socket.setControl(control));
        const QString target = uniqueTarget(ignoreAnother ? "ignoring-another" : "refused");
        QVERIFY(client.socket.connectAsync(url(kind, target)));
        QVERIFY2(waitSettled(client), qPrintable(step + u": "_s + describeEnd(client)));
        QVERIFY2(client.connected.isEmpty(), qPrintable(step + u": connected"_s));
        const WebSocketError error = client.error();
        QVERIFY2(error.detail() == ErrorDetail::CertificateRejected,
                 qPrintable(step + u": "_s + error.toString()));
        QCOMPARE(error.status(), status);
        QVERIFY2(error.certificateErrors() == errors,
                 qPrintable(step + u": "_s + names(error.certificateErrors()) + u" instead of "_s +
                            names(errors)));
        QVERIFY(!error.sslErrors().isEmpty());
        const MessageWebSocketInformation info = client.socket.information();
        QVERIFY(!info.tls.encrypted);
        QVERIFY(!info.tls.defaultValidationPassed);
        QCOMPARE(info.serverCertificate.value_or(QSslCertificate()), TestPki::certificate(leaf));
        QCOMPARE(info.serverCertificateErrors, errors);
        QCOMPARE(info.serverCertificateErrorSeverity, SocketSslErrorSeverity::Ignorable);
        checkRefusedBeforeUpgrade(client, kind, target);
        if (QTest::currentTestFailed())
            return;
    }

    // accepted when exactly that error is ignorable; information() still tells it
    Client client;
    MessageWebSocketControl control = trustingControl();
    control.ignorableServerCertificateErrors = errors;
    QVERIFY(client.socket.setControl(control));
    QVERIFY(client.socket.connectAsync(url(kind, u"/tls"_s)));
    QVERIFY2(waitSettled(client) && !client.connected.isEmpty(), qPrintable(describeEnd(client)));
    const MessageWebSocketInformation info = client.socket.information();
    QVERIFY(info.tls.encrypted);
    QVERIFY(info.tls.defaultValidationPassed);
    QCOMPARE(info.tls.protocol, u"TLSv1.3"_s);
    QCOMPARE(info.serverCertificate.value_or(QSslCertificate()), TestPki::certificate(leaf));
    QCOMPARE(info.serverCertificateErrors, errors);
    QCOMPARE(info.serverCertificateErrorSeverity, SocketSslErrorSeverity::Ignorable);
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    QCOMPARE(firstMessageJson(client).object().value(u"version"_s).toString(), u"TLSv1.3"_s);
    client.socket.setMessageType(SocketMessageType::Binary);
    QVERIFY(client.socket.sendMessage(binaryPayload(100000)));
    QVERIFY2(waitForMessages(client, 2), qPrintable(describeEnd(client)));
    QVERIFY(client.message(1).data() == binaryPayload(100000));
    QString why;
    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_InteropTls::pins_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("pins");
    QTest::addColumn<ErrorDetail>("failure"); // None: connects
    QTest::addColumn<QString>("matchedPin");

    const QString server = TestPki::pin(u"server"_s);
    const QString intermediate = TestPki::pin(u"intermediate-ca"_s);
    QTest::newRow("the server's key") << u"server"_s << QStringList{server} << ErrorDetail::None << server;
    QTest::newRow("a wrong pin and the server's key")
        << u"server"_s << QStringList{TestPki::pin(u"other-server"_s), server} << ErrorDetail::None << server;
    QTest::newRow("the intermediate's key on a trusted chain")
        << u"server"_s << QStringList{intermediate} << ErrorDetail::None << intermediate;
    QTest::newRow("a wrong pin") << u"server"_s << QStringList{TestPki::pin(u"other-server"_s)}
                                 << ErrorDetail::PinMismatch << QString();
    QTest::newRow("the root's key: never presented")
        << u"server"_s << QStringList{TestPki::pin(u"root-ca"_s)} << ErrorDetail::PinMismatch << QString();
    // a pinned leaf waives Untrusted, nothing else
    QTest::newRow("a self-signed leaf, pinned")
        << u"self-signed"_s << QStringList{TestPki::pin(u"self-signed"_s)} << ErrorDetail::None
        << TestPki::pin(u"self-signed"_s);
    QTest::newRow("a wrong host, pinned") << u"wrong-host"_s << QStringList{TestPki::pin(u"wrong-host"_s)}
                                          << ErrorDetail::CertificateRejected << QString();
}

void tst_InteropTls::pins()
{
    QFETCH(QString, kind);
    QFETCH(QStringList, pins);
    QFETCH(ErrorDetail, failure);
    QFETCH(QString, matchedPin);

    Client client;
    MessageWebSocketControl control = trustingControl();
    control.pinnedPublicKeys = pins;
    QVERIFY(client.socket.setControl(control));
    const QString target = uniqueTarget("pinned");
    QVERIFY(client.socket.connectAsync(url(kind, target)));
    QVERIFY2(waitSettled(client), qPrintable(describeEnd(client)));
    const MessageWebSocketInformation info = client.socket.information();
    const QStringList presented = kind == u"self-signed"
                                      ? QStringList{TestPki::pin(kind)}
                                      : QStringList{TestPki::pin(kind), TestPki::pin(u"intermediate-ca"_s)};
    QCOMPARE(info.tls.presentedPins, presented);

    if (failure == ErrorDetail::None) {
        QVERIFY2(!client.connected.isEmpty(), qPrintable(describeEnd(client)));
        QCOMPARE(info.tls.matchedPin, matchedPin);
        QVERIFY(info.tls.defaultValidationPassed);
        client.socket.setMessageType(SocketMessageType::Utf8);
        QVERIFY(client.socket.sendMessage("pinned"_ba));
        QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
        QString why;
        QVERIFY2(closeCleanly(client, &why), qPrintable(why));
        return;
    }
    QVERIFY2(client.error().detail() == failure, qPrintable(client.error().toString()));
    if (failure == ErrorDetail::PinMismatch) {
        // the message names the keys the server presented, for a pin to copy
        QVERIFY2(client.error().message().contains(TestPki::pin(u"server"_s)),
                 qPrintable(client.error().message()));
        QVERIFY(info.tls.matchedPin.isEmpty());
    } else {
        QCOMPARE(client.error().certificateErrors(), QList<R>{R::InvalidName});
    }
    checkRefusedBeforeUpgrade(client, kind, target);
}

void tst_InteropTls::mutualTls_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("certificateFile"); // empty: none
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<QByteArray>("passphrase");
    QTest::addColumn<ErrorDetail>("failure"); // None: connects
    QTest::addColumn<QString>("says");        // a part of the error's message

    // the server trusts the root and the intermediate
    QTest::newRow("PEM") << u"mtls"_s << u"client.pem"_s << u"client.key"_s << QByteArray()
                         << ErrorDetail::None << QString();
    QTest::newRow("PEM, encrypted key") << u"mtls"_s << u"client.pem"_s << u"client-encrypted.key"_s
                                        << "wsw-secret"_ba << ErrorDetail::None << QString();
    QTest::newRow("PKCS#12") << u"mtls"_s << u"client.p12"_s << QString() << "wsw-secret"_ba
                             << ErrorDetail::None << QString();
    // Debian's asyncio sends no alert when the handshake fails (CPython gh-98078): after the
    // client's side of the TLS 1.3 handshake the server just hangs up, and the error can only guess
    QTest::newRow("none, no alert") << u"mtls"_s << QString() << QString() << QByteArray()
                                    << ErrorDetail::ConnectionAborted
                                    << u"may require a client certificate"_s;
    QTest::newRow("issued by an unknown CA, no alert")
        << u"mtls"_s << u"other-server.pem"_s << u"other-server.key"_s << QByteArray()
        << ErrorDetail::ConnectionAborted << u"may have refused the client certificate"_s;
    // with OpenSSL's alerts: certificate_required (TLS 1.3), unknown_ca
    QTest::newRow("none") << u"mtls-alerts"_s << QString() << QString() << QByteArray()
                          << ErrorDetail::ClientCertificateRequired << u"certificate required"_s;
    QTest::newRow("issued by an unknown CA")
        << u"mtls-alerts"_s << u"other-server.pem"_s << u"other-server.key"_s << QByteArray()
        << ErrorDetail::ClientCertificateRejected << QString();
    // the server trusts the root only: the client's intermediate must come with its certificate
    QTest::newRow("root only: PEM chain") << u"mtls-root-only"_s << u"client-chain.pem"_s << u"client.key"_s
                                          << QByteArray() << ErrorDetail::None << QString();
    QTest::newRow("root only: PKCS#12 (with the intermediate)")
        << u"mtls-root-only"_s << u"client.p12"_s << QString() << "wsw-secret"_ba << ErrorDetail::None
        << QString();
    QTest::newRow("root only: PEM leaf without the intermediate")
        << u"mtls-root-only"_s << u"client.pem"_s << u"client.key"_s << QByteArray()
        << ErrorDetail::ClientCertificateRejected << QString();
}

void tst_InteropTls::mutualTls()
{
    QFETCH(QString, kind);
    QFETCH(QString, certificateFile);
    QFETCH(QString, keyFile);
    QFETCH(QByteArray, passphrase);
    QFETCH(ErrorDetail, failure);
    QFETCH(QString, says);

    Client client;
    MessageWebSocketControl control = trustingControl();
    if (!certificateFile.isEmpty())
        control.clientCertificate = loadClientCertificate(certificateFile, keyFile, passphrase);
    QVERIFY(client.socket.setControl(control));
    const QString target = failure == ErrorDetail::None ? u"/tls"_s : uniqueTarget("refused-client");
    QVERIFY(client.socket.connectAsync(url(kind, target)));
    QVERIFY2(waitSettled(client), qPrintable(describeEnd(client)));

    if (failure == ErrorDetail::None) {
        QVERIFY2(!client.connected.isEmpty(), qPrintable(describeEnd(client)));
        QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
        const QJsonObject server = firstMessageJson(client).object();
        QCOMPARE(server.value(u"clientCertificate"_s).toString(), u"WSW Test Client"_s);
        QCOMPARE(server.value(u"version"_s).toString(), u"TLSv1.3"_s);
        client.socket.setMessageType(SocketMessageType::Binary);
        QVERIFY(client.socket.sendMessage(binaryPayload(70000)));
        QVERIFY2(waitForMessages(client, 2), qPrintable(describeEnd(client)));
        QVERIFY(client.message(1).data() == binaryPayload(70000));
        QString why;
        QVERIFY2(closeCleanly(client, &why), qPrintable(why));
        return;
    }
    // TLS 1.3: the client's handshake is done before the server judges its certificate, so the
    // upgrade request is written; the server's alert (or its hang-up) comes instead of the
    // answer, and the server never reads the request
    const WebSocketError error = client.error();
    QVERIFY2(error.detail() == failure, qPrintable(describeEnd(client)));
    QVERIFY2(error.message().contains(says), qPrintable(error.message()));
    QCOMPARE(client.socket.information().tls.protocol, u"TLSv1.3"_s);
    checkRefusedBeforeUpgrade(client, kind, target);
}

void tst_InteropTls::closeHandshakeWithAsyncioDefaults()
{
    // websockets cannot half-close TLS: once both close frames are through, it closes the TLS
    // connection (close_notify) and waits for the client's close_notify or end of TCP, up to its
    // close_timeout (10 s), before it drops TCP itself. A client that answers close_notify, or
    // closes TCP on it, ends the connection at once.
    Client client;
    QVERIFY(client.socket.setControl(trustingControl()));
    QVERIFY(client.socket.connectAsync(url(u"server"_s, u"/echo"_s)));
    QVERIFY2(waitSettled(client) && !client.connected.isEmpty(), qPrintable(describeEnd(client)));
    client.socket.setMessageType(SocketMessageType::Utf8);
    QVERIFY(client.socket.sendMessage("hello"_ba));
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));

    QVERIFY(client.socket.close());
    constexpr int PromptMs = 1500;
    const bool prompt = QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, PromptMs);
    // the engine takes the server's close_notify as the end of the stream (it was found waiting
    // for a FIN here, which websockets only sends after its 10 s close_timeout)
    QVERIFY2(prompt,
             qPrintable(u"no closed() within %1 ms of close(): "_s.arg(PromptMs) + describeEnd(client)));
    QVERIFY(client.closedArgs().wasClean());
    QCOMPARE(client.closedArgs().code(), quint16(1005));
}

void tst_InteropTls::bigMessages()
{
    // every length encoding up to 16 MiB, both types, all queued at once: the send path over
    // QSslSocket's buffers against a server that reads as fast as it can
    Client client;
    QVERIFY(client.socket.setControl(trustingControl()));
    QVERIFY(client.socket.connectAsync(url(u"server"_s, u"/echo"_s)));
    QVERIFY2(waitSettled(client) && !client.connected.isEmpty(), qPrintable(describeEnd(client)));
    const QList<qsizetype> sizes = {0, 1, 125, 126, 65535, 65536, 1 * MiB, 16 * MiB};
    QList<QPair<SocketMessageType, QByteArray>> sent;
    for (const SocketMessageType type : {SocketMessageType::Binary, SocketMessageType::Utf8}) {
        for (const qsizetype size : sizes) {
            sent.append({type, payloadFor(type, size)});
            client.socket.setMessageType(type);
            QVERIFY2(client.socket.sendMessage(sent.last().second),
                     qPrintable(client.socket.lastError().toString()));
        }
    }
    QVERIFY2(waitForMessages(client, sent.size()), qPrintable(describeEnd(client)));
    for (qsizetype i = 0; i < sent.size(); ++i) {
        QCOMPARE(client.message(i).messageType(), sent.at(i).first);
        QVERIFY2(client.message(i).data() == sent.at(i).second, qPrintable(u"echo %1 differs"_s.arg(i)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(client.socket.bufferedAmount(), qint64(0), CloseBoundMs);
    QString why;
    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

void tst_InteropTls::manySmallMessages()
{
    constexpr int Count = 20000;
    Client client;
    QVERIFY(client.socket.setControl(trustingControl()));
    QVERIFY(client.socket.connectAsync(url(u"server"_s, u"/echo"_s)));
    QVERIFY2(waitSettled(client) && !client.connected.isEmpty(), qPrintable(describeEnd(client)));
    client.socket.setMessageType(SocketMessageType::Utf8);
    for (int i = 0; i < Count; ++i)
        QVERIFY(client.socket.sendMessage(QByteArray::number(i)));
    QVERIFY2(waitForMessages(client, Count), qPrintable(describeEnd(client)));
    for (int i = 0; i < Count; ++i) {
        if (client.message(i).data() != QByteArray::number(i))
            QFAIL(qPrintable(u"echo %1 is %2"_s.arg(i).arg(QString::fromUtf8(client.message(i).data()))));
    }
    QString why;
    QVERIFY2(closeCleanly(client, &why), qPrintable(why));
}

// --- nginx in front of ws:// ----------------------------------------------------------------------

void tst_InteropTls::nginxSession_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("protocol");

    QTest::newRow("TLS 1.3, 127.0.0.1") << u"nginx"_s << u"127.0.0.1"_s << u"TLSv1.3"_s;
    QTest::newRow("TLS 1.3, localhost") << u"nginx"_s << u"localhost"_s << u"TLSv1.3"_s;
    QTest::newRow("TLS 1.2 only") << u"nginx-tls12"_s << u"127.0.0.1"_s << u"TLSv1.2"_s;
}

void tst_InteropTls::nginxSession()
{
    QFETCH(QString, kind);
    QFETCH(QString, host);
    QFETCH(QString, protocol);

    Client client;
    MessageWebSocketControl control = trustingControl();
    control.supportedProtocols = {u"chat"_s};
    QVERIFY(client.socket.setControl(control));
    QVERIFY(client.socket.connectAsync(url(kind, u"/protocol"_s, host)));
    QVERIFY2(waitSettled(client) && !client.connected.isEmpty(), qPrintable(describeEnd(client)));

    const MessageWebSocketInformation info = client.socket.information();
    QVERIFY(info.tls.encrypted);
    QCOMPARE(info.tls.protocol, protocol);
    QVERIFY2(info.tls.cipherBits >= 128, qPrintable(info.tls.cipher));
    QCOMPARE(info.tls.peerVerifyName, host);
    QCOMPARE(info.serverCertificate.value_or(QSslCertificate()), TestPki::certificate(u"server.pem"_s));
    QCOMPARE(info.serverIntermediateCertificates, TestPki::certificates(u"intermediate-ca.pem"_s));
    QVERIFY(info.serverCertificateErrors.isEmpty());
    // the upgrade went through nginx to websockets: its answer, and the subprotocol it chose
    QCOMPARE(info.handshake.httpStatus, 101);
    QVERIFY2(info.handshake.responseHeaders.toLower().contains("server: nginx"),
             info.handshake.responseHeaders.constData());
    QCOMPARE(info.protocol, u"chat"_s);
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
    QCOMPARE(client.message(0).text(), u"chat"_s);

    client.socket.setMessageType(SocketMessageType::Binary);
    QVERIFY(client.socket.sendMessage(binaryPayload(1 * MiB)));
    QVERIFY2(waitForMessages(client, 2), qPrintable(describeEnd(client)));
    QVERIFY(client.message(1).data() == binaryPayload(1 * MiB));
    // the close handshake is the server's: nginx passes both close frames through
    QVERIFY(client.socket.close(4000, u"through nginx"_s));
    QVERIFY2(QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, CloseBoundMs),
             qPrintable(describeEnd(client)));
    QVERIFY2(client.errors.isEmpty(), qPrintable(describeErrors(client)));
    QCOMPARE(client.closedArgs().code(), quint16(4000));
    QCOMPARE(client.closedArgs().reason(), u"through nginx"_s);
    QVERIFY(client.closedArgs().wasClean());
}

void tst_InteropTls::nginxBasicAuth_data()
{
    QTest::addColumn<QString>("password"); // null: no serverCredential
    QTest::newRow("right password") << u"open sesame"_s;
    QTest::newRow("wrong password") << u"closed sesame"_s;
    QTest::newRow("no credential") << QString();
}

void tst_InteropTls::nginxBasicAuth()
{
    // an nginx of its own asking for Basic (auth_basic, a {PLAIN} htpasswd entry) in front of
    // the websockets server: the 401 is nginx's, the retry a new TLS connection
    QFETCH(QString, password);
    Wsw::Test::NginxServer nginx;
    Wsw::Test::NginxServer::Settings settings;
    settings.program = QStringLiteral(WSW_INTEROP_NGINX);
    settings.backendPort = m_backend.port();
    settings.certificateChain = TestPki::path(u"server-chain.pem"_s);
    settings.privateKey = TestPki::path(u"server.key"_s);
    settings.basicAuthUsers = "ali-baba:{PLAIN}open sesame";
    QString error;
    QVERIFY2(nginx.start(settings, ServerStartBound, &error), qPrintable(error));

    Client client;
    MessageWebSocketControl control = trustingControl();
    if (!password.isNull())
        control.serverCredential = Wsw::PasswordCredential{u"ali-baba"_s, password};
    QVERIFY(client.socket.setControl(control));
    QVERIFY(client.socket.connectAsync(QUrl(u"wss://127.0.0.1:%1/echo"_s.arg(nginx.port()))));
    QVERIFY2(waitSettled(client), qPrintable(describeEnd(client)));
    const MessageWebSocketInformation info = client.socket.information();
    if (password == u"open sesame"_s) {
        QVERIFY2(!client.connected.isEmpty(), qPrintable(describeEnd(client)));
        QCOMPARE(info.authentication.scheme, u"Basic"_s);
        QCOMPARE(info.authentication.realm, settings.basicAuthRealm);
        QVERIFY(!info.authentication.passwordInClear); // wss://
        QCOMPARE(info.handshake.earlierAttempts.size(), 1);
        QCOMPARE(info.handshake.earlierAttempts[0].httpStatus, 401);
        QVERIFY(info.handshake.request.contains("Authorization: Basic \xe2\x80\xb9redacted\xe2\x80\xba"));
        QVERIFY(client.socket.sendMessage(QByteArrayLiteral("behind auth_basic")));
        QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));
        QCOMPARE(client.message(0).data(), QByteArrayLiteral("behind auth_basic"));
        QVERIFY(client.socket.close(1000, QString()));
        QVERIFY2(QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, CloseBoundMs),
                 qPrintable(describeEnd(client)));
        QVERIFY(client.closedArgs().wasClean());
        return;
    }
    QCOMPARE(client.errors.size(), 1);
    const WebSocketError failure = client.error();
    QCOMPARE(failure.status(), WebErrorStatus::Unauthorized);
    QCOMPARE(failure.httpStatus(), 401);
    QVERIFY(!failure.message().contains(u"sesame"_s));
    if (password.isNull()) {
        QCOMPARE(failure.detail(), ErrorDetail::NotSwitchingProtocols);
        QVERIFY2(failure.message().contains(u"Basic"_s), qPrintable(failure.message()));
        QVERIFY(info.handshake.earlierAttempts.isEmpty());
    } else {
        QCOMPARE(failure.detail(), ErrorDetail::CredentialRejected);
        QCOMPARE(info.handshake.earlierAttempts.size(), 1);
    }
}

void tst_InteropTls::nginxGoesAwayUnderAnOpenConnection()
{
    // an nginx of its own, stopped while a WebSocket is open through it: nginx sends no close
    // frame of its own; after worker_shutdown_timeout it closes the TLS connection (close_notify),
    // which the client sees as the loss of the connection
    QString error;
    Wsw::Test::NginxServer nginx;
    Wsw::Test::NginxServer::Settings settings;
    settings.program = QStringLiteral(WSW_INTEROP_NGINX);
    settings.backendPort = m_backend.port();
    settings.certificateChain = TestPki::path(u"server-chain.pem"_s);
    settings.privateKey = TestPki::path(u"server.key"_s);
    settings.shutdownTimeout = 1s;
    QVERIFY2(nginx.start(settings, ServerStartBound, &error), qPrintable(error));
    const QList<qint64> processes = QList<qint64>{nginx.masterPid()} + nginx.workerPids();
    QVERIFY2(processes.size() >= 2, "no worker process found");

    Client client;
    QVERIFY(client.socket.setControl(trustingControl()));
    QVERIFY(client.socket.connectAsync(QUrl(u"wss://127.0.0.1:%1/echo"_s.arg(nginx.port()))));
    QVERIFY2(waitSettled(client) && !client.connected.isEmpty(), qPrintable(describeEnd(client)));
    client.socket.setMessageType(SocketMessageType::Utf8);
    QVERIFY(client.socket.sendMessage("before"_ba));
    QVERIFY2(waitForMessages(client, 1), qPrintable(describeEnd(client)));

    QElapsedTimer stopping;
    stopping.start();
    nginx.stop(); // SIGQUIT: graceful, bounded by worker_shutdown_timeout for the open connection
    QVERIFY2(stopping.elapsed() < 4000, qPrintable(u"stop() took %1 ms"_s.arg(stopping.elapsed())));
    QVERIFY2(nginx.leftovers().isEmpty(), "nginx processes outlived stop() (then killed)");
    for (qint64 pid : processes)
        QVERIFY2(!Wsw::Test::NginxServer::isNginxProcess(pid), qPrintable(u"nginx %1 left"_s.arg(pid)));

    QVERIFY2(QTest::qWaitFor([&] { return !client.closed.isEmpty(); }, CloseBoundMs),
             qPrintable(describeEnd(client)));
    QCOMPARE(client.closedArgs().code(), quint16(1006));
    QVERIFY(!client.closedArgs().wasClean());
    QCOMPARE(client.errors.size(), 1);
    QVERIFY2(client.error().detail() == ErrorDetail::ConnectionAborted, qPrintable(describeErrors(client)));
    QCOMPARE(client.messages.size(), 1);
}

QTEST_GUILESS_MAIN(tst_InteropTls)
#include "tst_interop_tls.moc"
