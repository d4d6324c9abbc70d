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
/** Space-separated hex bytes, at most maxBytes of them followed by "…" when cut. */
QString hexPreview(const QByteArray &data, qsizetype maxBytes = 4096);
/**
 * An error for people: status, rule, message, and the body of a refused upgrade. For a TLS
 * failure the lines below it explain the certificate (CertificateText::tlsFailureLines(), with
 * the socket's information and ignored errors) and give a hint in wscli's options.
 */
QString describeError(const WebSocketError &error, const MessageWebSocket &socket);
/** One received message as a line: "[time] < text" or "[time] < binary N bytes: hex". */
QString formatReceived(SocketMessageType type, const QByteArray &data);

} // namespace Wsw::Cli
