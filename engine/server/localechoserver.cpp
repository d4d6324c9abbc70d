#include "server/localechoserver.h"

#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace Wsw {

namespace {

/** "127.0.0.1:54321" */
QString peerOf(const QTcpSocket &socket)
{
    return socket.peerAddress().toString() + u':' + QString::number(socket.peerPort());
}

/** Where a socket in its TLS handshake keeps its peer: QSslServer aborts a failed one, which forgets it. */
constexpr char PeerProperty[] = "wswPeer";

/** A QSslServer that notes each new socket's peer (PeerProperty) before its handshake can fail or time out. */
class PeerNotingSslServer final : public QSslServer
{
public:
    using QSslServer::QSslServer;

protected:
    void incomingConnection(qintptr handle) override
    {
        QSslServer::incomingConnection(handle); // the new socket is one of our children
        const QList<QSslSocket *> sockets = findChildren<QSslSocket *>(Qt::FindDirectChildrenOnly);
        for (QSslSocket *socket : sockets) {
            if (!socket->property(PeerProperty).isValid())
                socket->setProperty(PeerProperty, peerOf(*socket));
        }
    }
};

} // namespace

LocalEchoServer::LocalEchoServer(QObject *parent)
    : QObject(parent)
{
}

LocalEchoServer::~LocalEchoServer()
{
    // the connections are children: they go with us, silently (no signal from a destructor)
    if (m_server)
        m_server->close();
}

void LocalEchoServer::setTlsIdentity(const QSslCertificate &certificate, const QSslKey &key)
{
    m_certificate = certificate;
    m_key = key;
}

bool LocalEchoServer::listen(quint16 port, QString *error)
{
    auto fail = [error](const QString &text) {
        if (error)
            *error = text;
        return false;
    };
    if (isListening())
        return fail(u"already listening on " + serverUrl().toString());

    std::unique_ptr<QTcpServer> server;
    if (isTls()) {
        if (!QSslSocket::supportsSsl())
            return fail(QStringLiteral("TLS is not available: Qt found no usable OpenSSL library"));
        if (m_key.isNull())
            return fail(QStringLiteral("the TLS identity has no private key"));
        auto sslServer = std::make_unique<PeerNotingSslServer>();
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificate(m_certificate);
        configuration.setPrivateKey(m_key);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
        configuration.setProtocol(QSsl::TlsV1_2OrLater);
        sslServer->setSslConfiguration(configuration);
        // a client that connects and never finishes TLS is dropped like one that never sends its request
        sslServer->setHandshakeTimeout(int(m_limits.handshakeTimeout.count()));
        connect(sslServer.get(), &QSslServer::errorOccurred, this,
                [this](QSslSocket *socket, QAbstractSocket::SocketError error) {
                    // errors of sockets we adopted are their connection's business
                    if (!socket || qobject_cast<EchoServerConnection *>(socket->parent()))
                        return;
                    ++m_counters.rejected;
                    // on a timeout QSslServer has aborted the socket already: its peer and error are gone
                    const QVariant noted = socket->property(PeerProperty);
                    const QString peer = noted.isValid() ? noted.toString() : peerOf(*socket);
                    const QString why = error == QAbstractSocket::SocketTimeoutError
                            ? QStringLiteral("not completed within %1 ms").arg(m_limits.handshakeTimeout.count())
                            : socket->errorString();
                    Q_EMIT clientRejected(peer + u" TLS handshake failed: " + why);
                });
        server = std::move(sslServer);
    } else {
        server = std::make_unique<QTcpServer>();
    }

    // the loopback interface only: the echo server is for this machine's user
    if (!server->listen(QHostAddress::LocalHost, port)) {
        if (server->serverError() == QAbstractSocket::AddressInUseError)
            return fail(QStringLiteral("port %1 on 127.0.0.1 is already in use").arg(port));
        return fail(QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(port).arg(server->errorString()));
    }
    // pendingConnectionAvailable, not newConnection: a QSslServer adds a socket only once TLS is up
    connect(server.get(), &QTcpServer::pendingConnectionAvailable, this, &LocalEchoServer::onNewConnection);
    m_server = std::move(server);
    return true;
}

bool LocalEchoServer::isListening() const
{
    return m_server && m_server->isListening();
}

quint16 LocalEchoServer::port() const
{
    return isListening() ? m_server->serverPort() : 0;
}

QUrl LocalEchoServer::serverUrl() const
{
    if (!isListening())
        return {};
    // wss:// names localhost: the self-signed certificate is for that name (and 127.0.0.1)
    return QUrl(isTls() ? QStringLiteral("wss://localhost:%1/").arg(port())
                        : QStringLiteral("ws://127.0.0.1:%1/").arg(port()));
}

void LocalEchoServer::close()
{
    if (m_server) {
        m_server->close();
        m_server.reset();
    }
    const QList<QPointer<EchoServerConnection>> connections = m_connections;
    for (const QPointer<EchoServerConnection> &connection : connections) {
        if (connection)
            connection->close(1001, QStringLiteral("the echo server is shutting down"));
    }
}

int LocalEchoServer::connectionCount() const
{
    int count = 0;
    for (const QPointer<EchoServerConnection> &connection : m_connections)
        count += connection ? 1 : 0;
    return count;
}

void LocalEchoServer::onNewConnection()
{
    while (m_server && m_server->hasPendingConnections()) {
        if (QTcpSocket *socket = m_server->nextPendingConnection())
            adopt(socket);
    }
}

void LocalEchoServer::adopt(QTcpSocket *socket)
{
    ++m_counters.accepted;
    m_connections.removeAll(QPointer<EchoServerConnection>());
    if (m_connections.size() >= m_maxConnections) {
        ++m_counters.rejected;
        const QString text = QStringLiteral("too many clients (at most %1 at once)").arg(m_maxConnections);
        Q_EMIT clientRejected(socket->peerAddress().toString() + u':' + QString::number(socket->peerPort())
                              + u" rejected: 503 Service Unavailable: " + text);
        socket->setParent(this);
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        socket->write(Codec::buildRejectResponse(503, text));
        socket->disconnectFromHost();
        return;
    }

    auto *connection = new EchoServerConnection(socket, m_options, m_limits, this);
    m_connections.append(connection);
    connect(connection, &EchoServerConnection::opened, this, [this](const QString &description) {
        ++m_counters.upgraded;
        Q_EMIT clientConnected(description);
    });
    connect(connection, &EchoServerConnection::rejected, this, [this](const QString &description) {
        ++m_counters.rejected;
        Q_EMIT clientRejected(description);
    });
    connect(connection, &EchoServerConnection::echoed, this, [this](qint64 bytes) {
        ++m_counters.messagesEchoed;
        m_counters.bytesEchoed += quint64(bytes);
    });
    connect(connection, &EchoServerConnection::finished, this, [this, connection](const QString &description) {
        m_connections.removeAll(connection);
        if (connection->wasUpgraded())
            Q_EMIT clientDisconnected(description);
    });
}

} // namespace Wsw
