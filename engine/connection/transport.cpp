#include "connection/transport.h"

#include <climits>

#include <QAuthenticator>
#include <QTimer>

#include "api/messagewebsocketinformation.h"

namespace Wsw {

Transport::Transport(QAbstractSocket *socket, const TransportOptions &options, QObject *parent)
    : QObject(parent), m_socket(socket), m_options(options)
{
    m_socket->setParent(this);
    // always set: a socket without a proxy of its own would use Qt's application proxy
    m_socket->setProxy(m_options.proxy);
    connect(m_socket, &QAbstractSocket::proxyAuthenticationRequired, this,
            &Transport::onProxyAuthenticationRequired);
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
    info.proxy.authenticated = m_proxyCredentialGiven && m_tcpConnected;
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
    m_readListener = nullptr;
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
    m_tcpConnected = true; // through a proxy: the tunnel to the server is up
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

void Transport::onProxyAuthenticationRequired(const QNetworkProxy &, QAuthenticator *authenticator)
{
    // Qt asks again after the proxy refused what it was given; answering the same again would
    // loop for ever. Left empty, the authenticator makes Qt give up: ProxyAuthenticationRequiredError.
    ++m_proxyAuthRequests;
    if (m_proxyAuthRequests == 1 && m_options.proxyCredential) {
        authenticator->setUser(m_options.proxyCredential->userName);
        authenticator->setPassword(m_options.proxyCredential->password);
        m_proxyCredentialGiven = true;
    }
}

WebSocketError Transport::socketFailure(QAbstractSocket::SocketError error) const
{
    const QString text = m_socket->errorString();
    if (usesProxy() && !m_tcpConnected)
        return proxyFailure(error, text);
    return WebSocketError(detailFor(error), text);
}

WebSocketError Transport::proxyFailure(QAbstractSocket::SocketError error, const QString &text) const
{
    const QString where = u"proxy " + m_options.proxy.hostName() + u':' + QString::number(m_options.proxy.port());
    const auto authFailure = [&](bool orUnreachable) {
        return WebSocketError(
                ErrorDetail::ProxyAuthenticationRequired,
                where + (m_proxyCredentialGiven
                                 ? (orUnreachable ? QStringLiteral(": the proxy credential was refused (or, after "
                                                                   "accepting it, the proxy failed to reach the server)")
                                                  : QStringLiteral(": the proxy credential was refused"))
                                 : m_options.proxyCredential
                                         ? QStringLiteral(": the proxy refused the connection before asking for the credential")
                                         : QStringLiteral(": the proxy asks for a credential and none is set (proxyCredential)"))
                        + u" (" + text + u')');
    };
    switch (error) {
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return authFailure(false);
    case QAbstractSocket::ProxyProtocolError:
        // Qt 6.4's QHttpSocketEngine reports every CONNECT status other than 200, 403, 404, 405,
        // 407 and 503 as ProxyProtocolError "Error communicating with HTTP proxy", without the
        // status. tinyproxy 1.11 answers a wrong password with 401 (not 407), which lands here:
        // after the proxy asked for authentication and got the credential, this error is taken
        // as the credential refused. (The same error also stands for a 500/502 "cannot reach the
        // server" after a right credential; Qt gives no way to tell them apart.)
        if (m_proxyCredentialGiven)
            return authFailure(true);
        return WebSocketError(ErrorDetail::ProxyProtocolError, where + u": " + text);
    case QAbstractSocket::ProxyConnectionRefusedError:
        return WebSocketError(ErrorDetail::ProxyConnectionRefused, where + u": " + text);
    case QAbstractSocket::ProxyNotFoundError:
        return WebSocketError(ErrorDetail::ProxyNotFound, where + u": " + text);
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return WebSocketError(ErrorDetail::ProxyConnectTimeout, where + u": " + text);
    case QAbstractSocket::ProxyConnectionClosedError:
        return WebSocketError(ErrorDetail::ProxyConnectionClosed, where + u": " + text);
    case QAbstractSocket::SocketAccessError:
        return WebSocketError(ErrorDetail::ProxyRefusedTarget, where + u": " + text);
    default:
        // the proxy's report about the server (name not found, connection refused)
        return WebSocketError(detailFor(error), text + u" (through the " + where + u')');
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
    Q_EMIT failed(socketFailure(error));
}

} // namespace Wsw
