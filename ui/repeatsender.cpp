#include "repeatsender.h"

#include "session.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

RepeatSender::RepeatSender(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    connect(&m_timer, &QTimer::timeout, this, &RepeatSender::tick);
    if (session)
        connect(session, &Session::stateChanged, this, &RepeatSender::onSessionStateChanged);
}

bool RepeatSender::start(const SavedMessage &message, std::chrono::milliseconds interval, int count)
{
    const auto refuse = [this](const QString &why) {
        m_error = why;
        return false;
    };
    if (m_running)
        return refuse(tr("Already repeating “%1”: stop it first").arg(m_message.name));
    if (!m_session || m_session->state() != ConnectionState::Open)
        return refuse(tr("Connect first: messages can be repeated only while the connection is open"));
    if (interval < MinInterval || interval > MaxInterval)
        return refuse(tr("The interval must be between %1 ms and %2 ms").arg(MinInterval.count()).arg(MaxInterval.count()));
    if (count < 0)
        return refuse(tr("The count must be 0 (until stopped) or more"));
    m_error.clear();
    m_message = message;
    m_interval = interval;
    m_count = count;
    m_sent = 0;
    m_running = true;
    m_waiting = false;
    m_outcome = Outcome::None;
    // precise: a coarse timer may be 5 % late, which at 1 s is a visible drift
    m_timer.setTimerType(interval < std::chrono::milliseconds(20) ? Qt::PreciseTimer : Qt::CoarseTimer);
    m_timer.start(0); // the first send at once, from the event loop; tick() sets the interval
    Q_EMIT started();
    return true;
}

void RepeatSender::stop()
{
    if (m_running)
        finish(Outcome::Stopped, tr("Stopped after %1 sent").arg(m_sent));
}

QString RepeatSender::progressText(int sent, int total)
{
    return total > 0 ? tr("Sent %1 of %2").arg(sent).arg(total) : tr("Sent %1 (until stopped)").arg(sent);
}

void RepeatSender::tick()
{
    if (!m_running)
        return;
    if (m_timer.interval() != int(m_interval.count()))
        m_timer.setInterval(m_interval);
    if (!m_session || m_session->state() != ConnectionState::Open) {
        onSessionStateChanged();
        return;
    }
    // let the queue drain first: a tick that cannot go out now is skipped, not queued
    if (const qint64 buffered = m_session->socket().bufferedAmount(); buffered >= DrainBytes) {
        if (!m_waiting) {
            m_waiting = true;
            Q_EMIT waitingToDrain(buffered);
        }
        return;
    }
    m_waiting = false;
    if (!m_session->sendAs(m_message.type, m_message.payload)) {
        finish(Outcome::SendRefused, tr("Stopped: the send was refused (%1)").arg(m_session->lastError().message()));
        return;
    }
    ++m_sent;
    Q_EMIT progress(m_sent, m_count);
    if (m_count > 0 && m_sent >= m_count)
        finish(Outcome::Completed, tr("Done: sent %1 of %2").arg(m_sent).arg(m_count));
}

void RepeatSender::onSessionStateChanged()
{
    if (!m_running)
        return;
    if (!m_session) {
        finish(Outcome::ConnectionEnded, tr("Stopped: the connection is gone"));
        return;
    }
    switch (m_session->state()) {
    case ConnectionState::Open:
        return;
    case ConnectionState::Failed:
        finish(Outcome::ConnectionEnded, tr("Stopped: the connection failed"));
        return;
    default: // Closing counts as closed: nothing more may be sent
        finish(Outcome::ConnectionEnded, tr("Stopped: the connection closed"));
        return;
    }
}

void RepeatSender::finish(Outcome outcome, const QString &reason)
{
    m_timer.stop();
    m_running = false;
    m_waiting = false;
    m_outcome = outcome;
    Q_EMIT finished(reason);
}

} // namespace Wsw::Ui
