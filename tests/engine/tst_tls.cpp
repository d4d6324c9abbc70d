// wss:// against in-process TLS servers (QSslServer, Qt 6.4) on 127.0.0.1 with the test PKI:
// default validation and every ignorable error, refusals of what may never be ignored, custom
// validation with deferrals, pins, mutual TLS, the send path over QSslSocket's buffers, and the
// bounded waits of a TLS connect. Whenever validation fails, the server must not have received
// a single byte of the upgrade request.

#include <thread>

#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include "api/chainvalidation.h"
#include "api/spkipin.h"
#include "echoserver.h"
#include "opensslserver.h"
#include "enginetest.h"
#include "testpki.h"

using namespace Wsw;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;
using R = ChainValidationResult;
using Args = WebSocketServerCustomValidationRequestedEventArgs;

Q_DECLARE_METATYPE(Wsw::ChainValidationResult)
Q_DECLARE_METATYPE(Wsw::WebErrorStatus)

namespace {

/** A control that trusts the test root, as the system would trust a public CA. */
MessageWebSocketControl trustingControl()
{
    MessageWebSocketControl control;
    control.additionalCaCertificates = TestPki::certificates(u"root-ca.pem"_s);
    control.messageType = SocketMessageType::Utf8;
    return control;
}

/** A client with every signal recorded, configured with control (refusals show in connectTo()). */
struct TlsClient
{
    explicit TlsClient(const MessageWebSocketControl &control = trustingControl()) : spies(&ws)
    {
        configured = ws.setControl(control);
    }
    /** Configured, and connectAsync() accepted the URL. */
    bool connectTo(const QUrl &url) { return configured && ws.connectAsync(url); }

    MessageWebSocket ws;
    ClientSpies spies;
    bool configured = false;
};

struct TlsEchoServer
{
    explicit TlsEchoServer(const QSslConfiguration &config)
    {
        server.setTlsConfiguration(config);
        listening = server.listen();
    }
    EchoServer server;
    bool listening = false;
};

/** Waits until the connection has ended one way or the other (bounded). */
bool waitEnded(const ClientSpies &spies, int timeoutMs = WaitMs)
{
    return QTest::qWaitFor([&] { return spies.ended(); }, timeoutMs);
}

} // namespace

class tst_Tls final : public QObject
{
    Q_OBJECT

private slots:
    void trustedChainConnectsAndEchoes();
    void wssDefaultsToPort443();
    void untrustedRootIsRefused();
    void defaultValidationRefuses_data();
    void defaultValidationRefuses();
    void eachIgnorableErrorAlone_data();
    void eachIgnorableErrorAlone();
    void ignoringAnotherErrorDoesNotHelp();
    void twoErrorsNeedBothIgnored();
    void neverIgnorableValuesAreRefused_data();
    void neverIgnorableValuesAreRefused();
    void fatalChainFailsWhateverIsIgnored();

    void customValidationSeesTheChainBeforeTheUpgrade();
    void customValidationRejects();
    void deferredAccept();
    void deferredReject();
    void deferralFromAnotherThread();
    void deferralTimeoutFailsClosed();
    void droppedDeferralFailsClosed();
    void overrideNeedsOptInAndAnExplicitAccept();
    void overrideWithoutAcceptStaysRejected();
    void overrideNeverForFatalErrors();
    void handlerMayAbortInside();

    void pinnedLeafPasses();
    void pinnedIntermediatePassesOnATrustedChain();
    void pinnedSelfSignedLeafPassesUntrusted();
    void pinGivenChainTrustedNoKeyMatches();
    void pinOfAnIntermediateCannotRescueAnUntrustedChain();
    void pinDoesNotWaiveAWrongName();
    void invalidPinsAreRefused();

    void mutualTlsWithPem();
    void mutualTlsWithPkcs12();
    void mutualTlsMissingCertificate();
    void mutualTlsUnknownCertificate();

    void bigMessagesOverTls();
    void manySmallMessagesOverTls();
    void bytesWrittenAndBufferedAmountOverTls();
    void peerThatStopsReading();

    void connectTimeoutCoversTheTlsHandshake();
    void notTlsIsAHandshakeFailure();
    void informationIsKeptAfterAFailure();
};

void tst_Tls::trustedChainConnectsAndEchoes()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    QVERIFY(client.connectTo(tls.server.url(u"/chat"_s)));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));

    const QList<ConnectionState> states = client.spies.stateList();
    QCOMPARE(states.mid(0, 4),
             (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::TlsHandshaking,
                                     ConnectionState::AwaitingUpgrade, ConnectionState::Open}));
    const MessageWebSocketInformation info = client.ws.information();
    QVERIFY(info.tls.encrypted);
    QCOMPARE(info.tls.protocol, u"TLSv1.3"_s);
    QVERIFY2(!info.tls.cipher.isEmpty() && info.tls.cipherBits >= 128, qPrintable(info.tls.cipher));
    QCOMPARE(info.tls.peerVerifyName, u"127.0.0.1"_s);
    QVERIFY(info.tls.defaultValidationPassed);
    QVERIFY(!info.tls.acceptedByOverride);
    QCOMPARE(info.serverCertificate.value_or(QSslCertificate()), TestPki::certificate(u"server.pem"_s));
    QCOMPARE(info.serverIntermediateCertificates, TestPki::certificates(u"intermediate-ca.pem"_s));
    QVERIFY(info.serverCertificateErrors.isEmpty());
    QCOMPARE(info.serverCertificateErrorSeverity, SocketSslErrorSeverity::None);
    QCOMPARE(info.tls.presentedPins,
             (QStringList{TestPki::pin(u"server"_s), TestPki::pin(u"intermediate-ca"_s)}));
    QCOMPARE(info.peerAddress, QHostAddress(QHostAddress::LocalHost));

    QVERIFY(client.ws.sendTextMessage(u"über TLS"));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.messages.size(), 1, WaitMs);
    QCOMPARE(client.spies.message(0).text(), u"über TLS"_s);
    QCOMPARE(tls.server.lastRequest().target, QByteArray("/chat"));
    QVERIFY(client.ws.close(1000, u"bye"_s));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.closed.size(), 1, WaitMs);
    QVERIFY(client.spies.closedArgs().wasClean());
    QCOMPARE(client.spies.closedArgs().code(), quint16(1000));
}

void tst_Tls::wssDefaultsToPort443()
{
    // port 443 needs privileges and may be taken: the test runs where it can listen there
    QSslServer server;
    server.setSslConfiguration(TestPki::serverConfiguration(u"server"_s));
    if (!server.listen(QHostAddress::LocalHost, 443))
        QSKIP("cannot listen on 127.0.0.1:443 here (not root, or in use)");
    QSignalSpy handshakes(&server, &QSslServer::pendingConnectionAvailable);
    TlsClient client(trustingControl());
    QVERIFY(client.connectTo(QUrl(u"wss://127.0.0.1/"_s)));
    QVERIFY(handshakes.wait(WaitMs));
    QCOMPARE(client.ws.information().peerPort, quint16(443));
    QVERIFY(client.ws.information().handshake.request.contains("\r\nHost: 127.0.0.1\r\n"));
}

void tst_Tls::untrustedRootIsRefused()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client{MessageWebSocketControl()}; // the test root is not among the system's CAs
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.connected.size(), 0);
    QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
    QCOMPARE(client.spies.error().certificateErrors(), QList<R>{R::IncompleteChain});
    QCOMPARE(client.spies.error().status(), WebErrorStatus::CertificateIsInvalid);
    QVERIFY2(client.spies.error().message().contains(u"IncompleteChain"),
             qPrintable(client.spies.error().message()));
    QVERIFY(!client.spies.error().sslErrors().isEmpty());
    QCOMPARE(client.ws.state(), ConnectionState::Failed);
    QTest::qWait(50);
    QCOMPARE(tls.server.receivedByteCount(), 0);
    QCOMPARE(tls.server.upgradeCount(), 0);
}

void tst_Tls::defaultValidationRefuses_data()
{
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<bool>("withIntermediate");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QList<ChainValidationResult>>("results");
    QTest::addColumn<WebErrorStatus>("status");
    using W = WebErrorStatus;
    const QString ip = u"127.0.0.1"_s;
    QTest::newRow("expired") << u"expired"_s << true << ip << QList<R>{R::Expired} << W::CertificateExpired;
    QTest::newRow("not yet valid") << u"not-yet-valid"_s << true << ip << QList<R>{R::Expired}
                                   << W::CertificateExpired;
    QTest::newRow("wrong host") << u"wrong-host"_s << true << ip << QList<R>{R::InvalidName}
                                << W::CertificateCommonNameIsIncorrect;
    QTest::newRow("name, not the IP") << u"server"_s << true << u"localhost"_s << QList<R>{} << W::Unknown;
    QTest::newRow("self-signed") << u"self-signed"_s << true << ip << QList<R>{R::Untrusted}
                                 << W::CertificateIsInvalid;
    QTest::newRow("leaf without its intermediate")
        << u"server"_s << false << ip << QList<R>{R::IncompleteChain} << W::CertificateIsInvalid;
    QTest::newRow("unrelated root") << u"other-server"_s << true << ip << QList<R>{R::IncompleteChain}
                                    << W::CertificateIsInvalid;
    QTest::newRow("client-only usage")
        << u"wrong-usage"_s << true << ip << QList<R>{R::WrongUsage} << W::CertificateIsInvalid;
    // not-a-ca lacks keyCertSign too: OpenSSL reports its use as an issuer three ways
    QTest::newRow("issued by a non-CA")
        << u"signed-by-leaf"_s << true << ip
        << QList<R>{R::BasicConstraintsError, R::WrongUsage, R::OtherErrors} << W::CertificateContainsErrors;
}

void tst_Tls::defaultValidationRefuses()
{
    QFETCH(QString, leaf);
    QFETCH(bool, withIntermediate);
    QFETCH(QString, host);
    QFETCH(QList<ChainValidationResult>, results);
    QFETCH(WebErrorStatus, status);
    TlsEchoServer tls(TestPki::serverConfiguration(leaf, withIntermediate));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    QVERIFY(client.connectTo(tls.server.url(u"/"_s, host)));
    if (results.isEmpty()) { // the control row: the certificate names localhost too
        QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
        return;
    }
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.connected.size(), 0);
    QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
    QCOMPARE(client.spies.error().certificateErrors(), results);
    QCOMPARE(client.spies.error().status(), status);
    QCOMPARE(client.ws.information().serverCertificateErrors, results);
    QCOMPARE(client.ws.information().serverCertificateErrorSeverity, ChainValidation::severityOf(results));
    QCOMPARE(client.ws.information().serverCertificate.value_or(QSslCertificate()),
             TestPki::certificate(leaf + u".pem"));
    QVERIFY(!client.ws.information().tls.encrypted);
    QTest::qWait(50);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

void tst_Tls::eachIgnorableErrorAlone_data()
{
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<bool>("withIntermediate");
    QTest::addColumn<ChainValidationResult>("result");
    QTest::newRow("Expired") << u"expired"_s << true << R::Expired;
    QTest::newRow("Expired (not yet valid)") << u"not-yet-valid"_s << true << R::Expired;
    QTest::newRow("InvalidName") << u"wrong-host"_s << true << R::InvalidName;
    QTest::newRow("Untrusted") << u"self-signed"_s << true << R::Untrusted;
    QTest::newRow("IncompleteChain") << u"server"_s << false << R::IncompleteChain;
    QTest::newRow("WrongUsage") << u"wrong-usage"_s << true << R::WrongUsage;
}

void tst_Tls::eachIgnorableErrorAlone()
{
    QFETCH(QString, leaf);
    QFETCH(bool, withIntermediate);
    QFETCH(ChainValidationResult, result);
    TlsEchoServer tls(TestPki::serverConfiguration(leaf, withIntermediate));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.ignorableServerCertificateErrors = {result};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    const MessageWebSocketInformation info = client.ws.information();
    QCOMPARE(info.serverCertificateErrors, QList<R>{result});
    QCOMPARE(info.serverCertificateErrorSeverity, SocketSslErrorSeverity::Ignorable);
    QVERIFY(info.tls.defaultValidationPassed); // with the ignorable errors applied
    QVERIFY(!info.sslErrors.isEmpty());
    QVERIFY(client.ws.sendTextMessage(u"ok"));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.messages.size(), 1, WaitMs);
}

void tst_Tls::ignoringAnotherErrorDoesNotHelp()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"expired"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.ignorableServerCertificateErrors = {R::Untrusted,         R::InvalidName,
                                                R::IncompleteChain,   R::WrongUsage,
                                                R::RevocationFailure, R::RevocationInformationMissing};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
    QCOMPARE(client.spies.error().status(), WebErrorStatus::CertificateExpired);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

void tst_Tls::twoErrorsNeedBothIgnored()
{
    // an expired leaf under a root the client does not trust: IncompleteChain and Expired
    TlsEchoServer tls(TestPki::serverConfiguration(u"expired"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control;
    control.ignorableServerCertificateErrors = {R::Expired};
    {
        TlsClient client(control);
        QVERIFY(client.connectTo(tls.server.url()));
        QVERIFY(waitEnded(client.spies));
        QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
        QCOMPARE(client.spies.error().certificateErrors(), (QList<R>{R::IncompleteChain, R::Expired}));
        QVERIFY2(client.spies.error().message().contains(u"IncompleteChain") &&
                     !client.spies.error().message().contains(u"Expired ("),
                 qPrintable(client.spies.error().message())); // names only what was refused
        QCOMPARE(client.spies.error().status(), WebErrorStatus::CertificateIsInvalid);
    }
    control.ignorableServerCertificateErrors = {R::Expired, R::IncompleteChain};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QCOMPARE(client.ws.information().serverCertificateErrors, (QList<R>{R::IncompleteChain, R::Expired}));
}

void tst_Tls::neverIgnorableValuesAreRefused_data()
{
    QTest::addColumn<ChainValidationResult>("result");
    for (R r : {R::Revoked, R::InvalidSignature, R::InvalidCertificateAuthorityPolicy,
                R::BasicConstraintsError, R::UnknownCriticalExtension, R::OtherErrors, R::Success})
        QTest::newRow(qPrintable(ChainValidation::name(r))) << r;
}

void tst_Tls::neverIgnorableValuesAreRefused()
{
    QFETCH(ChainValidationResult, result);
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.ignorableServerCertificateErrors = {R::Untrusted, result};
    QVERIFY(!ws.setControl(control));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidArgument);
    QVERIFY2(ws.lastError().message().contains(ChainValidation::name(result)),
             qPrintable(ws.lastError().message()));
    QVERIFY(ws.control().ignorableServerCertificateErrors.isEmpty()); // nothing of it was taken
}

void tst_Tls::fatalChainFailsWhateverIsIgnored()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"signed-by-leaf"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    for (const QString &name : ChainValidation::names()) {
        const R r = *ChainValidation::fromName(name);
        if (ChainValidation::isIgnorable(r))
            control.ignorableServerCertificateErrors.append(r);
    }
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
    QCOMPARE(client.ws.information().serverCertificateErrorSeverity, SocketSslErrorSeverity::Fatal);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

// --- custom validation -------------------------------------------------------------------

void tst_Tls::customValidationSeesTheChainBeforeTheUpgrade()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    int calls = 0;
    qint64 bytesAtServerDuringHandler = -1;
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *args) {
        ++calls;
        QCOMPARE(client.ws.state(), ConnectionState::AwaitingServerValidation);
        QCOMPARE(args->serverCertificate(), TestPki::certificate(u"server.pem"_s));
        QCOMPARE(args->serverIntermediateCertificates(), TestPki::certificates(u"intermediate-ca.pem"_s));
        QVERIFY(args->serverCertificateErrors().isEmpty());
        QCOMPARE(args->serverCertificateErrorSeverity(), SocketSslErrorSeverity::None);
        QVERIFY(args->isDefaultValidationPassed());
        QCOMPARE(args->tls().protocol, u"TLSv1.3"_s);
        // Information is filled before the signal
        QCOMPARE(client.ws.information().serverCertificate.value_or(QSslCertificate()),
                 args->serverCertificate());
        QTest::qWait(100); // the server gets every chance to receive something
        bytesAtServerDuringHandler = tls.server.receivedByteCount();
    });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QCOMPARE(calls, 1);
    QCOMPARE(bytesAtServerDuringHandler, 0);
    QVERIFY(client.spies.stateList().contains(ConnectionState::AwaitingServerValidation));
}

void tst_Tls::customValidationRejects()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this,
            [](Args *args) { args->reject(); });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::ServerValidationRejected);
    QCOMPARE(client.spies.error().status(), WebErrorStatus::CertificateIsInvalid);
    QCOMPARE(client.ws.state(), ConnectionState::Failed);
    QTest::qWait(100);
    QCOMPARE(tls.server.receivedByteCount(), 0);
    QCOMPARE(tls.server.tlsHandshakeCount(), 1); // TLS was up; the upgrade never came
}

void tst_Tls::deferredAccept()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    qint64 bytesBeforeCompletion = -1;
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *args) {
        Deferral deferral = args->getDeferral();
        QTimer::singleShot(200, this, [&, deferral]() mutable {
            bytesBeforeCompletion = tls.server.receivedByteCount();
            deferral.complete();
            QVERIFY(deferral.isCompleted());
        });
    });
    QVERIFY(client.connectTo(tls.server.url()));
    QTest::qWait(100);
    QCOMPARE(client.ws.state(), ConnectionState::AwaitingServerValidation);
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QCOMPARE(bytesBeforeCompletion, 0);
}

void tst_Tls::deferredReject()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *args) {
        QPointer<Args> guarded(args);
        Deferral deferral = args->getDeferral();
        QTimer::singleShot(100, this, [guarded, deferral]() mutable {
            QVERIFY(guarded);
            guarded->reject();
            deferral.complete();
        });
    });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::ServerValidationRejected);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

void tst_Tls::deferralFromAnotherThread()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    std::thread worker;
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *args) {
        worker = std::thread([deferral = args->getDeferral()]() mutable {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            deferral.complete();
        });
    });
    QVERIFY(client.connectTo(tls.server.url()));
    const bool connected = waitConnected(client.spies);
    if (worker.joinable())
        worker.join();
    QVERIFY2(connected, qPrintable(client.spies.errorText()));
}

void tst_Tls::deferralTimeoutFailsClosed()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.timeouts.validation = std::chrono::milliseconds(300);
    TlsClient client(control);
    Deferral kept; // held and never completed
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this,
            [&](Args *args) { kept = args->getDeferral(); });
    QElapsedTimer timer;
    timer.start();
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::ServerValidationTimeout);
    QCOMPARE(client.spies.error().status(), WebErrorStatus::Timeout);
    QVERIFY(timer.elapsed() >= 290);
    QCOMPARE(tls.server.receivedByteCount(), 0);
    kept.complete(); // too late: nothing happens, nothing crashes
    QTest::qWait(20);
    QCOMPARE(client.spies.errors.size(), 1);
    QCOMPARE(client.spies.connected.size(), 0);

    control.timeouts.validation = std::chrono::milliseconds(0);
    QVERIFY(!client.ws.setControl(control)); // every wait is bounded
    QCOMPARE(client.ws.lastError().detail(), ErrorDetail::InvalidArgument);
}

void tst_Tls::droppedDeferralFailsClosed()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [](Args *args) {
        Deferral taken = args->getDeferral();
        Q_UNUSED(taken); // and dropped at the end of the handler
    });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::ServerValidationAbandoned);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

void tst_Tls::overrideNeedsOptInAndAnExplicitAccept()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"self-signed"_s));
    QVERIFY(tls.listening);
    // without the opt-in the handler never sees a chain default validation refused (as Windows)
    {
        TlsClient client{MessageWebSocketControl()};
        int calls = 0;
        connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *args) {
            ++calls;
            args->acceptDespiteErrors();
        });
        QVERIFY(client.connectTo(tls.server.url()));
        QVERIFY(waitEnded(client.spies));
        QCOMPARE(calls, 0);
        QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
    }
    MessageWebSocketControl control;
    control.allowCustomValidationOverride = true;
    TlsClient client(control);
    bool sawFailure = true;
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *args) {
        sawFailure = !args->isDefaultValidationPassed();
        QCOMPARE(args->serverCertificateErrors(), QList<R>{R::Untrusted});
        QCOMPARE(args->tls().presentedPins, QStringList{TestPki::pin(u"self-signed"_s)});
        args->acceptDespiteErrors(); // the workbench's "trust this certificate"
    });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QVERIFY(sawFailure);
    QVERIFY(!client.ws.information().tls.defaultValidationPassed);
    QVERIFY(client.ws.information().tls.acceptedByOverride);
}

void tst_Tls::overrideWithoutAcceptStaysRejected()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"self-signed"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control;
    control.allowCustomValidationOverride = true;
    TlsClient client(control);
    int calls = 0;
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *) { ++calls; });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(calls, 1);
    QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
    QCOMPARE(client.spies.error().status(), WebErrorStatus::CertificateIsInvalid);
    QCOMPARE(client.spies.error().certificateErrors(), QList<R>{R::Untrusted});
    QTest::qWait(50);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

void tst_Tls::overrideNeverForFatalErrors()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"signed-by-leaf"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.allowCustomValidationOverride = true;
    TlsClient client(control);
    int calls = 0;
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *args) {
        ++calls;
        args->acceptDespiteErrors();
    });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(calls, 0);
    QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

void tst_Tls::handlerMayAbortInside()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    connect(&client.ws, &MessageWebSocket::serverCustomValidationRequested, this, [&](Args *args) {
        Deferral deferral = args->getDeferral();
        client.ws.abort();
        deferral.complete(); // after the end: ignored
    });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::OperationCanceled);
    QTest::qWait(50);
    QCOMPARE(client.spies.errors.size(), 1);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

// --- pins ------------------------------------------------------------------------------------

void tst_Tls::pinnedLeafPasses()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.pinnedPublicKeys = {TestPki::pin(u"other-server"_s), TestPki::pin(u"server"_s)};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QCOMPARE(client.ws.information().tls.matchedPin, TestPki::pin(u"server"_s));
}

void tst_Tls::pinnedIntermediatePassesOnATrustedChain()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.pinnedPublicKeys = {TestPki::pin(u"intermediate-ca"_s)};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QCOMPARE(client.ws.information().tls.matchedPin, TestPki::pin(u"intermediate-ca"_s));
}

void tst_Tls::pinnedSelfSignedLeafPassesUntrusted()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"self-signed"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control; // no CA, nothing ignored: the pin alone vouches for the key
    control.pinnedPublicKeys = {TestPki::pin(u"self-signed"_s)};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    QCOMPARE(client.ws.information().serverCertificateErrors, QList<R>{R::Untrusted});
    QVERIFY(client.ws.information().tls.defaultValidationPassed);
}

void tst_Tls::pinGivenChainTrustedNoKeyMatches()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.pinnedPublicKeys = {TestPki::pin(u"other-server"_s), TestPki::pin(u"root-ca"_s)};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::PinMismatch);
    QCOMPARE(client.spies.error().status(), WebErrorStatus::CertificateIsInvalid);
    // the message shows what was presented, so the right pin can be taken from it
    QVERIFY2(client.spies.error().message().contains(TestPki::pin(u"server"_s)),
             qPrintable(client.spies.error().message()));
    QVERIFY(client.ws.information().tls.matchedPin.isEmpty());
    QTest::qWait(50);
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

void tst_Tls::pinOfAnIntermediateCannotRescueAnUntrustedChain()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control; // the root is not trusted
    control.ignorableServerCertificateErrors = {R::IncompleteChain};
    control.pinnedPublicKeys = {TestPki::pin(u"intermediate-ca"_s)};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::PinMismatch);
    QVERIFY2(client.spies.error().message().contains(u"only the leaf"),
             qPrintable(client.spies.error().message()));
    QCOMPARE(tls.server.receivedByteCount(), 0);
}

void tst_Tls::pinDoesNotWaiveAWrongName()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"wrong-host"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.pinnedPublicKeys = {TestPki::pin(u"wrong-host"_s)};
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::CertificateRejected);
    QCOMPARE(client.spies.error().certificateErrors(), QList<R>{R::InvalidName});
}

void tst_Tls::invalidPinsAreRefused()
{
    MessageWebSocket ws;
    MessageWebSocketControl control;
    control.pinnedPublicKeys = {TestPki::pin(u"server"_s), u"sha256/tooshort="_s};
    QVERIFY(!ws.setControl(control));
    QCOMPARE(ws.lastError().detail(), ErrorDetail::InvalidArgument);
    QVERIFY2(ws.lastError().message().contains(u"sha256/tooshort="), qPrintable(ws.lastError().message()));
}

// --- mutual TLS ------------------------------------------------------------------------------

void tst_Tls::mutualTlsWithPem()
{
    TlsEchoServer tls(TestPki::mutualTlsServerConfiguration());
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    WebSocketError error;
    const auto certificate =
        ClientCertificate::load(TestPki::path(u"client.pem"_s), TestPki::path(u"client.key"_s), {}, &error);
    QVERIFY2(certificate, qPrintable(error.toString()));
    control.clientCertificate = *certificate;
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies),
             qPrintable(client.spies.errorText() + tls.server.tlsErrors().join(u'\n')));
    QCOMPARE(tls.server.clientCertificates(), QList<QSslCertificate>{TestPki::certificate(u"client.pem"_s)});
    QVERIFY(client.ws.sendTextMessage(u"mutual"));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.messages.size(), 1, WaitMs);
}

void tst_Tls::mutualTlsWithPkcs12()
{
    TlsEchoServer tls(TestPki::mutualTlsServerConfiguration());
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    WebSocketError error;
    const auto certificate =
        ClientCertificate::load(TestPki::path(u"client.p12"_s), {}, "wsw-secret", &error);
    QVERIFY2(certificate, qPrintable(error.toString()));
    control.clientCertificate = *certificate;
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies),
             qPrintable(client.spies.errorText() + tls.server.tlsErrors().join(u'\n')));
    QCOMPARE(tls.server.clientCertificates(), QList<QSslCertificate>{TestPki::certificate(u"client.pem"_s)});
}

void tst_Tls::mutualTlsMissingCertificate()
{
    // OpenSSL's own server says why: TLS 1.3 alert certificate_required (after our handshake)
    {
        OpensslServer openssl(QStringLiteral(WSW_OPENSSL_PROGRAM));
        QVERIFY(openssl.start({u"-cert"_s, TestPki::path(u"server.pem"_s), u"-key"_s,
                               TestPki::path(u"server.key"_s), u"-cert_chain"_s,
                               TestPki::path(u"intermediate-ca.pem"_s), u"-Verify"_s, u"1"_s,
                               u"-verify_return_error"_s, u"-CAfile"_s,
                               TestPki::path(u"client-ca-bundle.pem"_s), u"-naccept"_s, u"1"_s}));
        TlsClient client(trustingControl());
        QVERIFY(client.connectTo(QUrl(u"wss://127.0.0.1:"_s + QString::number(openssl.port()) + u'/')));
        QVERIFY(waitEnded(client.spies));
        QCOMPARE(client.spies.connected.size(), 0);
        QCOMPARE(client.spies.error().detail(), ErrorDetail::ClientCertificateRequired);
        QVERIFY2(client.spies.error().message().contains(u"certificate required"),
                 qPrintable(client.spies.error().message()));
    }
    // Qt's QSslServer hangs up without an alert: the error says what it probably means
    TlsEchoServer tls(TestPki::mutualTlsServerConfiguration());
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.connected.size(), 0);
    QCOMPARE(client.spies.error().detail(), ErrorDetail::ConnectionAborted);
    QVERIFY2(client.spies.error().message().contains(u"may require a client certificate"),
             qPrintable(client.spies.error().message()));
    QCOMPARE(tls.server.upgradeCount(), 0);
}

void tst_Tls::mutualTlsUnknownCertificate()
{
    // a certificate under a root the server does not know
    MessageWebSocketControl control = trustingControl();
    ClientCertificate unknown;
    unknown.certificate = TestPki::certificate(u"other-server.pem"_s);
    unknown.privateKey = TestPki::key(u"other-server.key"_s);
    control.clientCertificate = unknown;
    {
        OpensslServer openssl(QStringLiteral(WSW_OPENSSL_PROGRAM));
        QVERIFY(openssl.start({u"-cert"_s, TestPki::path(u"server.pem"_s), u"-key"_s,
                               TestPki::path(u"server.key"_s), u"-cert_chain"_s,
                               TestPki::path(u"intermediate-ca.pem"_s), u"-Verify"_s, u"1"_s,
                               u"-verify_return_error"_s, u"-CAfile"_s,
                               TestPki::path(u"client-ca-bundle.pem"_s), u"-naccept"_s, u"1"_s}));
        TlsClient client(control);
        QVERIFY(client.connectTo(QUrl(u"wss://127.0.0.1:"_s + QString::number(openssl.port()) + u'/')));
        const bool ended = waitEnded(client.spies);
        QVERIFY2(ended, qPrintable(QVariant::fromValue(client.ws.state()).toString() + openssl.output()));
        QCOMPARE(client.spies.error().detail(), ErrorDetail::ClientCertificateRejected);
    }
    TlsEchoServer tls(TestPki::mutualTlsServerConfiguration());
    QVERIFY(tls.listening);
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::ConnectionAborted);
    QVERIFY2(client.spies.error().message().contains(u"may have refused the client certificate"),
             qPrintable(client.spies.error().message()));
    QCOMPARE(tls.server.upgradeCount(), 0);

    // and a key that does not belong to the certificate is refused before any connection
    control.clientCertificate->privateKey = TestPki::key(u"client.key"_s);
    MessageWebSocket other;
    QVERIFY(!other.setControl(control));
    QCOMPARE(other.lastError().detail(), ErrorDetail::ClientCertificateKeyMismatch);
}

// --- the send path over QSslSocket's buffers -------------------------------------------------

void tst_Tls::bigMessagesOverTls()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.messageType = SocketMessageType::Binary;
    TlsClient client(control);
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    const QList<qsizetype> sizes{0, 125, 126, 65535, 65536, 1 << 20, 16 << 20};
    for (qsizetype size : sizes)
        QVERIFY(client.ws.sendMessage(patternBytes(size)));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.messages.size(), sizes.size(), 30000);
    for (qsizetype i = 0; i < sizes.size(); ++i)
        QVERIFY2(client.spies.message(i).data() == patternBytes(sizes[i]),
                 qPrintable(QString::number(sizes[i])));
    QTRY_COMPARE_WITH_TIMEOUT(client.ws.bufferedAmount(), 0, WaitMs);
}

void tst_Tls::manySmallMessagesOverTls()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    constexpr int Count = 20000;
    for (int i = 0; i < Count; ++i)
        QVERIFY(client.ws.sendTextMessage(QString::number(i)));
    QTRY_COMPARE_WITH_TIMEOUT(client.spies.messages.size(), Count, 30000);
    for (int i = 0; i < Count; ++i) {
        if (client.spies.message(i).text() != QString::number(i))
            QFAIL(qPrintable(u"message " + QString::number(i) + u" out of order: " +
                             client.spies.message(i).text()));
    }
}

void tst_Tls::bytesWrittenAndBufferedAmountOverTls()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(tls.listening);
    MessageWebSocketControl control = trustingControl();
    control.compression.enabled = false; // frame bytes are then exactly computable
    control.messageType = SocketMessageType::Binary;
    TlsClient client(control);
    qint64 written = 0;
    connect(&client.ws, &MessageWebSocket::bytesWritten, this, [&](qint64 n) {
        QVERIFY(n > 0);
        written += n;
    });
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));
    qint64 expected = 0;
    for (qsizetype size : {qsizetype(10), qsizetype(200), qsizetype(70000), qsizetype(3 << 20)}) {
        QVERIFY(client.ws.sendMessage(patternBytes(size)));
        expected += 2 + (size > 125 ? (size > 65535 ? 8 : 2) : 0) + 4 + size; // header + mask + payload
    }
    QTRY_COMPARE_WITH_TIMEOUT(written, expected, 10000);
    QCOMPARE(client.ws.bufferedAmount(), 0);
    QCOMPARE(qint64(client.ws.information().counters.wireBytesSent),
             expected + qint64(client.ws.information().handshake.request.size()));
}

void tst_Tls::peerThatStopsReading()
{
    // a TLS server that upgrades, then reads nothing: the kernel buffers fill, the queue grows to
    // its bound and sends are refused; once it reads again everything arrives, in order
    QSslServer server;
    server.setSslConfiguration(TestPki::serverConfiguration(u"server"_s));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QSslSocket *peer = nullptr;
    QByteArray received;
    bool reading = true;
    connect(&server, &QSslServer::pendingConnectionAvailable, this, [&] {
        peer = static_cast<QSslSocket *>(server.nextPendingConnection());
        connect(peer, &QIODevice::readyRead, this, [&] {
            if (!reading)
                return;
            received += peer->readAll();
            const qsizetype end = received.indexOf("\r\n\r\n");
            if (end >= 0 && !received.startsWith("done")) {
                const std::optional<UpgradeRequest> request = takeUpgradeRequest(received);
                QVERIFY(request);
                peer->write(switchingProtocolsResponse(request->key(), {}, {}));
                received = "done"; // from here on: frames, counted below
                reading = false;
                peer->setReadBufferSize(1); // and Qt stops taking bytes from the kernel
            }
        });
    });
    MessageWebSocketControl control = trustingControl();
    control.compression.enabled = false;
    control.messageType = SocketMessageType::Binary;
    control.maxBufferedAmountBytes = 4 << 20;
    TlsClient client(control);
    QVERIFY(client.connectTo(QUrl(u"wss://127.0.0.1:"_s + QString::number(server.serverPort()) + u'/')));
    QVERIFY2(waitConnected(client.spies), qPrintable(client.spies.errorText()));

    const QByteArray chunk = patternBytes(64 * 1024);
    int sent = 0;
    bool refused = false;
    for (int round = 0; round < 400 && !refused; ++round) {
        for (int i = 0; i < 16; ++i) {
            if (!client.ws.sendMessage(chunk)) {
                QCOMPARE(client.ws.lastError().detail(), ErrorDetail::SendBufferFull);
                refused = true;
                break;
            }
            ++sent;
        }
        QTest::qWait(5);
    }
    QVERIFY2(refused, "the queue never filled: the server kept reading");
    QVERIFY(quint64(client.ws.bufferedAmount()) >= control.maxBufferedAmountBytes);
    QVERIFY(quint64(client.ws.bufferedAmount()) < control.maxBufferedAmountBytes + 2 * quint64(chunk.size()));

    // the server reads again: every frame arrives intact
    QByteArray frames;
    reading = true;
    peer->setReadBufferSize(0);
    disconnect(peer, &QIODevice::readyRead, this, nullptr);
    connect(peer, &QIODevice::readyRead, this, [&] { frames += peer->readAll(); });
    frames += peer->readAll();
    const qint64 frameBytes = qint64(sent) * (2 + 8 + 4 + chunk.size());
    QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= frameBytes, 30000);
    QCOMPARE(frames.size(), frameBytes);
    QList<ParsedFrame> parsed = takeFrames(frames);
    QCOMPARE(parsed.size(), sent);
    for (const ParsedFrame &frame : parsed)
        QVERIFY(frame.payload == chunk);
    QTRY_COMPARE_WITH_TIMEOUT(client.ws.bufferedAmount(), 0, WaitMs);
}

// --- bounded waits and failures ------------------------------------------------------------

void tst_Tls::connectTimeoutCoversTheTlsHandshake()
{
    QTcpServer silent; // accepts TCP, never says a word of TLS
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    MessageWebSocketControl control;
    control.timeouts.connect = std::chrono::milliseconds(300);
    TlsClient client(control);
    QVERIFY(client.connectTo(QUrl(u"wss://127.0.0.1:"_s + QString::number(silent.serverPort()) + u'/')));
    QVERIFY(waitEnded(client.spies, 3000));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::ConnectTimeout);
    QVERIFY2(client.spies.error().message().contains(u"TLS"), qPrintable(client.spies.error().message()));
    QVERIFY(client.spies.stateList().contains(ConnectionState::TlsHandshaking));
}

void tst_Tls::notTlsIsAHandshakeFailure()
{
    QTcpServer plain; // answers a ClientHello as a plain HTTP server would
    QVERIFY(plain.listen(QHostAddress::LocalHost, 0));
    connect(&plain, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *socket = plain.nextPendingConnection();
        socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
    });
    TlsClient client{MessageWebSocketControl()};
    QVERIFY(client.connectTo(QUrl(u"wss://127.0.0.1:"_s + QString::number(plain.serverPort()) + u'/')));
    QVERIFY(waitEnded(client.spies));
    QCOMPARE(client.spies.error().detail(), ErrorDetail::TlsHandshakeFailed);
    QCOMPARE(client.spies.error().status(), WebErrorStatus::CannotConnect);
    QVERIFY2(client.spies.error().message().contains(u"wrong version number"),
             qPrintable(client.spies.error().message()));
}

void tst_Tls::informationIsKeptAfterAFailure()
{
    TlsEchoServer tls(TestPki::serverConfiguration(u"wrong-host"_s));
    QVERIFY(tls.listening);
    TlsClient client(trustingControl());
    QVERIFY(client.connectTo(tls.server.url()));
    QVERIFY(waitEnded(client.spies));
    QTest::qWait(50);
    const MessageWebSocketInformation info = client.ws.information();
    QCOMPARE(info.serverCertificate.value_or(QSslCertificate()), TestPki::certificate(u"wrong-host.pem"_s));
    QCOMPARE(info.serverIntermediateCertificates, TestPki::certificates(u"intermediate-ca.pem"_s));
    QCOMPARE(info.serverCertificateErrors, QList<R>{R::InvalidName});
    QCOMPARE(info.sslErrors.size(), 1);
    QCOMPARE(info.sslErrors.constFirst().error(), QSslError::HostNameMismatch);
    QCOMPARE(info.tls.peerVerifyName, u"127.0.0.1"_s);
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
