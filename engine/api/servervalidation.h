#pragma once

#include <functional>
#include <memory>

#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>

#include "api/messagewebsocketinformation.h"
#include "codec/wswenums.h"

namespace Wsw {

namespace Detail {
struct ValidationHub;
struct DeferralState;
} // namespace Detail

/**
 * Holds server validation open until complete() (Windows' Deferral): take one in the
 * serverCustomValidationRequested handler, decide later (a dialog, a timer, another object),
 * then complete it, after reject() if the answer is no. Copies share one deferral.
 *
 * Fail closed: a deferral whose last copy is dropped without complete() rejects the
 * certificate, and so does Timeouts.validation expiring first. complete() may be called from
 * any thread; a second call only warns.
 */
class Deferral
{
public:
    Deferral() = default;
    bool isNull() const { return !m_state; }
    void complete();
    bool isCompleted() const;

private:
    friend class WebSocketServerCustomValidationRequestedEventArgs;
    explicit Deferral(std::shared_ptr<Detail::DeferralState> state);

    std::shared_ptr<Detail::DeferralState> m_state;
};

/**
 * What serverCustomValidationRequested hands its handler (Windows'
 * WebSocketServerCustomValidationRequestedEventArgs): the server's certificates and the errors
 * default validation met. The connection waits (AwaitingServerValidation) until the handler
 * returns and every deferral is completed, and sends no byte of the upgrade request before.
 *
 * As on Windows, a chain that passed default validation is accepted unless reject() is called.
 * With Control.allowCustomValidationOverride, a chain that failed default validation with
 * Ignorable errors only also comes here (isDefaultValidationPassed() false) and is accepted
 * only if acceptDespiteErrors() is called.
 *
 * The object belongs to the socket and lives until validation ends; call its functions from the
 * socket's thread (the signal is emitted with a direct connection: a receiver in another thread
 * must use Qt::BlockingQueuedConnection, or it could not take a deferral in time).
 */
class WebSocketServerCustomValidationRequestedEventArgs final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketServerCustomValidationRequestedEventArgs)

public:
    ~WebSocketServerCustomValidationRequestedEventArgs() override;

    QSslCertificate serverCertificate() const { return m_info.serverCertificate.value_or(QSslCertificate()); }
    QList<QSslCertificate> serverIntermediateCertificates() const
    {
        return m_info.serverIntermediateCertificates;
    }
    QList<ChainValidationResult> serverCertificateErrors() const { return m_info.serverCertificateErrors; }
    SocketSslErrorSeverity serverCertificateErrorSeverity() const
    {
        return m_info.serverCertificateErrorSeverity;
    }
    QList<QSslError> sslErrors() const { return m_info.sslErrors; }
    /** The TLS session: protocol, cipher, the host name checked, the presented keys' pins. */
    TlsInformation tls() const { return m_info.tls; }
    /** False only with Control.allowCustomValidationOverride, for a chain default validation refused. */
    bool isDefaultValidationPassed() const { return m_info.tls.defaultValidationPassed; }

    /** Keeps validation open until the deferral is completed (see Deferral). */
    Deferral getDeferral();
    /** Fails validation: the connection fails with ServerValidationRejected. */
    void reject();
    /** Accepts a chain that failed default validation (only with Control.allowCustomValidationOverride). */
    void acceptDespiteErrors();
    bool isRejected() const { return m_rejected; }

private:
    friend class WebSocketConnection;
    friend struct Detail::ValidationHub;

    enum class Outcome { Accepted, Rejected, Abandoned, NotAccepted };

    WebSocketServerCustomValidationRequestedEventArgs(const MessageWebSocketInformation &info,
                                                      std::function<void()> onSettled, QObject *parent);
    /** The handler returned: settles now unless deferrals are out. */
    void endEmission();
    Outcome outcome() const;
    void onDeferralEnded(bool dropped);
    void settleIfDone(bool later);

    MessageWebSocketInformation m_info;
    std::function<void()> m_onSettled;
    std::shared_ptr<Detail::ValidationHub> m_hub;
    int m_outstanding = 0;
    bool m_emitting = true;
    bool m_settled = false;
    bool m_rejected = false;
    bool m_abandoned = false;
    bool m_acceptedDespiteErrors = false;
};

} // namespace Wsw
