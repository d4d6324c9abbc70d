#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace Wsw::Test {

/** A free TCP port on 127.0.0.1 (the OS picks it; whoever binds it next should do so at once). */
quint16 freeLocalPort();

/**
 * A proxy daemon run in the foreground by a test (tinyproxy -d, danted), with its own
 * configuration in a temporary directory, on a free port of 127.0.0.1. Stopped by its PID
 * (QProcess) in the destructor.
 */
class ProxyDaemon
{
public:
    ProxyDaemon() = default;
    ~ProxyDaemon() { stop(); }
    Q_DISABLE_COPY_MOVE(ProxyDaemon)

    /**
     * Empty when it runs and accepts connections; otherwise why not. In configText @PORT@ becomes
     * the port and @DIR@ the temporary directory (its log belongs in @DIR@/proxy.log).
     */
    QString start(const QString &program, const QString &package, const QStringList &argsBeforeConfig,
                  const QString &configText, const QStringList &argsAfterConfig = {});
    /** Kills the proxy at once (SIGKILL to its PID), as a crash would. */
    void kill();
    /** SIGTERM to its PID, SIGKILL when it has not ended after 5 s. */
    void stop();

    /** @DIR@/proxy.log */
    QString log() const;
    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

enum class TinyproxyMode {
    Open,
    BasicAuth,    // Basic authentication with the user and password given to startTinyproxy()
    RefuseTarget, // CONNECT only to port 1: any other target is refused with 403
};

/**
 * Starts tinyproxy (Debian package tinyproxy): an HTTP proxy with CONNECT on 127.0.0.1. For
 * BasicAuth, user and password may only hold letters, digits, '-', '.' and '_' (tinyproxy's
 * configuration syntax). Empty when it runs; otherwise why not.
 */
QString startTinyproxy(ProxyDaemon &daemon, TinyproxyMode mode, const QString &user = {},
                       const QString &password = {});

/** Starts danted (Debian package dante-server): SOCKS5 without authentication on 127.0.0.1. */
QString startDanted(ProxyDaemon &daemon);

} // namespace Wsw::Test
