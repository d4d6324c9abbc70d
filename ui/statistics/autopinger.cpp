#include "statistics/autopinger.h"

#include <algorithm>

#include "format/messageformat.h"
#include "session.h"

namespace Wsw::Ui {

AutoPinger::AutoPinger(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_timer.setInterval(DefaultInterval);
    connect(&m_timer, &QTimer::timeout, this, &AutoPinger::tick);
    connect(session, &Session::stateChanged, this, &AutoPinger::onStateChanged);
    connect(session, &Session::pongReceived, this, &AutoPinger::onPong);
}

void AutoPinger::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    Q_EMIT enabledChanged(enabled);
    update();
}

void AutoPinger::setInterval(std::chrono::milliseconds interval)
{
    const auto bounded = std::max(interval, MinimumInterval);
    if (bounded == this->interval())
        return;
    m_timer.setInterval(bounded); // a running timer restarts with the new interval
    Q_EMIT intervalChanged(bounded);
}

void AutoPinger::onStateChanged(ConnectionState state)
{
    const bool ended = state == ConnectionState::Idle || state == ConnectionState::Closed || state == ConnectionState::Failed;
    if (!ended && !m_connectionStarted) {
        // counts are per connection, like Information's counters
        m_connectionStarted = true;
        m_sent = 0;
        m_missed = 0;
        m_missedInRun = 0;
    } else if (ended) {
        m_connectionStarted = false;
    }
    update();
}

void AutoPinger::update()
{
    const bool wanted = m_enabled && m_session->state() == ConnectionState::Open;
    if (wanted == m_timer.isActive())
        return;
    m_awaitingPong = false;
    if (wanted) {
        m_timer.start();
        tick(); // the first round trip at once, not an interval later
    } else {
        m_timer.stop();
    }
    Q_EMIT activeChanged(wanted);
}

void AutoPinger::tick()
{
    if (m_session->state() != ConnectionState::Open) {
        update(); // the state signal is still on its way: stop now
        return;
    }
    if (m_awaitingPong) {
        ++m_missed;
        ++m_missedInRun;
        if (m_missedInRun == 1) {
            m_session->note(tr("automatic ping: no pong within %1 (the Statistics tab counts further misses)")
                                    .arg(Format::duration(interval().count())));
        }
        Q_EMIT pingMissed(m_missed);
    }
    if (m_session->pingQuietly()) {
        m_awaitingPong = true;
        ++m_sent;
        Q_EMIT pingSent(m_sent);
    }
}

void AutoPinger::onPong()
{
    // any pong proves the peer alive, also the answer to a ping typed by hand
    m_awaitingPong = false;
    if (m_missedInRun > 0) {
        m_session->note(m_missedInRun == 1 ? tr("automatic ping: answered again after 1 missed ping")
                                           : tr("automatic ping: answered again after %1 missed pings").arg(m_missedInRun));
        m_missedInRun = 0;
    }
}

} // namespace Wsw::Ui
