#pragma once

#include <functional>
#include <optional>

#include <QSslError>
#include <QSslSocket>

#include "api/clientcertificate.h"
#include "api/messagewebsocketinformation.h"
#include "connection/certificatepolicy.h"
#include "connection/transport.h"

namespace Wsw {

/** What a TLS transport needs from Control. */
struct TlsSettings
{
    TrustPolicy trust;
    QList<QSslCertificate> additionalCaCertificates;
    std::optional<ClientCertificate> clientCertificate;
};

/**
 * wss:// on QSslSocket: SNI and host-name verification by Qt, the server's chain judged by
 * Control (ignorable errors, extra CAs, pins) during the handshake, the session and the
 * certificates kept for Information.
 *
 * QSslSocket keeps its own buffers and emits its signals from inside its TLS engine
 * (encrypted(), errors and readyRead() all come from one transmit loop), where closing or
 * writing again would re-enter it. So every signal of this transport is posted: the connection
 * always runs from the event loop, and write() may then push data through TLS to the kernel at
 * once. Written bytes count as gone once their ciphertext has left Qt's buffers.
 */
class TlsTransport final : public Transport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsTransport)

public:
    TlsTransport(const TransportOptions &options, const TlsSettings &settings, QObject *parent = nullptr);

    /** Empty when wss:// works here; otherwise why not (no TLS backend, or not OpenSSL). */
    static QString unavailableReason();

    void connectToHost(const QString &host, quint16 port) override;
    bool mayHaveMore(qint64 lastRead) const override;
    qint64 writeRoom() const override;
    qint64 write(const char *data, qint64 size) override;
    qint64 bufferedBytes() const override;
    void fillInformation(MessageWebSocketInformation &info) const override;

private:
    void onTcpConnected() override;
    void onSocketError(QAbstractSocket::SocketError error) override;
    void onSslErrors(const QList<QSslError> &errors);
    void onEncrypted();
    void onAlertReceived(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description);
    void onDisconnected();
    /** Reports the first failure (and nothing after it). */
    void fail(const WebSocketError &error);
    void captureChain();
    WebSocketError tlsFailure(QAbstractSocket::SocketError error) const;
    /** Emits from the event loop, never from inside QSslSocket (see the class comment). */
    void post(std::function<void()> emitter);

    QSslSocket *m_ssl;
    TlsSettings m_settings;
    std::optional<ChainJudgement> m_judgement; // set when OpenSSL found errors in the chain
    std::optional<QSsl::AlertType> m_alertReceived;
    bool m_readPosted = false;
    bool m_writing = false;
    QList<std::function<void()>> m_posted;
    bool m_postedPending = false;
    bool m_receivedData = false;
    bool m_failed = false;
    bool m_peerClosed = false;

    // what fillInformation() hands out, kept after a failure
    QSslCertificate m_leaf;
    QList<QSslCertificate> m_intermediates;
    QList<QSslError> m_sslErrors;
    TlsInformation m_tls;
};

} // namespace Wsw
