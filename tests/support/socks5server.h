#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

namespace Wsw::Test {

/**
 * A small SOCKS5 proxy on 127.0.0.1 (port chosen by the OS) for the proxy tests: RFC 1928
 * CONNECT to an IPv4 address or a host name, with no authentication or, after setCredential(),
 * only RFC 1929 username/password. Once connected it relays bytes both ways until either side
 * closes. Debian's dante-server checks usernames against system accounts, which a test cannot
 * create; this server takes any pair.
 */
class Socks5Server final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Socks5Server)

public:
    explicit Socks5Server(QObject *parent = nullptr);
    ~Socks5Server() override;

    /** Requires RFC 1929 authentication with exactly this pair. Before clients connect. */
    void setCredential(const QByteArray &user, const QByteArray &password);
    /** Answers every CONNECT with reply 0x02 "connection not allowed by ruleset". */
    void setRefuseConnect(bool on) { m_refuseConnect = on; }
    bool listen();
    quint16 port() const { return m_server.serverPort(); }

    /** Authentication attempts that failed, and CONNECT requests relayed to their target. */
    int authFailures() const { return m_authFailures; }
    int tunnelsOpened() const { return m_tunnels; }
    /** The target host (name or address) of the last CONNECT request. */
    QString lastTarget() const { return m_lastTarget; }

private:
    void onNewConnection();
    void serve(QTcpSocket *client);

    QTcpServer m_server;
    QByteArray m_user;
    QByteArray m_password;
    bool m_requireAuth = false;
    bool m_refuseConnect = false;
    int m_authFailures = 0;
    int m_tunnels = 0;
    QString m_lastTarget;
};

} // namespace Wsw::Test
