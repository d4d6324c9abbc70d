// A program outside the project, using the installed engine through its public headers only.
#include <cstdio>

#include <QCoreApplication>

#include <api/messagewebsocket.h>
#include <codec/handshake.h>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Wsw::MessageWebSocket socket;
    if (socket.connectAsync(QUrl(QStringLiteral("http://example.invalid/")))) {
        std::puts("connectAsync accepted an http:// URL");
        return 1;
    }
    if (socket.lastError().detail() != Wsw::ErrorDetail::UnsupportedScheme) {
        std::printf("unexpected error: %s\n", qPrintable(socket.lastError().toString()));
        return 1;
    }
    // RFC 6455 §1.3's example
    if (Wsw::Codec::expectedAcceptKey("dGhlIHNhbXBsZSBub25jZQ==") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") {
        std::puts("wrong Sec-WebSocket-Accept");
        return 1;
    }
    std::puts("ok");
    return 0;
}
