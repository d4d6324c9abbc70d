#pragma once

#include <QProcess>
#include <QStringList>

namespace Wsw::Test {

/**
 * `openssl s_server` (the openssl CLI, Debian's openssl package) on 127.0.0.1, for TLS cases a
 * QSslServer cannot play: OpenSSL's own alerts, e.g. certificate_required when a client brings
 * no certificate. It speaks TLS, not WebSocket. Stopped (by its PID) in the destructor.
 */
class OpensslServer final
{
    Q_DISABLE_COPY_MOVE(OpensslServer)

public:
    explicit OpensslServer(QString program);
    ~OpensslServer();

    /** Starts it with these arguments on a free port and waits until it accepts (bounded). */
    bool start(const QStringList &arguments);
    quint16 port() const { return m_port; }
    /** Everything it printed so far. */
    QString output();

private:
    QString m_program;
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
};

} // namespace Wsw::Test
