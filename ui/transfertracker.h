#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QMetaType>
#include <QObject>

namespace Wsw {
class MessageWebSocket;
}

namespace Wsw::Ui {

/** One big message on its way, as TransferTracker sees it. */
struct Transfer {
    enum class Direction : quint8 { Sending, Receiving };
    enum class Outcome : quint8 {
        InProgress,
        Completed,   // every byte left for the socket (sends) or arrived (receives)
        Cancelled,   // TransferTracker::cancelAll(): the user gave up on it
        Interrupted, // the connection ended first
    };

    quint64 id = 0;
    Direction direction = Direction::Sending;
    /** Message bytes; -1 while unknown (a fragmented message before its final frame). */
    qint64 totalBytes = -1;
    qint64 doneBytes = 0;
    /** Average since the transfer started, in message bytes per second (0 until measurable). */
    double bytesPerSecond = 0;
    Outcome outcome = Outcome::InProgress;

    /** 0 to 1, or -1 when the total is unknown. */
    double fraction() const
    {
        if (totalBytes < 0)
            return -1;
        return totalBytes == 0 ? 1.0 : double(doneBytes) / double(totalBytes);
    }
    bool isFinished() const { return outcome != Outcome::InProgress; }
};

/**
 * Turns a session's socket signals into transfers of messages of at least threshold() bytes
 * (default 1 MiB), for a progress strip. No widgets.
 *
 * Sends: call noteSend() right after a successful sendMessage() (PartedSender calls
 * beginPartedSend() and notePartQueued()). The message occupies a range of
 * MessageWebSocket::bytesQueued(); its progress is how much of that range bytesWritten() has
 * reported, i.e. what really left for the socket, not what was queued (compression and frame
 * headers are scaled away: doneBytes counts message bytes).
 * Receives: receiveProgress(), which the engine emits only while a message spans several reads;
 * the total is the frame's announced length, unknown for a fragmented message until its final
 * frame. A receive starts once its total (or, unknown, what arrived) reaches the threshold.
 *
 * Every transfer ends once: Completed, Cancelled (cancelAll()) or Interrupted (the connection
 * ended first). progressed() is throttled to about 20 times a second per transfer.
 */
class TransferTracker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferTracker)

public:
    static constexpr qint64 DefaultThresholdBytes = 1024 * 1024;

    /** Follows socket (not owned; it must outlive the tracker or be its parent's sibling). */
    explicit TransferTracker(MessageWebSocket *socket, QObject *parent = nullptr);

    /** Messages of at least this many bytes become transfers (the next ones; 1 at least). */
    void setThreshold(qint64 bytes);
    qint64 threshold() const { return m_threshold; }

    /** The transfers in progress, oldest first. */
    QList<Transfer> transfers() const { return m_active; }
    bool hasTransfers() const { return !m_active.isEmpty(); }

    /**
     * A message of messageBytes was just accepted by sendMessage(): a transfer when it is big
     * enough. queuedBefore: socket->bytesQueued() read just before that send.
     */
    void noteSend(qint64 messageBytes, qint64 queuedBefore);
    /**
     * A message of messageBytes goes out in parts (PartedSender), its first part just accepted:
     * returns the transfer's id, or 0 when it is too small to be one. queuedBefore as for noteSend().
     */
    quint64 beginPartedSend(qint64 messageBytes, qint64 queuedBefore);
    /** The parts of transfer id queued so far hold messageBytesQueued message bytes; last: all of them. */
    void notePartQueued(quint64 id, qint64 messageBytesQueued, bool last);
    /** Ends every transfer in progress as Cancelled (the caller then closes the connection). */
    void cancelAll();

Q_SIGNALS:
    void started(const Wsw::Ui::Transfer &transfer);
    void progressed(const Wsw::Ui::Transfer &transfer);
    /** transfer.outcome says how it ended; it is no longer in transfers(). */
    void finished(const Wsw::Ui::Transfer &transfer);

private:
    struct Active {
        qint64 startedNs = 0;
        qint64 lastReportNs = 0;
        qint64 wireStart = 0; // sends: the message's range of bytesQueued() (so far, when in parts)
        qint64 wireEnd = 0;
        qint64 messageQueued = 0; // sends: message bytes in that range
        bool allQueued = true;    // sends in parts: false until the last part is queued
    };

    void onConnected();
    void onBytesWritten(qint64 bytes);
    void onReceiveProgress(qint64 receivedBytes, qint64 totalBytes);
    void onConnectionEnded();
    Transfer &start(Transfer::Direction direction, qint64 total, qint64 done, const Active &extra);
    /** Sets done/rate; progressed() when due (or forced), finished() when complete. */
    void update(qsizetype index, qint64 done, qint64 total, bool force);
    void finish(qsizetype index, Transfer::Outcome outcome);
    qsizetype receiveIndex() const;

    MessageWebSocket *m_socket;
    qint64 m_threshold = DefaultThresholdBytes;
    qint64 m_written = 0; // bytesWritten() reported since the connection opened
    quint64 m_nextId = 1;
    QElapsedTimer m_clock;
    QList<Transfer> m_active;
    QList<Active> m_extra; // parallel to m_active
};

} // namespace Wsw::Ui

Q_DECLARE_METATYPE(Wsw::Ui::Transfer)
