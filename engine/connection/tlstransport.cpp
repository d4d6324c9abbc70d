#include "connection/tlstransport.h"

#include <QSslCipher>
#include <QSslConfiguration>

#include "api/chainvalidation.h"
#include "api/spkipin.h"

namespace Wsw {

namespace {

/** Bytes (plaintext waiting for TLS plus ciphertext waiting for the kernel) past which no more is handed
 * over. */
constexpr qint64 HighWaterBytes = 256 * 1024;

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2:
        return QStringLiteral("TLSv1.2");
    case QSsl::TlsV1_3:
        return QStringLiteral("TLSv1.3");
    case QSsl::DtlsV1_2:
        return QStringLiteral("DTLSv1.2");
    default:
        return QStringLiteral("unknown");
    }
}

/** The system's CA certificates, read once: extra CAs replace Qt's on-demand lookup, so both are set. */
const QList<QSslCertificate> &systemCaCertificates()
{
    static const QList<QSslCertificate> certificates = QSslConfiguration::systemCaCertificates();
    return certificates;
}

/** Alerts a server sends when it does not accept the client certificate it got. */
bool isClientCertificateRefusal(QSsl::AlertType type)
{
    switch (type) {
    case QSsl::AlertType::BadCertificate:
    case QSsl::AlertType::UnsupportedCertificate:
    case QSsl::AlertType::CertificateRevoked:
    case QSsl::AlertType::CertificateExpired:
    case QSsl::AlertType::CertificateUnknown:
    case QSsl::AlertType::UnknownCa:
    case QSsl::AlertType::AccessDenied:
        return true;
    default:
        return false;
    }
}

} // namespace

TlsTransport::TlsTransport(const TransportOptions &options, const TlsSettings &settings, QObject *parent)
    : Transport(new QSslSocket, options, parent)
    , m_ssl(static_cast<QSslSocket *>(socket()))
    , m_settings(settings)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    // WebSocket runs over HTTP/1.1 (RFC 6455); a server that also speaks h2 must not pick it
    config.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    if (!settings.additionalCaCertificates.isEmpty())
        config.setCaCertificates(systemCaCertificates() + settings.additionalCaCertificates);
    if (const std::optional<ClientCertificate> &client = settings.clientCertificate) {
        config.setLocalCertificateChain(QList<QSslCertificate>{client->certificate} + client->intermediates);
        config.setPrivateKey(client->privateKey);
    }
    m_ssl->setSslConfiguration(config);

    connect(m_ssl, &QSslSocket::sslErrors, this, &TlsTransport::onSslErrors);
    connect(m_ssl, &QSslSocket::encrypted, this, &TlsTransport::onEncrypted);
    connect(m_ssl, &QSslSocket::alertReceived, this, &TlsTransport::onAlertReceived);
    connect(m_ssl, &QIODevice::readyRead, this, [this] {
        m_receivedData = true;
        // readyRead comes for every 4 KiB decrypted: one read round for all of them
        if (m_readPosted)
            return;
        m_readPosted = true;
        post([this] {
            m_readPosted = false;
            notifyReadyRead();
        });
    });
    connect(m_ssl, &QSslSocket::encryptedBytesWritten, this, [this] {
        // what our own write() pushes out at once needs no news: the writer sees the room itself
        if (!m_writing)
            post([this] { Q_EMIT progressed(); });
    });
    connect(m_ssl, &QAbstractSocket::disconnected, this, &TlsTransport::onDisconnected);
}

QString TlsTransport::unavailableReason()
{
    if (!QSslSocket::supportsSsl())
        return QStringLiteral("no TLS backend could be loaded (Qt's OpenSSL plugin needs libssl3)");
    const QString backend = QSslSocket::activeBackend();
    if (backend != u"openssl")
        return u"Qt's TLS backend is \"" + backend + u"\"; certificate validation here is built on OpenSSL's";
    return {};
}

void TlsTransport::post(std::function<void()> emitter)
{
    // one posted event for all that one pass of QSslSocket's engine raised (each post wakes the
    // event loop: a round trip would pay several)
    m_posted.append(std::move(emitter));
    if (m_postedPending)
        return;
    m_postedPending = true;
    QMetaObject::invokeMethod(
            this,
            [this] {
                m_postedPending = false;
                // in order; an emitter may lead to more posts, which then come in this round too
                while (!m_posted.isEmpty())
                    m_posted.takeFirst()();
            },
            Qt::QueuedConnection);
}

void TlsTransport::connectToHost(const QString &host, quint16 port)
{
    // the host is also the name the certificate must carry, and the SNI (unless an IP address)
    m_tls.peerVerifyName = host;
    m_ssl->connectToHostEncrypted(host, port);
}

void TlsTransport::onTcpConnected()
{
    // QSslSocket starts the handshake itself once TCP is up
    post([this] { Q_EMIT securing(); });
}

void TlsTransport::captureChain()
{
    QList<QSslCertificate> chain = m_ssl->peerCertificateChain();
    if (chain.isEmpty() && !m_ssl->peerCertificate().isNull())
        chain.append(m_ssl->peerCertificate());
    if (chain.isEmpty())
        return;
    m_leaf = chain.constFirst();
    m_intermediates = chain.mid(1);
    m_tls.presentedPins.clear();
    for (const QSslCertificate &certificate : std::as_const(chain))
        m_tls.presentedPins.append(SpkiPin::of(certificate));
}

void TlsTransport::onSslErrors(const QList<QSslError> &errors)
{
    captureChain();
    m_sslErrors = errors;
    const QSslCertificate leaf =
        m_leaf.isNull() && !errors.isEmpty() ? errors.constFirst().certificate() : m_leaf;
    m_judgement = judgeChain(errors, leaf, m_settings.trust);
    // accepted or left to the handler: the handshake goes on; rejected: it fails (errorOccurred)
    if (m_judgement->outcome != ChainJudgement::Outcome::Rejected)
        m_ssl->ignoreSslErrors(errors);
}

void TlsTransport::onEncrypted()
{
    captureChain();
    m_tls.encrypted = true;
    m_tls.protocol = protocolName(m_ssl->sessionProtocol());
    const QSslCipher cipher = m_ssl->sessionCipher();
    m_tls.cipher = cipher.name();
    m_tls.cipherBits = cipher.usedBits();
    m_tls.defaultValidationPassed = !m_judgement || m_judgement->outcome == ChainJudgement::Outcome::Accepted;

    if (!m_settings.trust.pinDigests.isEmpty()) {
        QList<QSslCertificate> presented{m_leaf};
        presented += m_intermediates;
        const bool leafOnly = m_judgement && hasTrustError(m_judgement->results);
        m_tls.matchedPin = matchPin(presented, m_settings.trust.pinDigests, leafOnly);
        if (m_tls.matchedPin.isEmpty()) {
            fail(WebSocketError(ErrorDetail::PinMismatch,
                                u"the server presented " + m_tls.presentedPins.join(u", ") +
                                    (leafOnly
                                         ? QStringLiteral(" (its chain is not trusted, so only the leaf's "
                                                          "key counts)")
                                         : QString())));
            return;
        }
    }
    post([this] { Q_EMIT established(); });
}

void TlsTransport::onAlertReceived(QSsl::AlertLevel level, QSsl::AlertType type, const QString &)
{
    if (level == QSsl::AlertLevel::Fatal)
        m_alertReceived = type;
}

WebSocketError TlsTransport::tlsFailure(QAbstractSocket::SocketError error) const
{
    const QString text = m_ssl->errorString();
    if (m_judgement && m_judgement->outcome == ChainJudgement::Outcome::Rejected) {
        // default validation refused the chain: name what it refused, as Windows would
        QStringList reasons;
        for (ChainValidationResult result : std::as_const(m_judgement->unresolved)) {
            QStringList details;
            for (const QSslError &sslError : m_sslErrors) {
                if (ChainValidation::resultFor(sslError.error()) == result &&
                    !details.contains(sslError.errorString()))
                    details.append(sslError.errorString());
            }
            reasons.append(ChainValidation::name(result) + u" (" + details.join(u"; ") + u')');
        }
        WebSocketError failure(ErrorDetail::CertificateRejected, reasons.join(u", "));
        failure.setStatus(ChainValidation::statusFor(m_judgement->unresolved));
        failure.setCertificateErrors(m_sslErrors, m_judgement->results);
        return failure;
    }
    const bool haveClientCertificate = m_settings.clientCertificate.has_value();
    if (m_alertReceived == QSsl::AlertType::CertificateRequired ||
        (m_alertReceived == QSsl::AlertType::NoCertificate && !haveClientCertificate))
        return WebSocketError(ErrorDetail::ClientCertificateRequired, text);
    if (m_alertReceived && haveClientCertificate && isClientCertificateRefusal(*m_alertReceived))
        return WebSocketError(ErrorDetail::ClientCertificateRejected, text);
    if (error == QAbstractSocket::SslHandshakeFailedError || !m_tls.encrypted) {
        // TLS 1.2 servers answer a missing client certificate with a plain handshake_failure
        const bool mayWantCertificate =
            m_alertReceived == QSsl::AlertType::HandshakeFailure && !haveClientCertificate;
        return WebSocketError(ErrorDetail::TlsHandshakeFailed,
                              mayWantCertificate
                                  ? text + QStringLiteral(" (the server may require a client certificate)")
                                  : text);
    }
    return WebSocketError(ErrorDetail::TlsError, text);
}

void TlsTransport::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_failed)
        return; // the first cause was told already
    switch (error) {
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        fail(tlsFailure(error));
        return;
    case QAbstractSocket::RemoteHostClosedError:
        // the server's close_notify, or its TCP FIN: the peer is done either way. After a
        // close_notify Qt keeps TCP open and waits, and so would a server that waits for our
        // close_notify or FIN (Python's websockets does): the end is told from here
        onDisconnected();
        return;
    default:
        fail(socketFailure(error));
        return;
    }
}

void TlsTransport::onDisconnected()
{
    if (m_failed || m_peerClosed)
        return;
    if (m_alertReceived && *m_alertReceived != QSsl::AlertType::CloseNotify) {
        // the server said why before it hung up (a TLS 1.3 server refuses a client certificate
        // only after our handshake is done)
        fail(tlsFailure(QAbstractSocket::RemoteHostClosedError));
        return;
    }
    if (m_tls.encrypted && !m_receivedData) {
        // closed after the handshake without a word: what a server does that refuses (or misses)
        // a client certificate and sends no alert (Qt's own QSslServer does this)
        fail(WebSocketError(
            ErrorDetail::ConnectionAborted,
            !m_settings.clientCertificate
                ? QStringLiteral("the server closed the connection right after the TLS handshake; "
                                 "it may require a client certificate")
                : QStringLiteral("the server closed the connection right after the TLS handshake; "
                                 "it may have refused the client certificate")));
        return;
    }
    m_peerClosed = true;
    post([this] { Q_EMIT peerClosed(); });
}

void TlsTransport::fail(const WebSocketError &error)
{
    m_failed = true;
    post([this, error] { Q_EMIT failed(error); });
}

bool TlsTransport::mayHaveMore(qint64) const
{
    return m_ssl->bytesAvailable() > 0;
}

qint64 TlsTransport::writeRoom() const
{
    return std::max<qint64>(0, HighWaterBytes - bufferedBytes());
}

qint64 TlsTransport::write(const char *data, qint64 size)
{
    const qint64 taken = m_ssl->write(data, size);
    // encrypted and handed to the kernel now (QSslSocket would wait for the next event-loop
    // round); safe because this is never called from inside QSslSocket (see post())
    if (taken > 0) {
        m_writing = true;
        m_ssl->flush();
        m_writing = false;
    }
    return taken;
}

qint64 TlsTransport::bufferedBytes() const
{
    return m_ssl->bytesToWrite() + m_ssl->encryptedBytesToWrite();
}

void TlsTransport::fillInformation(MessageWebSocketInformation &info) const
{
    Transport::fillInformation(info);
    info.serverCertificate = m_leaf.isNull() ? std::nullopt : std::optional(m_leaf);
    info.serverIntermediateCertificates = m_intermediates;
    info.sslErrors = m_sslErrors;
    info.serverCertificateErrors = m_judgement ? m_judgement->results : QList<ChainValidationResult>();
    info.serverCertificateErrorSeverity = m_judgement ? m_judgement->severity : SocketSslErrorSeverity::None;
    info.tls = m_tls;
}

} // namespace Wsw
