#pragma once

#include <chrono>

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Wsw::Test {

/**
 * One real WebSocket server, run as a child process for the interop tests.
 *
 * start() launches the program, then waits (bounded) for the first line of its stdout, which
 * must be the TCP port it listens on (127.0.0.1, chosen by the OS). stop() — also run by the
 * destructor — closes the server's stdin (every interop server exits at end of file), then
 * terminates and finally kills it, waiting a bounded time at each step. Only the process
 * started here is ever signalled. The server's stderr goes to the test's stderr.
 */
class InteropServer final
{
    Q_DISABLE_COPY_MOVE(InteropServer)

public:
    InteropServer() = default;
    ~InteropServer();

    /** Returns false with a readable reason in *error when the server did not start or print a port. */
    bool start(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
               std::chrono::milliseconds bound, QString *error);
    void stop();
    /**
     * Blocks (bounded) until the server prints `line` on stdout. It waits on the server's pipe
     * only and runs no event loop, so the caller's sockets see nothing of the network meanwhile.
     */
    bool waitForLine(const QByteArray &line, std::chrono::milliseconds bound, QString *error);

    quint16 port() const { return m_port; }
    /** ws://127.0.0.1:<port><pathAndQuery> */
    QUrl url(const QString &pathAndQuery) const;

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace Wsw::Test
