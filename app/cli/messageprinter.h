#pragma once

#include <QByteArray>
#include <QString>

#include "api/messagewebsocketinformation.h"
#include "api/websocketerror.h"

namespace Wsw {
class MessageWebSocket;
}

namespace Wsw::Cli {

/** "12:34:56.789", the local time to the millisecond. */
QString timestamp();
/**
 * An error for people: status, rule, message, and the body of a refused upgrade. For a proxy
 * failure a line names the proxy (and the 407 of an HTTP proxy) with a hint. For a TLS
 * failure the lines below it explain the certificate (CertificateText::tlsFailureLines(), with
 * the socket's information and ignored errors) and give a hint in wscli's options.
 */
QString describeError(const WebSocketError &error, const MessageWebSocket &socket);
/**
 * The proxy that carried a connection, as one line: "proxy: HTTP 127.0.0.1:3128, authenticated",
 * "proxy: SOCKS5 [::1]:1080, chosen by the system", "proxy: none, the system chose a direct
 * connection". Never a credential.
 */
QString describeProxy(const ProxyInformation &proxy);
/**
 * One received message as a line: "[time] < text" or "[time] < binary N bytes: hex" (the first
 * 4096 bytes, as Format::hexPreview shows them).
 */
QString formatReceived(SocketMessageType type, const QByteArray &data);

} // namespace Wsw::Cli
