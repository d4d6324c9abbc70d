#pragma once

#include <chrono>
#include <optional>

#include <QAbstractSocket>
#include <QHostAddress>
#include <QNetworkProxy>
#include <QObject>
#include <QString>

#include "api/passwordcredential.h"
#include "api/websocketerror.h"
#include "codec/wswenums.h"

class QAuthenticator;

namespace Wsw {

struct MessageWebSocketInformation;

/** Socket settings (Control.noDelay, OutboundBufferSizeInBytes, the proxy and its credential). */
struct TransportOptions
{
    bool noDelay = true;
    std::optional<quint32> sendBufferSizeBytes;
    /** Set on the socket before connecting: NoProxy means direct, never Qt's application proxy. */
    QNetworkProxy proxy{QNetworkProxy::NoProxy};
    /** Given to the proxy's first authentication request only. */
    std::optional<PasswordCredential> proxyCredential;
};

/**
 * The seam under the connection (Beast's NextLayer): a byte stream that connects, reads, writes
 * with backpressure and ends, whether it is plain TCP or TLS (and, later, through a proxy). The
 * connection speaks only to this interface; the implementations hold the socket.
 *
 * Writing: write() hands bytes over while writeRoom() is positive; bufferedBytes() tells how
 * many of the bytes handed over have not reached the kernel yet, and progressed() says that
 * number went down. Reading: after the ReadListener is told, read() until mayHaveMore() says stop.
 */
class Transport : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Transport)

public:
    ~Transport() override;

    /**
     * Told that data can be read. A plain call rather than a signal: it sits between the kernel
     * saying "readable" and the reply of a round trip, where a second signal hop costs about 220
     * instructions (callgrind, echo 32 B).
     */
    class ReadListener
    {
    public:
        virtual ~ReadListener() = default;
        virtual void onTransportReadyRead() = 0;
    };
    /** The one listener (not owned; nullptr: nobody). retire() lets go of it. */
    void setReadListener(ReadListener *listener) { m_readListener = listener; }

    /** Starts connecting; established() or failed() follows. */
    virtual void connectToHost(const QString &host, quint16 port) = 0;

    /** Reads up to max bytes: 0 when nothing is waiting, -1 when the peer is gone. */
    qint64 read(char *data, qint64 max);
    /** After a read of lastRead bytes: whether another read may find more. */
    virtual bool mayHaveMore(qint64 lastRead) const = 0;
    qint64 bytesAvailable() const;

    /** How many bytes write() takes now; 0 = wait for progressed(). */
    virtual qint64 writeRoom() const = 0;
    /** Hands bytes over; returns how many were taken, -1 when the connection is dead. */
    virtual qint64 write(const char *data, qint64 size) = 0;
    /** Bytes handed over that have not reached the kernel yet. */
    virtual qint64 bufferedBytes() const = 0;
    /** Writes bytes whatever the room and pushes them out now (a last close frame before abort). */
    void writeFinal(const char *data, qint64 size);

    /** Addresses, and for TLS the session and the server's certificates, into Information. */
    virtual void fillInformation(MessageWebSocketInformation &info) const;

    /**
     * Ends the transport and deletes it later. Graceful: what was handed over goes out first,
     * then the connection is closed (TLS: close_notify), within bound; otherwise it is aborted.
     */
    void retire(bool graceful, std::chrono::milliseconds bound);

Q_SIGNALS:
    /** TLS only: TCP is up and the TLS handshake has begun. */
    void securing();
    /** Ready for application data: TCP connected, or TLS negotiated and its certificate accepted. */
    void established();
    /** Bytes handed over earlier went out: bufferedBytes() went down, writeRoom() may be positive. */
    void progressed();
    /** The peer closed the connection (or it broke): read what is left, then it is over. */
    void peerClosed();
    /** A failure that ends the transport: its cause and the socket's own words (TLS: certificate errors). */
    void failed(const Wsw::WebSocketError &error);

protected:
    Transport(QAbstractSocket *socket, const TransportOptions &options, QObject *parent);

    /** TCP is up: applies the socket options; the subclass says what comes next. */
    virtual void onTcpConnected() = 0;
    /** Maps a socket error to its ErrorDetail. */
    static ErrorDetail detailFor(QAbstractSocket::SocketError error);
    /** The failure a socket error stands for, with the socket's words (and, through a proxy, the proxy's part). */
    WebSocketError socketFailure(QAbstractSocket::SocketError error) const;
    virtual void onSocketError(QAbstractSocket::SocketError error);
    bool usesProxy() const { return m_options.proxy.type() != QNetworkProxy::NoProxy; }

    QAbstractSocket *socket() const { return m_socket; }
    void notifyReadyRead()
    {
        if (m_readListener)
            m_readListener->onTransportReadyRead();
    }

private:
    void onSocketConnected();
    void onProxyAuthenticationRequired(const QNetworkProxy &proxy, QAuthenticator *authenticator);
    WebSocketError proxyFailure(QAbstractSocket::SocketError error, const QString &text) const;

    QAbstractSocket *m_socket;
    ReadListener *m_readListener = nullptr;
    TransportOptions m_options;
    /** The proxy asked for authentication: once (answered with the credential when there is one), or again. */
    int m_proxyAuthRequests = 0;
    bool m_proxyCredentialGiven = false;
    bool m_tcpConnected = false;
};

} // namespace Wsw
