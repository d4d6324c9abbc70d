#pragma once

#include <chrono>

#include <QObject>
#include <QTimer>

#include "codec/wswenums.h"

namespace Wsw::Ui {

class Session;

/**
 * Pings a Session's connection on an interval while it is open, so the round-trip chart has
 * points and a dead peer shows up: off by default. The first ping goes out as soon as the
 * connection is open (or at once when switched on while open), then one every interval(); it
 * stops when the connection leaves Open. A ping still unanswered when the next is due counts as
 * missed (missedCount(), pingMissed()); the first miss of a run, and the pong that ends it, are
 * noted in the message log. Pings go through Session::pingQuietly(), so they are counted and
 * timed but not logged one by one.
 */
class AutoPinger final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AutoPinger)

public:
    static constexpr std::chrono::milliseconds DefaultInterval{5000};
    static constexpr std::chrono::milliseconds MinimumInterval{100};

    explicit AutoPinger(Session *session, QObject *parent = nullptr);

    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled);
    std::chrono::milliseconds interval() const { return std::chrono::milliseconds(m_timer.interval()); }
    /** At least MinimumInterval (smaller values are raised to it). */
    void setInterval(std::chrono::milliseconds interval);
    /** Whether pings are going out now (switched on and the connection is open). */
    bool isActive() const { return m_timer.isActive(); }
    /** Pings this object sent on the current connection. */
    int sentCount() const { return m_sent; }
    /** Pings of the current connection that had no pong by the time the next was due. */
    int missedCount() const { return m_missed; }

Q_SIGNALS:
    void enabledChanged(bool enabled);
    void activeChanged(bool active);
    void intervalChanged(std::chrono::milliseconds interval);
    /** The previous ping had no answer when the next was due; missed is missedCount(). */
    void pingMissed(int missed);
    /** A ping went out (sent is sentCount()). */
    void pingSent(int sent);

private:
    void onStateChanged(ConnectionState state);
    void onPong();
    void tick();
    void update();

    Session *m_session;
    QTimer m_timer;
    bool m_enabled = false;
    bool m_awaitingPong = false;
    bool m_connectionStarted = false;
    int m_sent = 0;
    int m_missed = 0;
    int m_missedInRun = 0; // misses since the last pong
};

} // namespace Wsw::Ui
