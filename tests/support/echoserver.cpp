#include "echoserver.h"

#include <algorithm>

#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>

namespace Wsw::Test {

namespace {

constexpr quint8 OpContinuation = 0x0;
constexpr quint8 OpText = 0x1;
constexpr quint8 OpBinary = 0x2;
constexpr quint8 OpClose = 0x8;
constexpr quint8 OpPing = 0x9;

QByteArray unmaskedFrame(quint8 opcode, bool fin, QByteArrayView payload)
{
    FrameBuilder builder;
    builder.opcode = opcode;
    builder.fin = fin;
    return builder.build(payload);
}

} // namespace

EchoServer::EchoServer(QObject *parent)
    : QObject(parent)
{
}

EchoServer::~EchoServer()
{
    if (m_server)
        m_server->close();
    for (const auto &peer : m_peers) {
        peer->socket->disconnect(this);
        peer->socket->abort();
        delete peer->socket;
    }
    m_peers.clear();
}

void EchoServer::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tls = configuration;
}

bool EchoServer::listen()
{
    if (m_tls) {
        auto *server = new QSslServer;
        server->setSslConfiguration(*m_tls);
        connect(server, &QSslServer::errorOccurred, this, [this](QSslSocket *socket, QAbstractSocket::SocketError) {
            m_tlsErrors.append(socket->errorString());
        });
        connect(server, &QSslServer::alertReceived, this,
                [this](QSslSocket *, QSsl::AlertLevel, QSsl::AlertType, const QString &description) {
                    m_tlsErrors.append(u"alert received: " + description);
                });
        connect(server, &QSslServer::sslErrors, this, [this](QSslSocket *, const QList<QSslError> &errors) {
            for (const QSslError &error : errors)
                m_tlsErrors.append(error.errorString());
        });
        m_server.reset(server);
    } else {
        m_server = std::make_unique<QTcpServer>();
    }
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &EchoServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 EchoServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl EchoServer::url(const QString &path, const QString &host) const
{
    QUrl url = loopbackWebSocketUrl(port(), path);
    if (m_tls)
        url.setScheme(QStringLiteral("wss"));
    url.setHost(host);
    return url;
}

void EchoServer::addResponseHeader(const QByteArray &name, const QByteArray &value)
{
    m_responseHeaders.append({name, value});
}

void EchoServer::sendToClients(const QByteArray &bytes)
{
    for (const auto &peer : m_peers)
        if (peer->upgraded && !peer->closeSent)
            peer->socket->write(bytes);
}

void EchoServer::closeClients(quint16 code, const QByteArray &reason)
{
    const QByteArray frame = FrameBuilder::close(code, reason);
    for (const auto &peer : m_peers) {
        if (peer->upgraded && !peer->closeSent) {
            peer->closeSent = true;
            peer->socket->write(frame);
        }
    }
}

void EchoServer::dropClients()
{
    const auto peers = std::move(m_peers);
    m_peers.clear();
    for (const auto &peer : peers) {
        peer->socket->disconnect(this);
        connect(peer->socket, &QAbstractSocket::disconnected, peer->socket, &QObject::deleteLater);
        peer->socket->disconnectFromHost();
    }
}

void EchoServer::clearRecords()
{
    m_requests.clear();
    m_clientFrames.clear();
    m_clientBytes.clear();
    m_connectionCount = 0;
}

void EchoServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        ++m_connectionCount;
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            // QSslServer hands a client over once its handshake is done
            ++m_tlsHandshakeCount;
            m_clientCertificates.append(ssl->peerCertificate());
        }
        auto peer = std::make_unique<Peer>();
        peer->socket = socket;
        Peer *raw = peer.get();
        m_peers.push_back(std::move(peer));
        connect(socket, &QIODevice::readyRead, this, [this, socket] {
            if (Peer *p = peerFor(socket))
                onReadyRead(p);
        });
        connect(socket, &QAbstractSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
        Q_EMIT clientConnected();
        if (socket->bytesAvailable() > 0)
            onReadyRead(raw);
    }
}

EchoServer::Peer *EchoServer::peerFor(QTcpSocket *socket)
{
    for (const auto &peer : m_peers)
        if (peer->socket == socket)
            return peer.get();
    return nullptr;
}

void EchoServer::onReadyRead(Peer *peer)
{
    QTcpSocket *socket = peer->socket;
    const QByteArray bytes = socket->readAll();
    m_receivedByteCount += bytes.size();
    peer->buffer.append(bytes);
    if (!peer->upgraded) {
        std::optional<UpgradeRequest> request = takeUpgradeRequest(peer->buffer);
        if (!request) {
            if (peer->buffer.size() > MaxTestRequestBytes)
                socket->abort();
            return;
        }
        m_clientBytes.append(peer->buffer);
        handleRequest(peer, *request);
        if (!peerFor(socket) || !peer->upgraded)
            return;
    } else {
        m_clientBytes.append(bytes);
    }
    const QList<ParsedFrame> frames = takeFrames(peer->buffer);
    for (const ParsedFrame &frame : frames) {
        m_clientFrames.append(frame);
        handleFrame(peer, frame);
        Q_EMIT frameReceived();
        if (!peerFor(socket))
            return;
    }
}

void EchoServer::handleRequest(Peer *peer, const UpgradeRequest &request)
{
    if (request.method != "GET" || request.key().isEmpty()
        || request.header("Upgrade").compare("websocket", Qt::CaseInsensitive) != 0) {
        peer->socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        peer->socket->disconnectFromHost();
        return;
    }
    if (m_gate) {
        const QByteArray refusal = m_gate(request);
        if (!refusal.isEmpty()) {
            peer->socket->write(refusal);
            peer->socket->disconnectFromHost();
            return;
        }
    }
    QByteArray protocol = m_forcedProtocol;
    if (protocol.isEmpty() && m_chooseFirst && !request.offeredProtocols().isEmpty())
        protocol = request.offeredProtocols().first();
    m_requests.append(request);
    peer->upgraded = true;
    peer->socket->write(switchingProtocolsResponse(request.key(), protocol, m_responseHeaders));
    Q_EMIT upgraded();
}

void EchoServer::handleFrame(Peer *peer, const ParsedFrame &frame)
{
    QTcpSocket *socket = peer->socket;
    switch (frame.opcode) {
    case OpText:
    case OpBinary:
    case OpContinuation:
        if (peer->closeSent)
            return; // RFC 6455 §5.5.1: nothing more after a close
        if (m_frameByFrame) {
            socket->write(unmaskedFrame(frame.opcode, frame.fin, frame.payload));
            return;
        }
        if (frame.opcode != OpContinuation) {
            peer->inMessage = true;
            peer->messageOpcode = frame.opcode;
            peer->message.clear();
        }
        peer->message.append(frame.payload);
        if (frame.fin && peer->inMessage) {
            socket->write(unmaskedFrame(peer->messageOpcode, true, peer->message));
            peer->inMessage = false;
            peer->message.clear();
        }
        return;
    case OpPing:
        if (!peer->closeSent)
            socket->write(FrameBuilder::pong(frame.payload));
        return;
    case OpClose:
        if (!peer->closeSent) {
            peer->closeSent = true;
            socket->write(unmaskedFrame(OpClose, true, frame.payload));
        }
        // RFC 6455 §7.1.1: the server closes the TCP connection first
        socket->disconnectFromHost();
        return;
    default: return; // pongs and anything else are only recorded
    }
}

void EchoServer::onDisconnected(QTcpSocket *socket)
{
    const auto it = std::find_if(m_peers.begin(), m_peers.end(),
                                 [socket](const auto &peer) { return peer->socket == socket; });
    if (it == m_peers.end())
        return;
    m_peers.erase(it);
    socket->disconnect(this);
    socket->deleteLater();
    Q_EMIT clientDisconnected();
}

} // namespace Wsw::Test
