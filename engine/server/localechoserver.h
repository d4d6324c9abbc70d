#pragma once

#include <memory>

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>
#include <QUrl>

#include "codec/serverhandshake.h"
#include "server/echoserverconnection.h"

class QTcpServer;

namespace Wsw {

/**
 * The built-in echo server: a WebSocket server on 127.0.0.1 only, so that a new user can press
 * Connect and see traffic (wsworkbench's first window, `wscli serve`). It is built on our own
 * codec in the server role (EchoServerConnection), never on Qt WebSockets. ws:// by default;
 * wss:// with setTlsIdentity() (Qt 6.4's QSslServer, its handshake bounded by the same 10 s as
 * the upgrade request).
 *
 * Everything is bounded: at most maxConnections clients at once (more get 503 and are hung up
 * on), and each connection by EchoServerLimits (message size, output backlog, timeouts).
 * It never listens on anything but the loopback interface.
 */
class LocalEchoServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalEchoServer)

public:
    struct Counters {
        quint64 accepted = 0;       // TCP (and TLS) connections taken
        quint64 upgraded = 0;       // opening handshakes that succeeded
        quint64 rejected = 0;       // answered with an HTTP error (or 503: too many clients)
        quint64 messagesEchoed = 0;
        quint64 bytesEchoed = 0;    // payload bytes, before compression
    };

    static constexpr int DefaultMaxConnections = 64;

    explicit LocalEchoServer(QObject *parent = nullptr);
    ~LocalEchoServer() override;

    /** Serve wss:// with this certificate and key (e.g. loadOrCreateSelfSignedIdentity()); before listen(). */
    void setTlsIdentity(const QSslCertificate &certificate, const QSslKey &key);
    bool isTls() const { return !m_certificate.isNull(); }
    /** Subprotocols to agree to: the first the client offers that is in this list. Default: none. */
    void setProtocols(const QStringList &protocols) { m_options.protocols = protocols; }
    QStringList protocols() const { return m_options.protocols; }
    /** permessage-deflate (RFC 7692): accepted by default. */
    void setDeflateOptions(const Codec::DeflateServerOptions &options) { m_options.deflate = options; }
    void setLimits(const EchoServerLimits &limits) { m_limits = limits; }
    const EchoServerLimits &limits() const { return m_limits; }
    void setMaxConnections(int count) { m_maxConnections = count; }

    /**
     * Listens on 127.0.0.1:port (0: a free port chosen by the system). False with *error saying
     * why: the port is in use, TLS is unavailable, the identity is unusable, or already listening.
     */
    bool listen(quint16 port = 0, QString *error = nullptr);
    bool isListening() const;
    quint16 port() const;
    /** ws://127.0.0.1:PORT/ or, with TLS, wss://localhost:PORT/ (the name the certificate is for); empty when not listening. */
    QUrl serverUrl() const;

    /**
     * Stops listening and closes every client: open ones with 1001 and a close handshake (each
     * bounded by closeTimeout), the others at once. Clients go on finishing from the event loop.
     */
    void close();

    /** Clients connected now (in the opening handshake or open). */
    int connectionCount() const;
    Counters counters() const { return m_counters; }

Q_SIGNALS:
    /** A client completed the opening handshake; a one-line description (peer, target, agreement). */
    void clientConnected(const QString &description);
    /** An upgraded client is gone; how it ended and how many messages were echoed. */
    void clientDisconnected(const QString &description);
    /** A request was refused with an HTTP error (bad handshake, timeout, too many clients). */
    void clientRejected(const QString &description);

private:
    void onNewConnection();
    void adopt(QTcpSocket *socket);

    std::unique_ptr<QTcpServer> m_server; // a QSslServer for wss://
    QSslCertificate m_certificate;
    QSslKey m_key;
    Codec::ServerHandshakeOptions m_options;
    EchoServerLimits m_limits;
    int m_maxConnections = DefaultMaxConnections;
    QList<QPointer<EchoServerConnection>> m_connections;
    Counters m_counters;
};

} // namespace Wsw
