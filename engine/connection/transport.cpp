#include "connection/transport.h"

#include <climits>

#include <QTimer>

#include "api/messagewebsocketinformation.h"

namespace Wsw {

Transport::Transport(QAbstractSocket *socket, const TransportOptions &options, QObject *parent)
    : QObject(parent), m_socket(socket), m_options(options)
{
    m_socket->setParent(this);
    connect(m_socket, &QAbstractSocket::connected, this, &Transport::onSocketConnected);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &Transport::onSocketError);
}

Transport::~Transport() = default;

qint64 Transport::read(char *data, qint64 max)
{
    return m_socket->read(data, max);
}

qint64 Transport::bytesAvailable() const
{
    return m_socket->bytesAvailable();
}

void Transport::writeFinal(const char *data, qint64 size)
{
    m_socket->write(data, size);
    m_socket->flush();
}

void Transport::fillInformation(MessageWebSocketInformation &info) const
{
    // a socket that has ended has forgotten its addresses: keep the ones seen while connected
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    info.localAddress = m_socket->localAddress();
    info.localPort = m_socket->localPort();
    info.peerAddress = m_socket->peerAddress();
    info.peerPort = m_socket->peerPort();
}

void Transport::retire(bool graceful, std::chrono::milliseconds bound)
{
    // the owner has let go: nothing more is reported, and this object outlives it if need be
    disconnect();
    setParent(nullptr);
    if (graceful && m_socket->state() == QAbstractSocket::ConnectedState) {
        connect(m_socket, &QAbstractSocket::disconnected, this, &QObject::deleteLater);
        QTimer::singleShot(bound, this, [this] {
            m_socket->abort();
            deleteLater();
        });
        m_socket->disconnectFromHost();
    } else {
        m_socket->abort();
        deleteLater();
    }
}

void Transport::onSocketConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, m_options.noDelay ? 1 : 0);
    if (m_options.sendBufferSizeBytes)
        m_socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption,
                                  int(std::min<quint32>(*m_options.sendBufferSizeBytes, INT_MAX)));
    onTcpConnected();
}

ErrorDetail Transport::detailFor(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::HostNotFoundError:
        return ErrorDetail::HostNotFound;
    case QAbstractSocket::ConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyNotFoundError:
        return ErrorDetail::ConnectionRefused;
    case QAbstractSocket::SocketTimeoutError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return ErrorDetail::ConnectTimeout;
    case QAbstractSocket::RemoteHostClosedError:
    case QAbstractSocket::ProxyConnectionClosedError:
        return ErrorDetail::ConnectionAborted;
    case QAbstractSocket::NetworkError:
        return ErrorDetail::NetworkError;
    default:
        return ErrorDetail::SocketError;
    }
}

void Transport::onSocketError(QAbstractSocket::SocketError error)
{
    if (error == QAbstractSocket::RemoteHostClosedError) {
        // a connected socket that ends reports disconnected() next: the end is told from there
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            Q_EMIT peerClosed();
        return;
    }
    Q_EMIT failed(WebSocketError(detailFor(error), m_socket->errorString()));
}

} // namespace Wsw
