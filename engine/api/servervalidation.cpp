#include "api/servervalidation.h"

#include <atomic>

#include <QMutex>
#include <QMutexLocker>

namespace Wsw {

namespace Detail {

/** Outlives the args object, so a deferral completed late (or on another thread) finds nothing. */
struct ValidationHub
{
    QMutex mutex;
    WebSocketServerCustomValidationRequestedEventArgs *args = nullptr;

    void deferralEnded(bool dropped)
    {
        QMutexLocker lock(&mutex);
        if (!args)
            return;
        // queued: into the socket's thread, and never from inside the caller's complete()
        QMetaObject::invokeMethod(
            args, [a = args, dropped] { a->onDeferralEnded(dropped); }, Qt::QueuedConnection);
    }
};

struct DeferralState
{
    explicit DeferralState(std::shared_ptr<ValidationHub> h) : hub(std::move(h)) {}
    ~DeferralState()
    {
        if (!completed.load())
            hub->deferralEnded(true); // dropped without an answer: fail closed
    }
    Q_DISABLE_COPY_MOVE(DeferralState)

    std::shared_ptr<ValidationHub> hub;
    std::atomic<bool> completed{false};
};

} // namespace Detail

Deferral::Deferral(std::shared_ptr<Detail::DeferralState> state) : m_state(std::move(state)) {}

void Deferral::complete()
{
    if (!m_state) {
        qWarning("Wsw::Deferral::complete(): a null deferral");
        return;
    }
    bool expected = false;
    if (!m_state->completed.compare_exchange_strong(expected, true)) {
        qWarning("Wsw::Deferral::complete(): called twice");
        return;
    }
    m_state->hub->deferralEnded(false);
}

bool Deferral::isCompleted() const
{
    return m_state && m_state->completed.load();
}

WebSocketServerCustomValidationRequestedEventArgs::WebSocketServerCustomValidationRequestedEventArgs(
    const MessageWebSocketInformation &info, std::function<void()> onSettled, QObject *parent)
    : QObject(parent)
    , m_info(info)
    , m_onSettled(std::move(onSettled))
    , m_hub(std::make_shared<Detail::ValidationHub>())
{
    m_hub->args = this;
}

WebSocketServerCustomValidationRequestedEventArgs::~WebSocketServerCustomValidationRequestedEventArgs()
{
    QMutexLocker lock(&m_hub->mutex);
    m_hub->args = nullptr;
}

Deferral WebSocketServerCustomValidationRequestedEventArgs::getDeferral()
{
    if (m_settled) {
        qWarning(
            "Wsw::WebSocketServerCustomValidationRequestedEventArgs::getDeferral(): validation has ended");
        return {};
    }
    ++m_outstanding;
    return Deferral(std::make_shared<Detail::DeferralState>(m_hub));
}

void WebSocketServerCustomValidationRequestedEventArgs::reject()
{
    m_rejected = true;
    settleIfDone(true); // a "no" needs no deferral to end
}

void WebSocketServerCustomValidationRequestedEventArgs::acceptDespiteErrors()
{
    m_acceptedDespiteErrors = true;
}

void WebSocketServerCustomValidationRequestedEventArgs::endEmission()
{
    m_emitting = false;
    settleIfDone(false);
}

void WebSocketServerCustomValidationRequestedEventArgs::onDeferralEnded(bool dropped)
{
    --m_outstanding;
    m_abandoned = m_abandoned || dropped;
    settleIfDone(false);
}

void WebSocketServerCustomValidationRequestedEventArgs::settleIfDone(bool later)
{
    if (m_settled || m_emitting || (m_outstanding > 0 && !m_rejected))
        return;
    m_settled = true;
    if (later) // from reject() outside the handler: the connection goes on from the event loop
        QMetaObject::invokeMethod(this, m_onSettled, Qt::QueuedConnection);
    else
        m_onSettled();
}

WebSocketServerCustomValidationRequestedEventArgs::Outcome
WebSocketServerCustomValidationRequestedEventArgs::outcome() const
{
    if (m_rejected)
        return Outcome::Rejected;
    if (m_abandoned)
        return Outcome::Abandoned;
    if (!m_info.tls.defaultValidationPassed && !m_acceptedDespiteErrors)
        return Outcome::NotAccepted;
    return Outcome::Accepted;
}

} // namespace Wsw
