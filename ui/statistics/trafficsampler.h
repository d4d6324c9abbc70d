#pragma once

#include <chrono>
#include <deque>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include "api/messagewebsocketinformation.h"

namespace Wsw::Ui {

class Session;

/** Traffic rates over one sampling interval, at a time counted from the connection's opening. */
struct TrafficSample {
    double seconds = 0;                 // since the connection opened (end of the interval)
    double messagesInPerSecond = 0;
    double messagesOutPerSecond = 0;
    double bytesInPerSecond = 0;        // message bytes (application data, after inflation)
    double bytesOutPerSecond = 0;       // message bytes (application data, before compression)
    double wireBytesInPerSecond = 0;    // everything read from the socket
    double wireBytesOutPerSecond = 0;   // everything written to the socket
};

/** One answered ping. */
struct RoundTripSample {
    double seconds = 0; // since the connection opened, when the pong arrived
    double milliseconds = 0;
};

/** Last, smallest, mean and largest round trip of the current connection (count 0: no pong yet). */
struct RoundTripSummary {
    int count = 0;
    double last = 0;
    double min = 0;
    double mean = 0;
    double max = 0;
};

/**
 * Turns a Session's traffic counters into rates for the statistics charts, without widgets.
 *
 * While the connection is open (and closing) it reads Information's counters every interval()
 * and appends a TrafficSample with the rates over the time that really passed (a late timer does
 * not inflate them); every pong adds a RoundTripSample. Times count from the moment the
 * connection opened. The history keeps historyLength() of samples (15 min by default), and is
 * cleared when a new connection starts, so after a close the last connection's samples stay
 * until the next connect.
 */
class TrafficSampler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrafficSampler)

public:
    static constexpr std::chrono::milliseconds DefaultInterval{1000};
    static constexpr std::chrono::milliseconds MinimumInterval{20};
    static constexpr std::chrono::seconds DefaultHistoryLength{15 * 60};

    explicit TrafficSampler(Session *session, QObject *parent = nullptr);

    /** How often the counters are read; at least MinimumInterval. Takes effect at once. */
    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return std::chrono::milliseconds(m_timer.interval()); }
    /** How far back samples are kept (at least 1 s); older ones are dropped as new ones come. */
    void setHistoryLength(std::chrono::seconds length);
    std::chrono::seconds historyLength() const { return m_historyLength; }

    /** Oldest first. */
    const std::deque<TrafficSample> &samples() const { return m_samples; }
    const std::deque<RoundTripSample> &roundTrips() const { return m_roundTrips; }
    RoundTripSummary roundTripSummary() const { return m_summary; }
    /** The counters and bandwidth as of the last sample (zero before the first connection). */
    const TrafficCounters &counters() const { return m_counters; }
    const BandwidthStatistics &bandwidth() const { return m_bandwidth; }
    /** Seconds since the connection opened (0 before); stops at the connection's end. */
    double secondsSinceOpen() const;
    /** Whether samples are being taken (the connection is open or closing). */
    bool isSampling() const { return m_timer.isActive(); }

    /** Takes a sample now (the timer does this every interval while connected). */
    void sampleNow();

Q_SIGNALS:
    void sampleAdded(const Wsw::Ui::TrafficSample &sample);
    void roundTripAdded(const Wsw::Ui::RoundTripSample &sample);
    /** A new connection started: samples(), roundTrips() and the counters are empty again. */
    void historyCleared();

private:
    void onStateChanged(ConnectionState state);
    void onPong(std::chrono::milliseconds roundTrip);
    void clear();
    void trim();

    Session *m_session;
    QTimer m_timer;
    QElapsedTimer m_sinceOpen;
    qint64 m_lastSampleMs = 0;
    double m_endedAtSeconds = 0; // secondsSinceOpen() once the connection has ended
    bool m_connectionStarted = false;
    std::chrono::seconds m_historyLength = DefaultHistoryLength;
    TrafficCounters m_counters;
    BandwidthStatistics m_bandwidth;
    std::deque<TrafficSample> m_samples;
    std::deque<RoundTripSample> m_roundTrips;
    RoundTripSummary m_summary;
    double m_roundTripSum = 0;
};

} // namespace Wsw::Ui
