#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QSslError>
#include <QTcpServer>
#include <QUrl>

#include "framebuilder.h"
#include "httpupgrade.h"

class QTcpSocket;

namespace Wsw::Test {

/**
 * An in-process WebSocket echo server on 127.0.0.1 (port chosen by the OS) for engine tests.
 * It is written without the engine's codec: the upgrade is parsed by httpupgrade.h and the
 * frames by takeFrames()/FrameBuilder.
 *
 * Text and binary messages come back as they were sent: reassembled into one frame by
 * default, or frame by frame (same opcode and FIN) with setEchoFrameByFrame(). Pings are
 * answered with pongs carrying the same payload, pongs are ignored, and a close frame is
 * echoed with the same payload before the server closes TCP (RFC 6455 §7.1.1: the server
 * closes TCP first). It does not check the client's frames for protocol errors: tests assert on
 * clientFrames() instead. Everything stops in the destructor.
 *
 * With setTlsConfiguration() before listen() it serves wss:// on a QSslServer (Qt 6.4): a client
 * is served once its TLS handshake has completed, and whatever fails in a handshake is recorded.
 */
class EchoServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EchoServer)

public:
    explicit EchoServer(QObject *parent = nullptr);
    ~EchoServer() override;

    /** Serves wss:// with this configuration (certificate, key; for mutual TLS a verify mode and CAs). Before listen(). */
    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls.has_value(); }
    /** Listens on QHostAddress::LocalHost, port 0. */
    bool listen();
    quint16 port() const;
    /** ws://127.0.0.1:<port><path>, or wss:// with TLS; host replaces 127.0.0.1 (e.g. "localhost"). */
    QUrl url(const QString &path = QStringLiteral("/"), const QString &host = QStringLiteral("127.0.0.1")) const;

    // --- options (take effect for the next upgrade or frame) ---
    /** Echo each data frame as it arrives (same opcode, same FIN) instead of whole messages. */
    void setEchoFrameByFrame(bool on) { m_frameByFrame = on; }
    /** Answer with the first subprotocol the client offered. */
    void setChooseFirstOfferedProtocol(bool on) { m_chooseFirst = on; }
    /** Always answer with this subprotocol, offered or not (empty: off). */
    void setForcedProtocol(const QByteArray &protocol) { m_forcedProtocol = protocol; }
    /** Extra header for every 101 answer. */
    void addResponseHeader(const QByteArray &name, const QByteArray &value);
    /**
     * Sees every valid upgrade request first: when it returns bytes, they are the answer (e.g. a
     * 401) and TCP is closed after them; when it returns nothing, the upgrade goes on. Unset: off.
     */
    void setUpgradeGate(std::function<QByteArray(const UpgradeRequest &)> gate) { m_gate = std::move(gate); }

    // --- actions on every open connection ---
    /** Sends raw bytes (e.g. a FrameBuilder frame) to every upgraded client. */
    void sendToClients(const QByteArray &bytes);
    /** Starts the closing handshake from the server side; TCP is closed when the client answers. */
    void closeClients(quint16 code = 1000, const QByteArray &reason = {});
    /** Closes TCP at once (FIN), without a close frame. */
    void dropClients();

    // --- records ---
    /** TCP connections accepted so far. */
    int connectionCount() const { return m_connectionCount; }
    /** Connections that got a 101. */
    int upgradeCount() const { return int(m_requests.size()); }
    int openConnectionCount() const { return int(m_peers.size()); }
    /** Every upgrade request, in order. */
    const QList<UpgradeRequest> &requests() const { return m_requests; }
    UpgradeRequest lastRequest() const { return m_requests.isEmpty() ? UpgradeRequest() : m_requests.last(); }
    /** Every frame clients sent after their upgrade, unmasked, in arrival order (all connections). */
    const QList<ParsedFrame> &clientFrames() const { return m_clientFrames; }
    /** Raw bytes clients sent after the upgrade request (all connections). */
    const QByteArray &clientBytes() const { return m_clientBytes; }
    /** Every byte clients sent, the upgrade request included (after TLS decryption). */
    qint64 receivedByteCount() const { return m_receivedByteCount; }
    /** TLS: handshakes that completed, and what went wrong in the others (error texts, alerts). */
    int tlsHandshakeCount() const { return m_tlsHandshakeCount; }
    const QStringList &tlsErrors() const { return m_tlsErrors; }
    /** TLS: the certificate each client presented (null when it sent none), in order. */
    const QList<QSslCertificate> &clientCertificates() const { return m_clientCertificates; }
    void clearRecords();

Q_SIGNALS:
    void clientConnected();
    void upgraded();
    void frameReceived();
    void clientDisconnected();

private:
    struct Peer {
        QTcpSocket *socket = nullptr;
        QByteArray buffer;
        bool upgraded = false;
        bool closeSent = false;
        bool inMessage = false;
        quint8 messageOpcode = 0;
        QByteArray message;
    };

    void onNewConnection();
    void onReadyRead(Peer *peer);
    void onDisconnected(QTcpSocket *socket);
    void handleRequest(Peer *peer, const UpgradeRequest &request);
    void handleFrame(Peer *peer, const ParsedFrame &frame);
    Peer *peerFor(QTcpSocket *socket);

    std::unique_ptr<QTcpServer> m_server;
    std::optional<QSslConfiguration> m_tls;
    qint64 m_receivedByteCount = 0;
    int m_tlsHandshakeCount = 0;
    QStringList m_tlsErrors;
    QList<QSslCertificate> m_clientCertificates;
    std::vector<std::unique_ptr<Peer>> m_peers;
    bool m_frameByFrame = false;
    bool m_chooseFirst = false;
    QByteArray m_forcedProtocol;
    std::function<QByteArray(const UpgradeRequest &)> m_gate;
    TestHeaderList m_responseHeaders;
    int m_connectionCount = 0;
    QList<UpgradeRequest> m_requests;
    QList<ParsedFrame> m_clientFrames;
    QByteArray m_clientBytes;
};

} // namespace Wsw::Test
