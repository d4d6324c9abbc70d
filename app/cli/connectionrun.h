#pragma once

#include <QEventLoop>
#include <QObject>

class QUrl;

namespace Wsw {
class MessageWebSocket;
}

namespace Wsw::Cli {

/**
 * The one way a wscli command runs a connection: connects, then turns a local event loop until
 * the command calls finish(status), or until the connection fails before it opens (a failure
 * that gets no closed()): then exec() returns ExitFailure. The command prints the error itself
 * (describeError()) from errorOccurred, which arrives before exec() returns.
 *
 * A local loop rather than QCoreApplication::exec(), so that one command may run several
 * connections in turn (autobahn): QCoreApplication::exit() would end every later loop at once.
 */
class ConnectionRun final : public QObject
{
    Q_DISABLE_COPY_MOVE(ConnectionRun)

public:
    explicit ConnectionRun(MessageWebSocket &socket);

    /** Connects to url and runs until finish(); returns the status given to it. */
    int exec(const QUrl &url);
    /** Ends exec() with this status once control returns to the loop; the first call's status counts. */
    void finish(int status);
    /** Whether the connection opened (connected() came). */
    bool hasOpened() const { return m_opened; }

private:
    MessageWebSocket &m_socket;
    QEventLoop m_loop;
    bool m_opened = false;
    bool m_finished = false;
};

} // namespace Wsw::Cli
