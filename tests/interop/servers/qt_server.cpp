// Interop test server on Qt's own QWebSocketServer (test-only: nothing of the product links
// Qt WebSockets). Listens on 127.0.0.1 with a free port, prints that port alone on the first line
// of stdout, and serves until it is terminated or its stdin reaches end of file (so it never
// outlives the test that started it).
//
// Routes (path of the request URL), the same in python_server.py and node_server.js:
//   /echo                   echoes every message with its type; pings are answered by QWebSocket
//   /protocol               first sends the subprotocol it selected as a text message, then echoes
//   /close?code=C&reason=R  closes right after the handshake with that code and reason
//   /drop                   starts a 16 MiB binary message and drops TCP in the middle of it
//   /big?size=N             sends one binary message of N bytes, then waits for the client
// Subprotocols: "chat" and "superchat" (QWebSocketServer::setSupportedSubprotocols, Qt 6.4).
// There is no /bogus-protocol: QWebSocketServer only ever answers with a subprotocol the client
// offered; no /reset: QWebSocket gives no access to its socket to make close() send RST; and no
// /deflate/... nor /echo-fragmented: QWebSocketServer has no permessage-deflate (it ignores a
// client's offer), and those routes are only used with compression. The tests skip those cases
// for this server.

#include <unistd.h>

#include <cstdio>

#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qsizetype DropMessageBytes = 16 * 1024 * 1024;

void echo(QWebSocket *socket)
{
    QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                     [socket](const QString &message) { socket->sendTextMessage(message); });
    QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                     [socket](const QByteArray &message) { socket->sendBinaryMessage(message); });
}

void serve(QWebSocket *socket)
{
    QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    const QUrl url = socket->requestUrl();
    const QUrlQuery query(url);
    const QString route = url.path();
    if (route == u"/echo") {
        echo(socket);
    } else if (route == u"/protocol") {
        socket->sendTextMessage(socket->subprotocol());
        echo(socket);
    } else if (route == u"/close") {
        const auto code = QWebSocketProtocol::CloseCode(query.queryItemValue(u"code"_s).toInt());
        socket->close(code, query.queryItemValue(u"reason"_s, QUrl::FullyDecoded));
    } else if (route == u"/drop") {
        // "Mid-message": QWebSocket cannot write a partial frame, so queue the whole 16 MiB message,
        // push what the kernel takes at once (flush() does not block) and abort. Not all bytes can
        // have left by then: the loopback socket buffers hold far less than 16 MiB while the
        // client is not reading, so the client sees TCP end inside the message.
        socket->sendBinaryMessage(QByteArray(DropMessageBytes, '\0'));
        socket->flush();
        socket->abort();
    } else if (route == u"/big") {
        socket->sendBinaryMessage(QByteArray(query.queryItemValue(u"size"_s).toLongLong(), '\0'));
    } else {
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"unknown route"_s);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);

    QWebSocketServer server(u"wsw-interop-qt"_s, QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({u"chat"_s, u"superchat"_s});
    if (!server.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "qt_server: cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
        while (QWebSocket *socket = server.nextPendingConnection())
            serve(socket);
    });

    // end of file on stdin: the test that started us is gone or asks us to stop
    QSocketNotifier stdinNotifier(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&stdinNotifier, &QSocketNotifier::activated, &app, [&app, &stdinNotifier] {
        char buffer[4096];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) {
            stdinNotifier.setEnabled(false);
            app.quit();
        }
    });

    std::printf("%u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
