#include "statistics/trafficsampler.h"

#include <algorithm>

#include "session.h"

namespace Wsw::Ui {

namespace {

bool isEnded(ConnectionState state)
{
    return state == ConnectionState::Idle || state == ConnectionState::Closed || state == ConnectionState::Failed;
}

/** Per second over elapsedMs; a counter that went backwards (it cannot, but) counts as no change. */
double rate(quint64 now, quint64 before, qint64 elapsedMs)
{
    return now > before ? double(now - before) * 1000.0 / double(elapsedMs) : 0.0;
}

} // namespace

TrafficSampler::TrafficSampler(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_timer.setInterval(DefaultInterval);
    connect(&m_timer, &QTimer::timeout, this, &TrafficSampler::sampleNow);
    connect(session, &Session::stateChanged, this, &TrafficSampler::onStateChanged);
    connect(session, &Session::pongReceived, this, &TrafficSampler::onPong);
    if (!isEnded(session->state()))
        onStateChanged(session->state()); // attached to a session already under way
}

void TrafficSampler::setInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(std::max(interval, MinimumInterval));
}

void TrafficSampler::setHistoryLength(std::chrono::seconds length)
{
    m_historyLength = std::max(length, std::chrono::seconds(1));
    trim();
}

double TrafficSampler::secondsSinceOpen() const
{
    if (!m_sinceOpen.isValid())
        return 0;
    return m_timer.isActive() ? double(m_sinceOpen.elapsed()) / 1000.0 : m_endedAtSeconds;
}

void TrafficSampler::onStateChanged(ConnectionState state)
{
    // Session repeats the final state once the end's signals are out: every branch is idempotent
    if (isEnded(state)) {
        if (m_timer.isActive()) {
            sampleNow(); // what arrived since the last tick, and the final counters
            m_endedAtSeconds = double(m_sinceOpen.elapsed()) / 1000.0;
            m_timer.stop();
        }
        m_connectionStarted = false;
        return;
    }
    if (!m_connectionStarted) {
        m_connectionStarted = true;
        clear();
    }
    if ((state == ConnectionState::Open || state == ConnectionState::Closing) && !m_timer.isActive()
        && !m_sinceOpen.isValid()) {
        m_sinceOpen.start();
        m_lastSampleMs = 0;
        const MessageWebSocketInformation info = m_session->socket().information();
        m_counters = info.counters; // the handshake's bytes are before time 0, not a rate
        m_bandwidth = info.bandwidthStatistics;
        m_timer.start();
    }
}

void TrafficSampler::clear()
{
    m_timer.stop();
    m_sinceOpen.invalidate();
    m_endedAtSeconds = 0;
    m_counters = {};
    m_bandwidth = {};
    m_samples.clear();
    m_roundTrips.clear();
    m_summary = {};
    m_roundTripSum = 0;
    Q_EMIT historyCleared();
}

void TrafficSampler::sampleNow()
{
    if (!m_sinceOpen.isValid())
        return; // not connected yet
    const qint64 nowMs = m_sinceOpen.elapsed();
    const qint64 elapsedMs = nowMs - m_lastSampleMs;
    if (elapsedMs <= 0)
        return; // two samples in the same millisecond: no rate to tell
    const MessageWebSocketInformation info = m_session->socket().information();
    const TrafficCounters &now = info.counters;
    TrafficSample sample;
    sample.seconds = double(nowMs) / 1000.0;
    sample.messagesInPerSecond = rate(now.messagesReceived, m_counters.messagesReceived, elapsedMs);
    sample.messagesOutPerSecond = rate(now.messagesSent, m_counters.messagesSent, elapsedMs);
    sample.bytesInPerSecond = rate(now.messageBytesReceived, m_counters.messageBytesReceived, elapsedMs);
    sample.bytesOutPerSecond = rate(now.messageBytesSent, m_counters.messageBytesSent, elapsedMs);
    sample.wireBytesInPerSecond = rate(now.wireBytesReceived, m_counters.wireBytesReceived, elapsedMs);
    sample.wireBytesOutPerSecond = rate(now.wireBytesSent, m_counters.wireBytesSent, elapsedMs);
    m_counters = now;
    m_bandwidth = info.bandwidthStatistics;
    m_lastSampleMs = nowMs;
    m_samples.push_back(sample);
    trim();
    Q_EMIT sampleAdded(sample);
}

void TrafficSampler::onPong(std::chrono::milliseconds roundTrip)
{
    if (!m_timer.isActive())
        return; // a pong after the end has no place on this connection's time line
    const RoundTripSample sample{double(m_sinceOpen.elapsed()) / 1000.0, double(roundTrip.count())};
    m_roundTrips.push_back(sample);
    const double ms = sample.milliseconds;
    m_summary.last = ms;
    m_summary.min = m_summary.count == 0 ? ms : std::min(m_summary.min, ms);
    m_summary.max = m_summary.count == 0 ? ms : std::max(m_summary.max, ms);
    ++m_summary.count;
    m_roundTripSum += ms;
    m_summary.mean = m_roundTripSum / m_summary.count;
    trim();
    Q_EMIT roundTripAdded(sample);
}

void TrafficSampler::trim()
{
    const double newest = std::max(m_samples.empty() ? 0.0 : m_samples.back().seconds,
                                   m_roundTrips.empty() ? 0.0 : m_roundTrips.back().seconds);
    const double oldest = newest - double(m_historyLength.count());
    while (!m_samples.empty() && m_samples.front().seconds < oldest)
        m_samples.pop_front();
    while (!m_roundTrips.empty() && m_roundTrips.front().seconds < oldest)
        m_roundTrips.pop_front();
}

} // namespace Wsw::Ui
