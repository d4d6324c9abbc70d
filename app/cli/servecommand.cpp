#include "servecommand.h"

#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTimer>

#include "api/spkipin.h"
#include "clioutput.h"
#include "interruptwatcher.h"
#include "messageprinter.h"
#include "server/localechoserver.h"
#include "server/selfsignedidentity.h"

namespace Wsw::Cli {

namespace {

/** How long a stop waits for the clients' close handshakes before it ends anyway. */
constexpr int StopGraceMs = 6000;

void printLine(const QString &text)
{
    printOut(u'[' + timestamp() + u"] " + text);
}

/** "AB:CD:..." as `openssl x509 -fingerprint -sha256` writes it. */
QString sha256Fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace

int runServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Runs the built-in echo server on 127.0.0.1 (only): every message a client sends comes back "
            "in the same type; pings are answered, a close is echoed. The first line of standard output "
            "is \"listening on <URL>\"; then one line per client that connects, disconnects or is refused. "
            "Ctrl-C or SIGTERM closes every client with 1001 and ends.\n\n"
            "With --tls it serves wss:// with a self-signed certificate for localhost, kept in --tls-dir "
            "(default: wscli's application data directory) and created there on first use; its SHA-256 "
            "fingerprint and public-key pin are printed so a client can trust exactly it, e.g. "
            "wscli connect --pin sha256/... wss://localhost:PORT/\n\n"
            "Exit status: 0 stopped by a signal, 1 cannot listen (port in use) or no TLS identity, 2 bad arguments."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("port"), QStringLiteral("TCP port on 127.0.0.1 (default 0: any free port)."),
                      QStringLiteral("N"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("tls"), QStringLiteral("Serve wss:// with the self-signed identity.")});
    parser.addOption({QStringLiteral("tls-dir"),
                      QStringLiteral("Directory of the identity (echo-server.pem, echo-server.key); implies --tls."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("protocol"),
                      QStringLiteral("A subprotocol to agree to when a client offers it (repeatable; the "
                                     "client's first offer that is listed wins). Default: none."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("no-deflate"), QStringLiteral("Decline permessage-deflate offers.")});
    if (const auto done = parseArguments(parser, arguments))
        return *done;
    if (!parser.positionalArguments().isEmpty())
        return usageError(parser, QStringLiteral("serve takes no URL"));
    bool ok = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535)
        return usageError(parser, QStringLiteral("--port takes a number from 0 to 65535"));

    LocalEchoServer server;
    const QStringList protocols = parser.values(QStringLiteral("protocol"));
    for (const QString &protocol : protocols) {
        if (Codec::validateSubprotocol(protocol) != ErrorDetail::None)
            return usageError(parser, u"--protocol \"" + protocol + u"\" is not an HTTP token");
    }
    server.setProtocols(protocols);
    if (parser.isSet(QStringLiteral("no-deflate"))) {
        Codec::DeflateServerOptions deflate;
        deflate.enabled = false;
        server.setDeflateOptions(deflate);
    }

    const bool tls = parser.isSet(QStringLiteral("tls")) || parser.isSet(QStringLiteral("tls-dir"));
    std::optional<ServerIdentity> identity;
    if (tls) {
        const QString directory = parser.isSet(QStringLiteral("tls-dir"))
                ? parser.value(QStringLiteral("tls-dir"))
                : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QString error;
        identity = loadOrCreateSelfSignedIdentity(directory, &error);
        if (!identity) {
            printErr(u"wscli: no TLS identity: " + error);
            return ExitFailure;
        }
        server.setTlsIdentity(identity->certificate, identity->key);
    }

    QString error;
    if (!server.listen(quint16(port), &error)) {
        printErr(u"wscli: " + error);
        return ExitFailure;
    }
    // the first line, for scripts and tests: where to connect
    printOut(u"listening on " + server.serverUrl().toString());
    if (identity) {
        printOut(u"certificate: " + QDir::toNativeSeparators(identity->certificatePath)
                 + (identity->created ? QStringLiteral(" (created now)") : QString())
                 + (identity->regeneratedBecause.isEmpty() ? QString()
                                                           : u" (replaced: " + identity->regeneratedBecause + u')'));
        printOut(u"sha256 fingerprint: " + sha256Fingerprint(identity->certificate));
        printOut(u"pin: " + SpkiPin::of(identity->certificate));
        printOut(u"valid until: " + identity->certificate.expiryDate().toUTC().toString(Qt::ISODate));
    }
    printErr(QStringLiteral("wscli: echoing; Ctrl-C to stop"));

    QObject::connect(&server, &LocalEchoServer::clientConnected, &server, [](const QString &line) { printLine(line); });
    QObject::connect(&server, &LocalEchoServer::clientDisconnected, &server, [](const QString &line) { printLine(line); });
    QObject::connect(&server, &LocalEchoServer::clientRejected, &server, [](const QString &line) { printLine(line); });

    QEventLoop loop;
    InterruptWatcher interrupts;
    int status = ExitOk;
    QTimer grace;
    grace.setSingleShot(true);
    QObject::connect(&grace, &QTimer::timeout, &loop, [&loop] { loop.exit(); });
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &loop, [&](int count) {
        if (count > 1) {
            status = ExitInterrupted; // a second Ctrl-C: now
            loop.exit();
            return;
        }
        const LocalEchoServer::Counters counters = server.counters();
        printErr(u"wscli: stopping; " + QString::number(counters.upgraded)
                 + (counters.upgraded == 1 ? u" client served, " : u" clients served, ")
                 + QString::number(counters.messagesEchoed)
                 + (counters.messagesEchoed == 1 ? u" message echoed" : u" messages echoed"));
        server.close();
        if (server.connectionCount() == 0) {
            loop.exit();
            return;
        }
        grace.start(StopGraceMs);
    });
    // after a stop, end as soon as the last client is gone
    QObject::connect(&server, &LocalEchoServer::clientDisconnected, &loop, [&] {
        if (!server.isListening() && server.connectionCount() == 0)
            QTimer::singleShot(0, &loop, [&loop] { loop.exit(); });
    });
    loop.exec();
    return status;
}

} // namespace Wsw::Cli
