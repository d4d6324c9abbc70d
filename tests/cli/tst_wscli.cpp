// wscli as a user drives it: the real executable, an in-process echo server (ws:// and, with
// the test PKI, wss://); for --proxy a real tinyproxy (tests/support/proxydaemon.h) and the
// tests' SOCKS5 server.
#include <csignal>

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTcpServer>
#include <QTest>

#include "api/messagewebsocket.h"
#include "echoserver.h"
#include "proxydaemon.h"
#include "socks5server.h"
#include "testpki.h"

using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

/**
 * The environment wscli runs in: the test's, without a passphrase or proxy password of its own and
 * without proxy variables (--proxy system reads them), plus extra.
 */
QProcessEnvironment wscliEnvironment(const QList<QPair<QString, QString>> &extra = {})
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"WSCLI_CERT_PASSWORD", "WSCLI_PROXY_PASSWORD", "http_proxy", "https_proxy", "all_proxy",
                             "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"})
        environment.remove(QString::fromLatin1(name));
    for (const auto &[name, value] : extra)
        environment.insert(name, value);
    return environment;
}

/** Runs wscli with these arguments (and stdin), keeping the event loop turning for the server. */
Run runWscli(const QStringList &arguments, const QByteArray &input = {}, int timeoutMs = 20000,
             const QProcessEnvironment &environment = wscliEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(WSCLI_PATH), arguments);
    if (!process.waitForStarted(5000))
        return {};
    if (!input.isNull())
        process.write(input);
    process.closeWriteChannel();
    QSignalSpy finished(&process, &QProcess::finished);
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return {};
    }
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

/** A wss:// echo server presenting this configuration (TestPki), on 127.0.0.1; null when it cannot listen. */
std::unique_ptr<EchoServer> startTlsServer(const QSslConfiguration &configuration)
{
    auto server = std::make_unique<EchoServer>();
    server->setTlsConfiguration(configuration);
    return server->listen() ? std::move(server) : nullptr;
}

/** tinyproxy's BasicAuth takes [-a-z0-9._] only; the SOCKS5 server any bytes (the URL percent-encodes them). */
const QString ProxyUser = u"wsw-cli-user"_s;
const QString ProxyPassword = u"Cli-s3cret.pass"_s;
const QString WrongPassword = u"wrong-Cli-pass"_s;
const QString Socks5User = u"wsw cli@user"_s;
const QString Socks5Password = u"p@ss:w/rd%20 +&?#"_s;

/** No proxy password, plain or percent-encoded, in anything wscli printed. */
bool showsNoProxyPassword(const Run &run)
{
    const QString all = run.out + run.err;
    for (const QString &password : {ProxyPassword, WrongPassword, Socks5Password})
        if (all.contains(password) || all.contains(QString::fromLatin1(QUrl::toPercentEncoding(password))))
            return false;
    return true;
}

/** The SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` writes it. */
QString fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace

using namespace Qt::Literals::StringLiterals;

class tst_Wscli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<EchoServer>();
        QVERIFY(m_server->listen());
    }
    void cleanup() { m_server.reset(); }

    void helpAndUsage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected"); // in stdout or stderr

        QTest::newRow("no command") << QStringList{} << 2 << u"usage: wscli <command>"_qs;
        QTest::newRow("--help") << QStringList{u"--help"_qs} << 0 << u"connect"_qs;
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_qs} << 2 << u"unknown command"_qs;
        QTest::newRow("connect --help") << QStringList{u"connect"_qs, u"--help"_qs} << 0 << u"/close [code [reason]]"_qs;
        QTest::newRow("send --help") << QStringList{u"send"_qs, u"--help"_qs} << 0 << u"--expect"_qs;
        QTest::newRow("autobahn --help") << QStringList{u"autobahn"_qs, u"--help"_qs} << 0 << u"--cases"_qs;
        QTest::newRow("bench --help") << QStringList{u"bench"_qs, u"--help"_qs} << 0 << u"--mode"_qs;
        QTest::newRow("serve --help") << QStringList{u"serve"_qs, u"--help"_qs} << 0 << u"--tls-dir"_qs;
        QTest::newRow("serve bad port") << QStringList{u"serve"_qs, u"--port"_qs, u"70000"_qs} << 2 << u"--port"_qs;
        QTest::newRow("serve bad protocol") << QStringList{u"serve"_qs, u"--protocol"_qs, u"a b"_qs} << 2
                                            << u"not an HTTP token"_qs;
        QTest::newRow("send without URL") << QStringList{u"send"_qs} << 2 << u"give a URL"_qs;
        QTest::newRow("http URL") << QStringList{u"send"_qs, u"http://127.0.0.1/"_qs, u"x"_qs} << 2
                                  << u"Only ws://"_qs;
        QTest::newRow("URL with fragment") << QStringList{u"send"_qs, u"ws://127.0.0.1/#f"_qs, u"x"_qs} << 2
                                           << u"fragment"_qs;
        QTest::newRow("engine-owned header") << QStringList{u"send"_qs, u"-H"_qs, u"Upgrade: x"_qs,
                                                            u"ws://127.0.0.1/"_qs, u"x"_qs}
                                             << 2 << u"set by the engine"_qs;
        QTest::newRow("header without colon") << QStringList{u"send"_qs, u"-H"_qs, u"broken"_qs,
                                                             u"ws://127.0.0.1/"_qs, u"x"_qs}
                                              << 2 << u"Name: value"_qs;
        QTest::newRow("bad hex") << QStringList{u"send"_qs, u"--hex"_qs, u"ws://127.0.0.1/"_qs, u"0g"_qs} << 2
                                 << u"hex digits"_qs;
        QTest::newRow("bad hex names the character")
                << QStringList{u"send"_qs, u"--hex"_qs, u"ws://127.0.0.1/"_qs, u"01 0g"_qs} << 2
                << u"“g” (character 5) is not a hex digit"_qs;
        QTest::newRow("bad regex") << QStringList{u"send"_qs, u"--expect"_qs, u"("_qs, u"ws://127.0.0.1/"_qs}
                                   << 2 << u"--expect"_qs;
        QTest::newRow("unknown certificate error")
                << QStringList{u"send"_qs, u"--insecure-ignore"_qs, u"Whatever"_qs, u"ws://127.0.0.1/"_qs} << 2
                << u"Untrusted"_qs;
        QTest::newRow("bench bad mode") << QStringList{u"bench"_qs, u"--mode"_qs, u"x"_qs, u"--size"_qs, u"1"_qs,
                                                       u"--count"_qs, u"1"_qs, u"ws://127.0.0.1:1"_qs}
                                        << 2 << u"--mode"_qs;
        QTest::newRow("deflate unknown parameter")
                << QStringList{u"send"_qs, u"--deflate=fast"_qs, u"ws://127.0.0.1/"_qs, u"x"_qs} << 2
                << u"unknown parameter \"fast\""_qs;
        QTest::newRow("deflate window out of range")
                << QStringList{u"send"_qs, u"--deflate=server_max_window_bits=16"_qs, u"ws://127.0.0.1/"_qs, u"x"_qs}
                << 2 << u"from 8 to 15"_qs;
        QTest::newRow("deflate flag with a value")
                << QStringList{u"send"_qs, u"--deflate=client_no_context_takeover=1"_qs, u"ws://127.0.0.1/"_qs, u"x"_qs}
                << 2 << u"takes no value"_qs;
        QTest::newRow("deflate parameter twice")
                << QStringList{u"connect"_qs, u"--deflate=level=1;level=2"_qs, u"ws://127.0.0.1/"_qs} << 2
                << u"given twice"_qs;
        QTest::newRow("deflate syntax") << QStringList{u"send"_qs, u"--deflate=;;"_qs, u"ws://127.0.0.1/"_qs, u"x"_qs}
                                        << 2 << u"--deflate:"_qs;
        QTest::newRow("deflate and no-deflate")
                << QStringList{u"autobahn"_qs, u"--deflate"_qs, u"--no-deflate"_qs, u"ws://127.0.0.1:1"_qs} << 2
                << u"contradict"_qs;
        QTest::newRow("bench deflate bad level")
                << QStringList{u"bench"_qs, u"--mode"_qs, u"echo"_qs, u"--size"_qs, u"1"_qs, u"--count"_qs, u"1"_qs,
                               u"--deflate=level=10"_qs, u"ws://127.0.0.1:1"_qs}
                << 2 << u"from 0 to 9"_qs;
        QTest::newRow("autobahn bad case timeout") << QStringList{u"autobahn"_qs, u"ws://127.0.0.1:1"_qs,
                                                                  u"--case-timeout"_qs, u"0"_qs}
                                                   << 2 << u"--case-timeout"_qs;
    }
    void helpAndUsage()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        const Run run = runWscli(arguments);
        QCOMPARE(run.exitCode, exitCode);
        const QString all = run.out + run.err;
        QVERIFY2(all.contains(expected), qPrintable(all));
    }

    void sendWaitsForRepliesAndChecksThem()
    {
        const Run run = runWscli({u"send"_qs, m_server->url().toString(), u"hello"_qs, u"wörld"_qs, u"--wait"_qs,
                                  u"2"_qs, u"--expect"_qs, u"^(hello|wörld)$"_qs});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(u"< hello") && run.out.contains(u"< wörld"), qPrintable(run.out));
        // closed cleanly with 1000 after the replies
        const auto frames = m_server->clientFrames();
        QVERIFY(!frames.isEmpty());
        QCOMPARE(frames.last().opcode, quint8(0x8));
        QCOMPARE(frames.last().payload.left(2), QByteArray("\x03\xe8", 2));
    }

    void sendExpectationMismatchExits3()
    {
        const Run run = runWscli({u"send"_qs, m_server->url().toString(), u"hello"_qs, u"--wait"_qs, u"1"_qs,
                                  u"--expect"_qs, u"^bye$"_qs});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(u"does not match"), qPrintable(run.err));
    }

    void sendTimeoutExits4()
    {
        const Run run = runWscli({u"send"_qs, m_server->url().toString(), u"only one"_qs, u"--wait"_qs, u"2"_qs,
                                  u"--timeout"_qs, u"1"_qs});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains(u"1 of 2 replies"), qPrintable(run.err));
    }

    void sendHexGoesOutAsBinary()
    {
        const Run run = runWscli({u"send"_qs, u"--hex"_qs, m_server->url().toString(), u"00ff7e"_qs, u"--wait"_qs,
                                  u"1"_qs, u"--expect"_qs, u"^00ff7e$"_qs});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(u"binary 3 bytes: 00 ff 7e"), qPrintable(run.out));
        QCOMPARE(m_server->clientFrames().first().opcode, quint8(0x2));
        QCOMPARE(m_server->clientFrames().first().payload, QByteArray("\x00\xff\x7e", 3));
    }

    void sendOffersProtocolsAndHeaders()
    {
        m_server->setChooseFirstOfferedProtocol(true);
        QUrl url = m_server->url(u"/path"_qs);
        url.setQuery(u"q=1"_qs);
        const Run run = runWscli({u"send"_qs, u"--protocol"_qs, u"chat"_qs, u"--protocol"_qs, u"v2.chat"_qs, u"-H"_qs,
                                  u"X-Test: 42"_qs, url.toString(), u"x"_qs});
        QCOMPARE(run.exitCode, 0);
        const UpgradeRequest request = m_server->lastRequest();
        QCOMPARE(request.header("Sec-WebSocket-Protocol"), QByteArray("chat, v2.chat"));
        QCOMPARE(request.header("X-Test"), QByteArray("42"));
        QCOMPARE(request.target, QByteArray("/path?q=1"));
    }

    void deflateOptionsReachTheOffer_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QByteArray>("offer"); // null: no header
        QTest::newRow("default") << QStringList{} << QByteArray("permessage-deflate; client_max_window_bits");
        QTest::newRow("bare --deflate") << QStringList{u"--deflate"_qs}
                                        << QByteArray("permessage-deflate; client_max_window_bits");
        QTest::newRow("--no-deflate") << QStringList{u"--no-deflate"_qs} << QByteArray();
        QTest::newRow("parameters as in the header")
                << QStringList{u"--deflate=client_max_window_bits=10; server_no_context_takeover"_qs}
                << QByteArray("permessage-deflate; server_no_context_takeover; client_max_window_bits=10");
        QTest::newRow("value after a space")
                << QStringList{u"--deflate"_qs, u"client_no_context_takeover"_qs}
                << QByteArray("permessage-deflate; client_no_context_takeover");
        QTest::newRow("with the extension name")
                << QStringList{u"--deflate=permessage-deflate; server_max_window_bits=9"_qs}
                << QByteArray("permessage-deflate; server_max_window_bits=9");
    }
    void deflateOptionsReachTheOffer()
    {
        QFETCH(QStringList, options);
        QFETCH(QByteArray, offer);
        const Run run = runWscli(QStringList{u"send"_qs} + options + QStringList{m_server->url().toString(), u"x"_qs});
        QCOMPARE(run.exitCode, 0);
        const UpgradeRequest request = m_server->lastRequest();
        QCOMPARE(request.headerCount("Sec-WebSocket-Extensions"), offer.isNull() ? 0 : 1);
        if (!offer.isNull())
            QCOMPARE(request.header("Sec-WebSocket-Extensions"), offer);
    }

    void refusedConnectionExits1()
    {
        const quint16 port = m_server->port();
        m_server.reset(); // nobody listens there any more
        const Run run = runWscli({u"send"_qs, QStringLiteral("ws://127.0.0.1:%1/").arg(port), u"x"_qs});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"CannotConnect"), qPrintable(run.err));
    }

    void connectSendsLinesAndCommands()
    {
        // the server echoes; the session ends with /close 4000, a clean close with another code
        const QByteArray input = "first line\n/ping pp\n/binary\nbin\n/hex 01 02\n/text\n//slash\n";
        QProcess process;
        process.start(QStringLiteral(WSCLI_PATH), {u"connect"_qs, m_server->url().toString()});
        QVERIFY(process.waitForStarted(5000));
        process.write(input);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->clientFrames().size() >= 5, 10000);
        // every echo must be printed before we close
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromUtf8(process.peek(1 << 20)).count(u" < ") >= 4, 10000);
        process.write("/close 4000 done\n");
        QSignalSpy finished(&process, &QProcess::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitCode(), 5);
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(out.contains(u"< first line"), qPrintable(out));
        QVERIFY2(out.contains(u"< binary 3 bytes: 62 69 6e"), qPrintable(out));
        QVERIFY2(out.contains(u"< binary 2 bytes: 01 02"), qPrintable(out));
        QVERIFY2(out.contains(u"< /slash"), qPrintable(out));
        QVERIFY2(err.contains(u"pong after"), qPrintable(err));
        QVERIFY2(err.contains(u"closed: 4000 (application), reason \"done\", clean"), qPrintable(err));
        // each line printed with a millisecond timestamp
        QVERIFY(QRegularExpression(u"\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] < first line"_qs).match(out).hasMatch());
    }

    void connectClosesWith1000AtEndOfInput()
    {
        const Run run = runWscli({u"connect"_qs, m_server->url().toString()}, "one\ntwo\n");
        QCOMPARE(run.exitCode, 0);
        const auto frames = m_server->clientFrames();
        QVERIFY(frames.size() >= 3);
        QCOMPARE(frames.at(0).payload, QByteArray("one"));
        QCOMPARE(frames.at(1).payload, QByteArray("two"));
        QCOMPARE(frames.last().opcode, quint8(0x8));
        QCOMPARE(frames.last().payload.left(2), QByteArray("\x03\xe8", 2));
    }

    void interruptClosesWith1001()
    {
        QProcess process;
        process.start(QStringLiteral(WSCLI_PATH), {u"connect"_qs, m_server->url().toString()});
        QVERIFY(process.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromUtf8(process.peek(0)).isEmpty()
                                         && m_server->openConnectionCount() == 1,
                                 10000);
        // wait for "connected" so the signal handler is installed and the socket open
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError()).contains("connected to"), 10000);
        ::kill(pid_t(process.processId()), SIGINT);
        QSignalSpy finished(&process, &QProcess::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const auto frames = m_server->clientFrames();
        QVERIFY(!frames.isEmpty());
        QCOMPARE(frames.last().opcode, quint8(0x8));
        QCOMPARE(frames.last().payload.left(2), QByteArray("\x03\xe9", 2)); // 1001 Going Away
    }

    // --- wss:// (the TLS options are shared by connect, send, autobahn and bench) ---

    void helpListsTheTlsOptions_data()
    {
        QTest::addColumn<QString>("command");
        for (const char *command : {"connect", "send", "autobahn", "bench"})
            QTest::newRow(command) << QString::fromLatin1(command);
    }
    void helpListsTheTlsOptions()
    {
        QFETCH(QString, command);
        const Run run = runWscli({command, u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        for (const QString &option : {u"--ca <FILE>"_s, u"--pin <sha256/BASE64>"_s, u"--cert <FILE>"_s, u"--key <FILE>"_s,
                                      u"--cert-password <passphrase>"_s, u"--cert-password-file <FILE>"_s,
                                      u"WSCLI_CERT_PASSWORD"_s, u"--insecure-ignore <ERROR>"_s, u"--deflate"_s,
                                      u"--connect-timeout"_s, u"--proxy <URL>"_s, u"WSCLI_PROXY_PASSWORD"_s,
                                      u"--verbose"_s})
            QVERIFY2(run.out.contains(option), qPrintable(command + u": no " + option + u'\n' + run.out));
    }

    void badTlsOptionsExit2BeforeConnecting_data()
    {
        QTest::addColumn<QStringList>("arguments"); // the URL is appended (and for send a message)
        QTest::addColumn<QString>("expected");
        const QString dir = QStringLiteral(WSW_TEST_PKI_DIR);
        QTest::newRow("never-ignorable Revoked") << QStringList{u"send"_s, u"--insecure-ignore"_s, u"Revoked"_s}
                                                 << u"Revoked can never be ignored"_s;
        QTest::newRow("never-ignorable OtherErrors, any case")
                << QStringList{u"connect"_s, u"--insecure-ignore"_s, u"othererrors"_s} << u"OtherErrors can never"_s;
        QTest::newRow("unknown error name") << QStringList{u"send"_s, u"--insecure-ignore"_s, u"NoSuchError"_s}
                                            << u"unknown certificate error \"NoSuchError\""_s;
        QTest::newRow("malformed pin") << QStringList{u"send"_s, u"--pin"_s, u"sha256/tooshort"_s}
                                       << u"\"sha256/tooshort\" is not a public-key pin"_s;
        QTest::newRow("pin without sha256/")
                << QStringList{u"send"_s, u"--pin"_s, TestPki::pin(u"server"_s).sliced(7)} << u"is not a public-key pin"_s;
        QTest::newRow("unreadable --ca") << QStringList{u"send"_s, u"--ca"_s, dir + u"/no-such-file.pem"}
                                         << u"--ca " + dir + u"/no-such-file.pem";
        QTest::newRow("--ca without a certificate") << QStringList{u"send"_s, u"--ca"_s, TestPki::path(u"server.key"_s)}
                                                    << u"server.key: no certificate in it"_s;
        QTest::newRow("--key without --cert") << QStringList{u"send"_s, u"--key"_s, TestPki::path(u"client.key"_s)}
                                              << u"give --cert FILE too"_s;
        QTest::newRow("key of another certificate")
                << QStringList{u"send"_s, u"--cert"_s, TestPki::path(u"client.pem"_s), u"--key"_s,
                               TestPki::path(u"server.key"_s)}
                << u"does not belong to the client certificate: " + TestPki::path(u"server.key"_s);
        QTest::newRow("encrypted key, no passphrase")
                << QStringList{u"send"_s, u"--cert"_s, TestPki::path(u"client.pem"_s), u"--key"_s,
                               TestPki::path(u"client-encrypted.key"_s)}
                << u"no passphrase was given"_s;
        QTest::newRow("two passphrase sources")
                << QStringList{u"send"_s, u"--cert"_s, TestPki::path(u"client.p12"_s), u"--cert-password"_s, u"x"_s,
                               u"--cert-password-file"_s, TestPki::path(u"pins.txt"_s)}
                << u"not both"_s;
        // the same path in every connecting command
        QTest::newRow("bench: unknown error name")
                << QStringList{u"bench"_s, u"--mode"_s, u"echo"_s, u"--size"_s, u"1"_s, u"--count"_s, u"1"_s,
                               u"--insecure-ignore"_s, u"Whatever"_s}
                << u"unknown certificate error"_s;
        QTest::newRow("autobahn: malformed pin")
                << QStringList{u"autobahn"_s, u"--pin"_s, u"sha1/abc"_s} << u"is not a public-key pin"_s;
    }
    void badTlsOptionsExit2BeforeConnecting()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        const QString command = arguments.first();
        arguments.append(command == u"bench" || command == u"autobahn" ? tls->url(QString()).toString()
                                                                       : tls->url().toString());
        if (command == u"send")
            arguments.append(u"x"_s);
        const Run run = runWscli(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(expected), qPrintable(run.err));
        QTest::qWait(50); // a connection would have been accepted by now
        QCOMPARE(tls->connectionCount(), 0);
    }

    void wssSendWithCaSucceeds()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        const Run run = runWscli({u"send"_s, u"--ca"_s, TestPki::path(u"root-ca.pem"_s), tls->url(u"/tls"_s).toString(),
                                  u"hello"_s, u"--wait"_s, u"1"_s, u"--expect"_s, u"^hello$"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(u"< hello"), qPrintable(run.out));
        QCOMPARE(tls->tlsHandshakeCount(), 1);
        QCOMPARE(tls->lastRequest().target, QByteArray("/tls"));
    }

    void wssWithoutCaFailsAndShowsTheCertificate()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        const Run run = runWscli({u"send"_s, tls->url().toString(), u"hello"_s});
        QCOMPARE(run.exitCode, 1);
        const QSslCertificate server = TestPki::certificate(u"server.pem"_s);
        for (const QString &expected : {u"CertificateRejected"_s, u"IncompleteChain: "_s, u"CN=localhost"_s,
                                        u"CN=WSW Test Intermediate CA"_s, u"not after:"_s, fingerprint(server),
                                        TestPki::pin(u"server"_s)})
            QVERIFY2(run.err.contains(expected), qPrintable(u"no " + expected + u" in\n" + run.err));
        QVERIFY(run.out.isEmpty());
        QCOMPARE(tls->upgradeCount(), 0); // the upgrade request never went out
    }

    void expiredCertificateIsMarked()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"expired"_s));
        QVERIFY(tls);
        const Run run = runWscli({u"send"_s, u"--ca"_s, TestPki::path(u"root-ca.pem"_s), tls->url().toString(), u"x"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"Expired: "_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"2021-01-01 00:00:00 UTC (expired)"_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"--insecure-ignore Expired"_s), qPrintable(run.err)); // the hint
    }

    void insecureIgnoreAcceptsWhatItNames()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"self-signed"_s));
        QVERIFY(tls);
        const Run refused = runWscli({u"send"_s, tls->url().toString(), u"x"_s});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(u"Untrusted: "_s), qPrintable(refused.err));
        QVERIFY2(refused.err.contains(TestPki::pin(u"self-signed"_s)), qPrintable(refused.err));
        // another ignorable error does not help; the right one does (names in any case)
        const Run other = runWscli({u"send"_s, u"--insecure-ignore"_s, u"Expired"_s, tls->url().toString(), u"x"_s});
        QCOMPARE(other.exitCode, 1);
        const Run accepted = runWscli({u"send"_s, u"--insecure-ignore"_s, u"untrusted"_s, tls->url().toString(),
                                       u"hi"_s, u"--wait"_s, u"1"_s});
        QVERIFY2(accepted.exitCode == 0, qPrintable(accepted.err));
        QVERIFY2(accepted.out.contains(u"< hi"), qPrintable(accepted.out));
        QCOMPARE(tls->upgradeCount(), 1);
    }

    void pinnedServerKeyIsAccepted()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        // no --ca: the pinned leaf key stands in for the untrusted chain
        const Run run = runWscli({u"send"_s, u"--pin"_s, TestPki::pin(u"other-server"_s), u"--pin"_s,
                                  TestPki::pin(u"server"_s), tls->url().toString(), u"x"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(tls->upgradeCount(), 1);
    }

    void pinMismatchShowsThePresentedPins()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        const Run run = runWscli({u"send"_s, u"--ca"_s, TestPki::path(u"root-ca.pem"_s), u"--pin"_s,
                                  TestPki::pin(u"other-server"_s), tls->url().toString(), u"x"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"PinMismatch"_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"pins the server presented (leaf first):\n"
                                  u"    " + TestPki::pin(u"server"_s) + u"  localhost\n"
                                  u"    " + TestPki::pin(u"intermediate-ca"_s) + u"  WSW Test Intermediate CA\n"),
                 qPrintable(run.err));
        QCOMPARE(tls->upgradeCount(), 0);
    }

    void mutualTls_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("environmentPassphrase"); // null: not set
        QTest::addColumn<QByteArray>("passphraseFile");     // null: none; the file goes last in options
        const QString pem = TestPki::path(u"client.pem"_s), p12 = TestPki::path(u"client.p12"_s);
        QTest::newRow("PEM and key") << QStringList{u"--cert"_s, pem, u"--key"_s, TestPki::path(u"client.key"_s)}
                                     << QString() << QByteArray();
        QTest::newRow("PEM chain and key") << QStringList{u"--cert"_s, TestPki::path(u"client-chain.pem"_s), u"--key"_s,
                                                          TestPki::path(u"client.key"_s)}
                                           << QString() << QByteArray();
        QTest::newRow("PKCS#12, --cert-password")
                << QStringList{u"--cert"_s, p12, u"--cert-password"_s, u"wsw-secret"_s} << QString() << QByteArray();
        QTest::newRow("PKCS#12, --cert-password-file")
                << QStringList{u"--cert"_s, p12, u"--cert-password-file"_s} << QString() << QByteArray("wsw-secret\n");
        QTest::newRow("PKCS#12, WSCLI_CERT_PASSWORD") << QStringList{u"--cert"_s, p12} << u"wsw-secret"_s << QByteArray();
        QTest::newRow("encrypted PEM key, WSCLI_CERT_PASSWORD")
                << QStringList{u"--cert"_s, pem, u"--key"_s, TestPki::path(u"client-encrypted.key"_s)}
                << u"wsw-secret"_s << QByteArray();
        QTest::newRow("file beats the environment")
                << QStringList{u"--cert"_s, p12, u"--cert-password-file"_s} << u"not-this-one"_s
                << QByteArray("wsw-secret\r\n");
        QTest::newRow("PKCS#12 without passphrase")
                << QStringList{u"--cert"_s, TestPki::path(u"client-nopass.p12"_s)} << QString() << QByteArray();
    }
    void mutualTls()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, environmentPassphrase);
        QFETCH(QByteArray, passphraseFile);
        QTemporaryDir dir;
        if (!passphraseFile.isNull()) {
            QFile file(dir.filePath(u"passphrase"_s));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(passphraseFile);
            options.append(file.fileName());
        }
        const auto tls = startTlsServer(TestPki::mutualTlsServerConfiguration());
        QVERIFY(tls);
        QList<QPair<QString, QString>> environment;
        if (!environmentPassphrase.isNull())
            environment.append({u"WSCLI_CERT_PASSWORD"_s, environmentPassphrase});
        const Run run = runWscli(QStringList{u"send"_s, u"--ca"_s, TestPki::path(u"root-ca.pem"_s)} + options
                                         + QStringList{tls->url().toString(), u"x"_s, u"--wait"_s, u"1"_s},
                                 {}, 20000, wscliEnvironment(environment));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(tls->clientCertificates().size(), 1);
        QCOMPARE(tls->clientCertificates().constFirst(), TestPki::certificate(u"client.pem"_s));
        QVERIFY(!run.out.contains(u"wsw-secret"_s) && !run.err.contains(u"wsw-secret"_s));
    }

    void wrongPassphraseExits2AndIsNeverShown_data()
    {
        QTest::addColumn<QString>("source"); // option, file or environment
        QTest::addColumn<QString>("certificate");
        const QString p12 = TestPki::path(u"client.p12"_s), key = TestPki::path(u"client-encrypted.key"_s);
        QTest::newRow("PKCS#12, --cert-password") << u"option"_s << p12;
        QTest::newRow("PKCS#12, --cert-password-file") << u"file"_s << p12;
        QTest::newRow("PKCS#12, WSCLI_CERT_PASSWORD") << u"environment"_s << p12;
        QTest::newRow("encrypted key, --cert-password") << u"option"_s << key;
        QTest::newRow("encrypted key, WSCLI_CERT_PASSWORD") << u"environment"_s << key;
    }
    void wrongPassphraseExits2AndIsNeverShown()
    {
        QFETCH(QString, source);
        QFETCH(QString, certificate);
        const QString wrong = u"Tr0ub4dor-and-3"_s;
        QStringList arguments{u"send"_s, u"--cert"_s};
        if (certificate.endsWith(u".key"))
            arguments += {TestPki::path(u"client.pem"_s), u"--key"_s, certificate};
        else
            arguments += certificate;
        QTemporaryDir dir;
        QList<QPair<QString, QString>> environment;
        if (source == u"option") {
            arguments += {u"--cert-password"_s, wrong};
        } else if (source == u"file") {
            QFile file(dir.filePath(u"passphrase"_s));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(wrong.toUtf8() + '\n');
            arguments += {u"--cert-password-file"_s, file.fileName()};
        } else {
            environment.append({u"WSCLI_CERT_PASSWORD"_s, wrong});
        }
        const auto tls = startTlsServer(TestPki::mutualTlsServerConfiguration());
        QVERIFY(tls);
        const Run run = runWscli(arguments + QStringList{tls->url().toString(), u"x"_s}, {}, 20000,
                                 wscliEnvironment(environment));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"passphrase"_s) && run.err.contains(certificate), qPrintable(run.err));
        QVERIFY2(!run.out.contains(wrong) && !run.err.contains(wrong), qPrintable(run.out + run.err));
        QTest::qWait(50);
        QCOMPARE(tls->connectionCount(), 0);
    }

    void connectShowsTheTlsSession()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        const Run run = runWscli({u"connect"_s, u"--ca"_s, TestPki::path(u"root-ca.pem"_s), tls->url().toString()},
                                 "over tls\n");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(u"< over tls"_s), qPrintable(run.out));
        const QRegularExpression line(u"\\] TLS: TLSv1\\.[23], \\S+ \\(\\d+-bit\\), certificate issued to localhost by "
                                      u"WSW Test Intermediate CA\\n"_s);
        QVERIFY2(line.match(run.err).hasMatch(), qPrintable(run.err));
    }

    void connectFailureShowsTheCertificate()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"wrong-host"_s));
        QVERIFY(tls);
        const Run run = runWscli({u"connect"_s, u"--ca"_s, TestPki::path(u"root-ca.pem"_s), tls->url().toString()}, "");
        QCOMPARE(run.exitCode, 1);
        for (const QString &expected : {u"InvalidName: "_s, u"names:      DNS:wrong-host.example"_s,
                                        TestPki::pin(u"wrong-host"_s)})
            QVERIFY2(run.err.contains(expected), qPrintable(u"no " + expected + u" in\n" + run.err));
    }

    void benchOverTls()
    {
        // the harness contract over wss://: one JSON line on stdout, ok true (EchoServer echoes /echo)
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        const Run run = runWscli({u"bench"_s, u"--mode"_s, u"echo"_s, u"--size"_s, u"32"_s, u"--count"_s, u"10"_s,
                                  u"--ca"_s, TestPki::path(u"root-ca.pem"_s),
                                  u"wss://127.0.0.1:"_s + QString::number(tls->port())});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out.count(u'\n'), 1);
        QVERIFY(run.out.endsWith(u'\n'));
        const QJsonObject result = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(result.value(u"client").toString(), u"wscli"_s);
        QCOMPARE(result.value(u"messages").toInt(), 10);
        QCOMPARE(result.value(u"bytes").toInt(), 320);
        QCOMPARE(result.value(u"ok").toBool(), true);
        QCOMPARE(tls->lastRequest().target, QByteArray("/echo"));
        QCOMPARE(tls->tlsHandshakeCount(), 1);
    }

    void benchTlsFailureStillPrintsOneJsonLine()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        const Run run = runWscli({u"bench"_s, u"--mode"_s, u"echo"_s, u"--size"_s, u"32"_s, u"--count"_s, u"10"_s,
                                  u"wss://127.0.0.1:"_s + QString::number(tls->port())});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.out.count(u'\n'), 1);
        QCOMPARE(QJsonDocument::fromJson(run.out.toUtf8()).object().value(u"ok").toBool(true), false);
        QVERIFY2(run.err.contains(u"IncompleteChain: "_s), qPrintable(run.err));
    }

    void autobahnOverTls()
    {
        const auto tls = startTlsServer(TestPki::serverConfiguration(u"server"_s));
        QVERIFY(tls);
        const QString url = u"wss://127.0.0.1:"_s + QString::number(tls->port());
        const Run refused = runWscli({u"autobahn"_s, url});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(u"IncompleteChain: "_s), qPrintable(refused.err));
        QCOMPARE(tls->upgradeCount(), 0);

        // with --ca the first request (getCaseCount) goes out over TLS; answering "0" ends the run
        QProcess process;
        process.setProcessEnvironment(wscliEnvironment());
        process.start(QStringLiteral(WSCLI_PATH), {u"autobahn"_s, u"--ca"_s, TestPki::path(u"root-ca.pem"_s), url});
        QVERIFY(process.waitForStarted(5000));
        QTRY_COMPARE_WITH_TIMEOUT(tls->upgradeCount(), 1, 10000);
        QCOMPARE(tls->lastRequest().target, QByteArray("/getCaseCount"));
        tls->sendToClients(FrameBuilder::text("0"));
        QSignalSpy finished(&process, &QProcess::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitCode(), 1);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(u"no case count from " + url + u": answer \"0\""), qPrintable(err));
    }

    // --- --proxy (shared by connect, send, autobahn and bench) ---

    void badProxyExits2WithoutThePassword_data()
    {
        QTest::addColumn<QStringList>("arguments"); // the URL is appended (and for send a message)
        QTest::addColumn<QString>("expected");
        const QString secret = ProxyPassword;
        QTest::newRow("unknown scheme") << QStringList{u"send"_s, u"--proxy"_s, u"ftp://u:" + secret + u"@127.0.0.1:21"}
                                        << u"unknown scheme \"ftp\""_s;
        QTest::newRow("https proxy") << QStringList{u"send"_s, u"--proxy"_s, u"https://u:" + secret + u"@127.0.0.1:443"}
                                     << u"unknown scheme \"https\""_s;
        QTest::newRow("no scheme") << QStringList{u"send"_s, u"--proxy"_s, u"u:" + secret + u"@127.0.0.1:3128"}
                                   << u"not a proxy"_s;
        QTest::newRow("missing port") << QStringList{u"send"_s, u"--proxy"_s, u"http://u:" + secret + u"@127.0.0.1"}
                                      << u"no port"_s;
        QTest::newRow("empty port") << QStringList{u"connect"_s, u"--proxy"_s, u"socks5://u:" + secret + u"@proxy:"}
                                    << u"no port"_s;
        QTest::newRow("port 0") << QStringList{u"send"_s, u"--proxy"_s, u"http://u:" + secret + u"@127.0.0.1:0"}
                                << u"port \"0\" is not a number from 1 to 65535"_s;
        QTest::newRow("port out of range")
                << QStringList{u"send"_s, u"--proxy"_s, u"socks5://u:" + secret + u"@127.0.0.1:65536"}
                << u"port \"65536\" is not a number from 1 to 65535"_s;
        QTest::newRow("port not a number") << QStringList{u"send"_s, u"--proxy"_s, u"http://127.0.0.1:http"_s}
                                           << u"port \"http\" is not a number"_s;
        QTest::newRow("empty host") << QStringList{u"send"_s, u"--proxy"_s, u"http://u:" + secret + u"@:3128"}
                                    << u"no host"_s;
        QTest::newRow("empty user") << QStringList{u"send"_s, u"--proxy"_s, u"http://:" + secret + u"@127.0.0.1:3128"}
                                    << u"empty user name"_s;
        QTest::newRow("path after the port")
                << QStringList{u"send"_s, u"--proxy"_s, u"http://u:" + secret + u"@127.0.0.1:3128/path"}
                << u"nothing may follow the port"_s;
        QTest::newRow("IPv6 without brackets") << QStringList{u"send"_s, u"--proxy"_s, u"http://::1:3128"_s}
                                               << u"in brackets"_s;
        QTest::newRow("password with an unencoded slash, no port")
                << QStringList{u"send"_s, u"--proxy"_s, u"http://u:" + secret + u"/x@127.0.0.1"} << u"no port"_s;
        QTest::newRow("percent-encoded password, no host")
                << QStringList{u"send"_s, u"--proxy"_s, u"http://u:" + QString::fromLatin1(QUrl::toPercentEncoding(secret, {}, "-")) + u"@"}
                << u"no host"_s;
        QTest::newRow("given twice") << QStringList{u"send"_s, u"--proxy"_s, u"none"_s, u"--proxy"_s, u"system"_s}
                                     << u"--proxy given more than once"_s;
        // the same path in every connecting command
        QTest::newRow("bench: missing port")
                << QStringList{u"bench"_s, u"--mode"_s, u"echo"_s, u"--size"_s, u"1"_s, u"--count"_s, u"1"_s,
                               u"--proxy"_s, u"socks5://u:" + secret + u"@127.0.0.1"}
                << u"no port"_s;
        QTest::newRow("autobahn: unknown scheme")
                << QStringList{u"autobahn"_s, u"--proxy"_s, u"socks4://u:" + secret + u"@127.0.0.1:1080"}
                << u"unknown scheme \"socks4\""_s;
    }
    void badProxyExits2WithoutThePassword()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const QString command = arguments.first();
        arguments.append(command == u"bench" || command == u"autobahn" ? m_server->url(QString()).toString()
                                                                       : m_server->url().toString());
        if (command == u"send")
            arguments.append(u"x"_s);
        const Run run = runWscli(arguments, command == u"connect" ? QByteArray("") : QByteArray());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"wscli: --proxy"_s) && run.err.contains(expected), qPrintable(run.err));
        QVERIFY2(showsNoProxyPassword(run), qPrintable(run.out + run.err));
        QTest::qWait(50); // a connection would have been accepted by now
        QCOMPARE(m_server->connectionCount(), 0);
    }

    void badUserExits2_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no name") << QStringList{u"--user"_s, u":s3cret-pass"_s} << u"--user needs a name"_s;
        QTest::newRow("no password anywhere") << QStringList{u"--user"_s, u"bob"_s} << u"has no password"_s;
        QTest::newRow("given twice") << QStringList{u"--user"_s, u"a:b"_s, u"--user"_s, u"c:d"_s}
                                     << u"--user given more than once"_s;
    }
    void badUserExits2()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const Run run = runWscli(QStringList{u"send"_s} + arguments + QStringList{m_server->url().toString(), u"x"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(expected), qPrintable(run.err));
        QVERIFY(!run.err.contains(u"s3cret-pass"_s)); // a password is never printed
        QTest::qWait(50);
        QCOMPARE(m_server->connectionCount(), 0);
    }

    void sendWithUserAnswersBasicOnce_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QByteArray>("environmentPassword"); // WSCLI_USER_PASSWORD; null: not set
        QTest::addColumn<bool>("accepted");
        QTest::newRow("right, on the command line") << u"bob:s3cret-pass"_s << QByteArray() << true;
        QTest::newRow("right, from the environment") << u"bob"_s << QByteArray("s3cret-pass") << true;
        QTest::newRow("wrong password") << u"bob:not-it"_s << QByteArray() << false;
    }
    void sendWithUserAnswersBasicOnce()
    {
        QFETCH(QString, user);
        QFETCH(QByteArray, environmentPassword);
        QFETCH(bool, accepted);
        // a server demanding Basic bob:s3cret-pass (the test computes the header itself)
        const QByteArray expected = "Basic " + QByteArray("bob:s3cret-pass").toBase64();
        int requests = 0;
        m_server->setUpgradeGate([&](const UpgradeRequest &request) -> QByteArray {
            ++requests;
            if (request.header("Authorization") == expected)
                return {};
            return "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"wscli\"\r\n"
                   "Content-Length: 0\r\nConnection: close\r\n\r\n";
        });
        QProcessEnvironment environment = wscliEnvironment();
        if (!environmentPassword.isNull())
            environment.insert(u"WSCLI_USER_PASSWORD"_s, QString::fromLatin1(environmentPassword));
        const Run run = runWscli({u"send"_s, u"-v"_s, u"--user"_s, user, m_server->url().toString(), u"hi"_s}, {},
                                 20000, environment);
        m_server->setUpgradeGate({});
        QCOMPARE(run.exitCode, accepted ? 0 : 1);
        QCOMPARE(requests, 2); // the 401 is answered once, never again
        if (!accepted)
            QVERIFY2(run.err.contains(u"CredentialRejected"_s), qPrintable(run.err));
        const QString all = run.out + run.err;
        QVERIFY2(!all.contains(u"s3cret-pass"_s) && !all.contains(u"not-it"_s)
                         && !all.contains(QString::fromLatin1(QByteArray("bob:s3cret-pass").toBase64())),
                 qPrintable(all)); // never printed, not even with --verbose
    }

    void sendThroughTinyproxy_data()
    {
        QTest::addColumn<QString>("userInfo"); // before '@' in --proxy; empty: none
        QTest::addColumn<QString>("environmentPassword"); // WSCLI_PROXY_PASSWORD; null: not set
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<bool>("accepted");
        const QString user = ProxyUser + u':';
        for (const bool verbose : {false, true}) {
            const QStringList extra = verbose ? QStringList{u"--verbose"_s} : QStringList{};
            const QByteArray suffix = verbose ? ", --verbose" : "";
            QTest::newRow(QByteArray("password in the URL" + suffix).constData()) << user + ProxyPassword << QString() << extra << true;
            QTest::newRow(QByteArray("password from WSCLI_PROXY_PASSWORD" + suffix).constData()) << ProxyUser << ProxyPassword << extra << true;
            QTest::newRow(QByteArray("URL's password beats the environment" + suffix).constData())
                    << user + ProxyPassword << WrongPassword << extra << true;
            QTest::newRow(QByteArray("wrong password" + suffix).constData()) << user + WrongPassword << QString() << extra << false;
            QTest::newRow(QByteArray("wrong password from the environment" + suffix).constData())
                    << ProxyUser << WrongPassword << extra << false;
            QTest::newRow(QByteArray("no credential" + suffix).constData()) << QString() << ProxyPassword << extra << false;
        }
        // -v prints the request: an Authorization header goes out with its value redacted
        QTest::newRow("-v with an Authorization header")
                << user + ProxyPassword << QString()
                << QStringList{u"-v"_s, u"-H"_s, u"Authorization: Bearer "_s + ProxyPassword} << true;
    }
    void sendThroughTinyproxy()
    {
        QFETCH(QString, userInfo);
        QFETCH(QString, environmentPassword);
        QFETCH(QStringList, extra);
        QFETCH(bool, accepted);
        ProxyDaemon tinyproxy;
        const QString problem = startTinyproxy(tinyproxy, TinyproxyMode::BasicAuth, ProxyUser, ProxyPassword);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QList<QPair<QString, QString>> environment;
        if (!environmentPassword.isNull())
            environment.append({u"WSCLI_PROXY_PASSWORD"_s, environmentPassword});
        const QString proxy = u"http://"_s + (userInfo.isEmpty() ? QString() : userInfo + u'@') + u"127.0.0.1:"
                + QString::number(tinyproxy.port());
        const Run run = runWscli(QStringList{u"send"_s, u"--proxy"_s, proxy} + extra
                                         + QStringList{m_server->url().toString(), u"via tinyproxy"_s, u"--wait"_s,
                                                       u"1"_s},
                                 {}, 20000, wscliEnvironment(environment));
        QVERIFY2(showsNoProxyPassword(run), qPrintable(run.out + run.err));
        if (accepted) {
            QVERIFY2(run.exitCode == 0, qPrintable(run.err + tinyproxy.log()));
            QVERIFY2(run.out.contains(u"< via tinyproxy"_s), qPrintable(run.out));
            QVERIFY2(tinyproxy.log().contains(u"CONNECT 127.0.0.1:"_s + QString::number(m_server->port())),
                     qPrintable(tinyproxy.log()));
            QCOMPARE(m_server->connectionCount(), 1);
        } else {
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(u"ProxyAuthenticationRequired"_s) && run.err.contains(u"407"_s),
                     qPrintable(run.err));
            QVERIFY2(run.err.contains(u"proxy: HTTP 127.0.0.1:"_s + QString::number(tinyproxy.port())),
                     qPrintable(run.err));
            QCOMPARE(m_server->connectionCount(), 0);
        }
        if (extra.contains(u"--verbose"_s) || extra.contains(u"-v"_s)) {
            if (accepted) {
                QVERIFY2(run.err.contains(u"opening handshake (proxy: HTTP 127.0.0.1:"_s), qPrintable(run.err));
                QVERIFY2(run.err.contains(u"  > GET / HTTP/1.1"_s) && run.err.contains(u"  < HTTP/1.1 101"_s),
                         qPrintable(run.err));
            }
            if (extra.contains(u"-H"_s)) {
                QVERIFY2(run.err.contains(u"  > Authorization: Bearer "_s), qPrintable(run.err));
                QCOMPARE(m_server->lastRequest().header("Authorization"), "Bearer " + ProxyPassword.toUtf8());
            }
        }
    }

    void sendThroughSocks5_data()
    {
        QTest::addColumn<QString>("password"); // given percent-encoded in the URL; null: none there
        QTest::addColumn<QString>("environmentPassword");
        QTest::addColumn<bool>("verbose");
        QTest::addColumn<bool>("accepted");
        for (const bool verbose : {false, true}) {
            const QByteArray suffix = verbose ? ", --verbose" : "";
            QTest::newRow(QByteArray("password in the URL" + suffix).constData()) << Socks5Password << QString() << verbose << true;
            QTest::newRow(QByteArray("password from WSCLI_PROXY_PASSWORD" + suffix).constData())
                    << QString() << Socks5Password << verbose << true;
            QTest::newRow(QByteArray("wrong password" + suffix).constData()) << WrongPassword << QString() << verbose << false;
            QTest::newRow(QByteArray("user without password" + suffix).constData()) << QString() << QString() << verbose << false;
        }
    }
    void sendThroughSocks5()
    {
        QFETCH(QString, password);
        QFETCH(QString, environmentPassword);
        QFETCH(bool, verbose);
        QFETCH(bool, accepted);
        Socks5Server socks;
        socks.setCredential(Socks5User.toUtf8(), Socks5Password.toUtf8());
        QVERIFY(socks.listen());
        QList<QPair<QString, QString>> environment;
        if (!environmentPassword.isNull())
            environment.append({u"WSCLI_PROXY_PASSWORD"_s, environmentPassword});
        QString userInfo = QString::fromLatin1(QUrl::toPercentEncoding(Socks5User));
        if (!password.isNull())
            userInfo += u':' + QString::fromLatin1(QUrl::toPercentEncoding(password));
        const QString proxy = u"socks5://"_s + userInfo + u"@127.0.0.1:" + QString::number(socks.port());
        QStringList arguments{u"send"_s, u"--proxy"_s, proxy};
        if (verbose)
            arguments.append(u"--verbose"_s);
        arguments += {m_server->url(u"/"_s, u"localhost"_s).toString(), u"via socks"_s, u"--wait"_s, u"1"_s};
        const Run run = runWscli(arguments, {}, 20000, wscliEnvironment(environment));
        QVERIFY2(showsNoProxyPassword(run), qPrintable(run.out + run.err));
        if (accepted) {
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            QVERIFY2(run.out.contains(u"< via socks"_s), qPrintable(run.out));
            QCOMPARE(socks.lastTarget(), u"localhost"_s); // the proxy resolves the name
            QCOMPARE(socks.tunnelsOpened(), 1);
            QCOMPARE(m_server->connectionCount(), 1);
            if (verbose)
                QVERIFY2(run.err.contains(u"opening handshake (proxy: SOCKS5 127.0.0.1:"_s
                                          + QString::number(socks.port()) + u", authenticated)"),
                         qPrintable(run.err));
        } else {
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(u"ProxyAuthenticationRequired"_s), qPrintable(run.err));
            QVERIFY2(run.err.contains(u"proxy: SOCKS5 127.0.0.1:"_s + QString::number(socks.port())),
                     qPrintable(run.err));
            QCOMPARE(socks.tunnelsOpened(), 0);
            QCOMPARE(m_server->connectionCount(), 0);
        }
    }

    void connectSaysWhichProxyCarriedIt_data()
    {
        QTest::addColumn<QString>("proxyOption"); // @PORT@: tinyproxy's port
        QTest::addColumn<bool>("systemVariable"); // http_proxy names tinyproxy
        QTest::addColumn<QString>("line");
        QTest::newRow("http://") << u"http://127.0.0.1:@PORT@"_s << false << u"proxy: HTTP 127.0.0.1:@PORT@\n"_s;
        QTest::newRow("system, http_proxy") << u"system"_s << true
                                            << u"proxy: HTTP 127.0.0.1:@PORT@, chosen by the system\n"_s;
        QTest::newRow("system, no variable") << u"system"_s << false
                                             << u"proxy: none, the system chose a direct connection\n"_s;
    }
    void connectSaysWhichProxyCarriedIt()
    {
        QFETCH(QString, proxyOption);
        QFETCH(bool, systemVariable);
        QFETCH(QString, line);
        ProxyDaemon tinyproxy;
        const QString problem = startTinyproxy(tinyproxy, TinyproxyMode::Open);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QString port = QString::number(tinyproxy.port());
        QList<QPair<QString, QString>> environment;
        if (systemVariable)
            environment.append({u"http_proxy"_s, u"http://127.0.0.1:"_s + port});
        const Run run = runWscli({u"connect"_s, u"--proxy"_s, proxyOption.replace(u"@PORT@"_s, port),
                                  m_server->url(u"/"_s, u"localhost"_s).toString()},
                                 "proxied\n", 20000, wscliEnvironment(environment));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(u"< proxied"_s), qPrintable(run.out));
        QVERIFY2(run.err.contains(u"] "_s + line.replace(u"@PORT@"_s, port)), qPrintable(run.err));
        QCOMPARE(tinyproxy.log().contains(u"CONNECT localhost:"_s), !line.contains(u"none"));
    }

    void connectWithoutProxySaysNothingAboutIt()
    {
        const Run run = runWscli({u"connect"_s, m_server->url().toString()}, "direct\n");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(!run.err.contains(u"proxy:"_s), qPrintable(run.err));
    }

    // --- wscli serve: the built-in echo server ---

    void serveEchoesUntilTerminated_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("ws") << false;
        QTest::newRow("wss, pinned") << true;
    }
    void serveEchoesUntilTerminated()
    {
        QFETCH(bool, tls);
        QTemporaryDir identityDir;
        QVERIFY(identityDir.isValid());
        QStringList arguments{u"serve"_s, u"--port"_s, u"0"_s, u"--protocol"_s, u"chat"_s};
        if (tls)
            arguments << u"--tls-dir"_s << identityDir.filePath(u"id"_s);
        QProcess process;
        process.start(QStringLiteral(WSCLI_PATH), arguments);
        QVERIFY(process.waitForStarted(5000));
        QByteArray out;
        const int linesBeforeClients = tls ? 5 : 1; // URL; certificate, fingerprint, pin, expiry
        QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).count('\n') >= linesBeforeClients, 10000);
        const QList<QByteArray> lines = out.split('\n');
        QVERIFY2(lines.first().startsWith(tls ? "listening on wss://localhost:" : "listening on ws://127.0.0.1:"),
                 out.constData());
        const QUrl url(QString::fromUtf8(lines.first().sliced(qsizetype(qstrlen("listening on ")))));
        QVERIFY(url.port() > 0);

        Wsw::MessageWebSocketControl control;
        control.supportedProtocols = {u"chat"_s};
        if (tls) {
            QVERIFY2(lines.at(2).startsWith("sha256 fingerprint: ") && lines.at(3).startsWith("pin: sha256/"),
                     out.constData());
            control.pinnedPublicKeys = {QString::fromLatin1(lines.at(3).sliced(5))};
        }
        Wsw::MessageWebSocket ws;
        ws.setControl(control);
        QSignalSpy connected(&ws, &Wsw::MessageWebSocket::connected);
        QSignalSpy messages(&ws, &Wsw::MessageWebSocket::messageReceived);
        QSignalSpy closed(&ws, &Wsw::MessageWebSocket::closed);
        QVERIFY(ws.connectAsync(url));
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
        QCOMPARE(ws.information().protocol, u"chat"_s);
        QVERIFY(ws.sendTextMessage(u"hello wörld"_s));
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, 10000);
        QCOMPARE(messages.at(0).at(0).value<Wsw::MessageWebSocketMessageReceivedEventArgs>().text(), u"hello wörld"_s);
        QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("connected to / (subprotocol chat"),
                                 10000);

        // SIGTERM: the client is closed with 1001 and wscli ends with 0
        ::kill(pid_t(process.processId()), SIGTERM);
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 10000);
        const auto args = closed.at(0).at(0).value<Wsw::WebSocketClosedEventArgs>();
        QCOMPARE(args.code(), quint16(1001));
        QVERIFY(args.wasClean());
        QSignalSpy finished(&process, &QProcess::finished);
        QVERIFY(process.state() == QProcess::NotRunning || finished.wait(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        out += process.readAllStandardOutput();
        QVERIFY2(out.contains("closed by the server with 1001"), out.constData());
    }

    void servePortInUseExits1()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost));
        const Run run = runWscli({u"serve"_s, u"--port"_s, QString::number(occupant.serverPort())});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"already in use"_s), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
    }

private:
    std::unique_ptr<EchoServer> m_server;
};

QTEST_GUILESS_MAIN(tst_Wscli)
#include "tst_wscli.moc"
