#include "connectcommand.h"

#include <QCommandLineParser>

#include "api/messagewebsocket.h"
#include "certificatetext.h"
#include "clioutput.h"
#include "connectionoptions.h"
#include "connectionrun.h"
#include "deflateoption.h"
#include "format/messageformat.h"
#include "interruptwatcher.h"
#include "messageprinter.h"
#include "stdinreader.h"

namespace Wsw::Cli {

namespace {

const char *const InteractiveHelp =
        "Each line you type is sent as one message in the current type. Commands:\n"
        "  /text            send the next lines as text messages\n"
        "  /binary          send the next lines as binary messages (their UTF-8 bytes)\n"
        "  /hex 01 ff ...   send one binary message given in hex\n"
        "  /ping [payload]  send a ping; the pong is shown with its round-trip time\n"
        "  /close [code [reason]]  start the closing handshake (default: no code)\n"
        "  /quit            same as /close 1000\n"
        "  /help            this text\n"
        "A line starting with // sends the rest after one '/'. Ctrl-C closes with 1001; a second Ctrl-C drops the connection.";

/** The interactive session: stdin lines in, messages out, and the exit status at the end. */
class Session final : public QObject
{
public:
    Session(MessageWebSocket &socket, ConnectionRun &run, const QUrl &url)
        : m_socket(socket)
        , m_run(run)
        , m_url(url)
    {
    }

    int exitStatus = ExitFailure;

    void onLine(const QByteArray &line)
    {
        if (m_socket.state() != ConnectionState::Open) {
            // typed before the connection is open: keep it, nothing is lost
            m_waiting.append(line);
            return;
        }
        handle(line);
    }

    void onEndOfInput()
    {
        m_inputEnded = true;
        if (m_socket.state() == ConnectionState::Open)
            m_socket.close(1000, {});
    }

    void onConnected()
    {
        const QString protocol = m_socket.information().protocol;
        printErr(u'[' + timestamp() + u"] connected to " + m_url.toDisplayString()
                 + (protocol.isEmpty() ? QString() : u" (subprotocol " + protocol + u')') + u"; /help for commands");
        if (m_socket.control().proxy.type != ProxyType::None)
            printErr(u'[' + timestamp() + u"] " + describeProxy(m_socket.information().proxy));
        if (const QString tls = CertificateText::tlsSessionLine(m_socket.information()); !tls.isEmpty())
            printErr(u'[' + timestamp() + u"] TLS: " + tls);
        printErr(u'[' + timestamp() + u"] " + describeCompression(m_socket));
        const QList<QByteArray> waiting = std::exchange(m_waiting, {});
        for (const QByteArray &line : waiting)
            handle(line);
        if (m_inputEnded && m_socket.state() == ConnectionState::Open)
            m_socket.close(1000, {});
    }

    void onInterrupted(int count)
    {
        if (count > 1 || m_socket.state() != ConnectionState::Open) {
            if (m_socket.state() == ConnectionState::Open || m_socket.state() == ConnectionState::Closing) {
                printErr(u'[' + timestamp() + u"] interrupted: dropping the connection");
                m_socket.abort();
                exitStatus = ExitInterrupted;
            } else {
                m_socket.cancelConnect();
            }
            m_run.finish(ExitInterrupted);
            return;
        }
        printErr(u'[' + timestamp() + u"] interrupted: closing with 1001 (Ctrl-C again to drop)");
        m_socket.close(1001, QStringLiteral("going away"));
    }

private:
    void handle(const QByteArray &line)
    {
        if (!line.startsWith('/') || line.startsWith("//")) {
            const QByteArray payload = line.startsWith("//") ? line.sliced(1) : line;
            if (!m_socket.sendMessage(payload))
                printErr(u"wscli: not sent: " + m_socket.lastError().message());
            return;
        }
        const QString text = QString::fromUtf8(line);
        const QString command = text.section(u' ', 0, 0);
        const QString rest = text.section(u' ', 1);
        if (command == u"/text") {
            m_socket.setMessageType(SocketMessageType::Utf8);
            printErr(QStringLiteral("wscli: sending text messages"));
        } else if (command == u"/binary") {
            m_socket.setMessageType(SocketMessageType::Binary);
            printErr(QStringLiteral("wscli: sending binary messages"));
        } else if (command == u"/hex") {
            QString error;
            const std::optional<QByteArray> decoded = Format::parseHex(rest, &error);
            if (!decoded) {
                printErr(u"wscli: /hex: " + error + u" Give pairs of hex digits, e.g. /hex 01 ff 7e");
                return;
            }
            if (!m_socket.sendBinaryMessage(*decoded))
                printErr(u"wscli: not sent: " + m_socket.lastError().message());
        } else if (command == u"/ping") {
            if (!m_socket.ping(rest.toUtf8()))
                printErr(u"wscli: no ping: " + m_socket.lastError().message());
        } else if (command == u"/close" || command == u"/quit") {
            bool sent = false;
            if (command == u"/quit") {
                sent = m_socket.close(1000, {});
            } else if (rest.isEmpty()) {
                sent = m_socket.close();
            } else {
                bool ok = false;
                const uint code = rest.section(u' ', 0, 0).toUInt(&ok);
                if (!ok || code > 0xFFFF) {
                    printErr(QStringLiteral("wscli: /close takes a numeric code, e.g. /close 1000 bye"));
                    return;
                }
                sent = m_socket.close(quint16(code), rest.section(u' ', 1));
            }
            if (!sent)
                printErr(u"wscli: not closed: " + m_socket.lastError().message());
        } else if (command == u"/help") {
            printErr(QString::fromLatin1(InteractiveHelp));
        } else {
            printErr(u"wscli: unknown command " + command + u" (/help lists them; // sends a line starting with /)");
        }
    }

    MessageWebSocket &m_socket;
    ConnectionRun &m_run;
    QUrl m_url;
    QList<QByteArray> m_waiting;
    bool m_inputEnded = false;
};

} // namespace

int runConnect(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("Connects to a WebSocket server and sends each line of standard input as a message; "
                           "received messages are printed with millisecond timestamps (binary as hex).\n\n")
            + QString::fromLatin1(InteractiveHelp)
            + QStringLiteral("\n\nExit status: 0 closed with 1000/1001/no code, 5 closed with another code, "
                             "1 connection failed or lost, 2 bad arguments, 130 dropped by a second Ctrl-C."));
    parser.addHelpOption();
    ConnectionOptions options;
    options.addTo(parser);
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("ws://host[:port]/path or wss://..."));
    if (const auto done = parseArguments(parser, arguments))
        return *done;
    if (parser.positionalArguments().size() != 1)
        return usageError(parser, QStringLiteral("give exactly one URL"));
    if (const QString error = options.readFrom(parser, parser.positionalArguments().first()); !error.isEmpty())
        return usageError(parser, error);

    MessageWebSocket socket;
    if (const QString error = options.applyTo(socket); !error.isEmpty())
        return usageError(parser, error);
    ConnectionRun run(socket);
    Session session(socket, run, options.url);
    StdinReader input;
    InterruptWatcher interrupts;

    QObject::connect(&input, &StdinReader::lineRead, &session, &Session::onLine);
    QObject::connect(&input, &StdinReader::lineTooLong, &session,
                     [] { printErr(QStringLiteral("wscli: a line longer than 16 MiB was dropped")); });
    QObject::connect(&input, &StdinReader::endOfInput, &session, &Session::onEndOfInput);
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &session, &Session::onInterrupted);
    QObject::connect(&socket, &MessageWebSocket::connected, &session, &Session::onConnected);
    QObject::connect(&socket, &MessageWebSocket::messageReceived, &session,
                     [](const MessageWebSocketMessageReceivedEventArgs &m) {
                         printOut(formatReceived(m.messageType(), m.data()));
                     });
    QObject::connect(&socket, &MessageWebSocket::pongReceived, &session,
                     [](std::chrono::milliseconds rtt, const QByteArray &payload) {
                         printErr(u'[' + timestamp() + u"] pong after " + QString::number(rtt.count()) + u" ms"
                                  + (payload.isEmpty() ? QString() : u": " + QString::fromUtf8(payload)));
                     });
    QObject::connect(&socket, &MessageWebSocket::errorOccurred, &session, [&socket](const WebSocketError &e) {
        printErr(u'[' + timestamp() + u"] error: " + describeError(e, socket));
    });
    QObject::connect(&socket, &MessageWebSocket::closed, &session, [&](const WebSocketClosedEventArgs &c) {
        printErr(u'[' + timestamp() + u"] closed: " + Format::closeCodeName(c.code())
                 + (c.reason().isEmpty() ? QString() : u", reason \"" + c.reason() + u'"')
                 + (c.wasClean() ? QStringLiteral(", clean") : QStringLiteral(", not clean")));
        if (session.exitStatus != ExitInterrupted)
            session.exitStatus = exitStatusForClose(c.code(), c.wasClean());
        run.finish(session.exitStatus);
    });
    return run.exec(options.url);
}

} // namespace Wsw::Cli
