#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include "api/messagewebsocketcontrol.h"

class QCommandLineParser;

namespace Wsw {
class MessageWebSocket;
}

namespace Wsw::Cli {

/** The options every connecting subcommand shares: -H, --protocol, --binary, --max-message-size, --insecure-ignore. */
struct ConnectionOptions {
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    MessageWebSocketControl control;

    /** Adds the shared options to a parser. */
    static void addTo(QCommandLineParser &parser);
    /**
     * Reads them back and checks them (URL, header syntax, numbers, certificate error
     * names). Returns an empty string or what is wrong.
     */
    QString readFrom(const QCommandLineParser &parser, const QString &urlArgument);
    /** Applies control and headers to a socket; returns an empty string or why it refused. */
    QString applyTo(MessageWebSocket &socket) const;
};

/**
 * Connects and runs the event loop until a handler exits it; a connection that fails before
 * it opens (it gets no closed()) exits with ExitFailure. Returns the exit status.
 */
int connectAndRun(MessageWebSocket &socket, const QUrl &url);

} // namespace Wsw::Cli
