#pragma once

#include <chrono>

#include <QObject>
#include <QPointer>
#include <QTimer>

#include "savedmessage.h"

namespace Wsw::Ui {

class Session;

/**
 * Sends one saved message again and again on a Session: every interval, count times (0 = until
 * stopped). It stops on stop(), when the connection leaves Open (closed by either side, or
 * failed) and when a send is refused, and says why in finished().
 *
 * It never floods: while the send queue holds DrainBytes or more (a slow server, a tiny
 * interval), ticks pass without a send until the queue has drained, so the rate is what the
 * connection carries, not what the timer asks for.
 */
class RepeatSender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RepeatSender)

public:
    enum class Outcome : quint8 { None, Completed, Stopped, ConnectionEnded, SendRefused };
    Q_ENUM(Outcome)

    /** 1 ms: a QTimer cannot do better, and the queue check keeps small intervals harmless. */
    static constexpr std::chrono::milliseconds MinInterval{1};
    static constexpr std::chrono::milliseconds MaxInterval{24 * 60 * 60 * 1000};
    /** Bytes in the send queue above which a tick waits instead of sending. */
    static constexpr qint64 DrainBytes = 256 * 1024;

    explicit RepeatSender(Session *session, QObject *parent = nullptr);

    /**
     * Starts sending message every interval, count times (0 = until stopped); the first goes at
     * once from the event loop. False with errorString() when already running, not open, or
     * the interval or count is out of range.
     */
    bool start(const SavedMessage &message, std::chrono::milliseconds interval, int count);
    /** Stops with Outcome::Stopped (no-op when not running). */
    void stop();

    bool isRunning() const { return m_running; }
    int sentCount() const { return m_sent; }
    /** The count asked for; 0 = until stopped. */
    int totalCount() const { return m_count; }
    SavedMessage message() const { return m_message; }
    /** Whether ticks are passing without a send until the queue drains. */
    bool isWaitingToDrain() const { return m_waiting; }
    /** How the last run ended (None while running and before the first). */
    Outcome outcome() const { return m_outcome; }
    /** Why start() refused. */
    QString errorString() const { return m_error; }

    /** "Sent 7 of 10" or "Sent 7 (until stopped)". */
    static QString progressText(int sent, int total);

Q_SIGNALS:
    void started();
    /** After each send: sent so far, and the count asked for (0 = until stopped). */
    void progress(int sent, int total);
    /**
     * A tick found DrainBytes or more in the send queue and waits for it to drain (once per
     * stall; the next progress() ends it): the server, or the network, is slower than the interval.
     */
    void waitingToDrain(qint64 bufferedBytes);
    /** The run ended; reason is a sentence for the status line ("Stopped: the connection closed"). */
    void finished(const QString &reason);

private:
    void tick();
    void onSessionStateChanged();
    void finish(Outcome outcome, const QString &reason);

    QPointer<Session> m_session;
    QTimer m_timer;
    SavedMessage m_message;
    std::chrono::milliseconds m_interval{1000};
    int m_count = 0;
    int m_sent = 0;
    bool m_running = false;
    bool m_waiting = false;
    Outcome m_outcome = Outcome::None;
    QString m_error;
};

} // namespace Wsw::Ui
