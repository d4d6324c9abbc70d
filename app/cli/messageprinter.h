#pragma once

#include <QByteArray>
#include <QString>

#include "api/websocketerror.h"

namespace Wsw {
class MessageWebSocket;
}

namespace Wsw::Cli {

/** "12:34:56.789", the local time to the millisecond. */
QString timestamp();
/**
 * An error for people: status, rule, message, and the body of a refused upgrade. For a TLS
 * failure the lines below it explain the certificate (CertificateText::tlsFailureLines(), with
 * the socket's information and ignored errors) and give a hint in wscli's options.
 */
QString describeError(const WebSocketError &error, const MessageWebSocket &socket);
/**
 * One received message as a line: "[time] < text" or "[time] < binary N bytes: hex" (the first
 * 4096 bytes, as Format::hexPreview shows them).
 */
QString formatReceived(SocketMessageType type, const QByteArray &data);

} // namespace Wsw::Cli
