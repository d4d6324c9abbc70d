#pragma once

#include <limits>

#include "models/logentry.h"
#include "models/ringtablemodel.h"

namespace Wsw::Ui {

namespace Detail {
/** A stored row: the entry and its Δt to the entry appended before it (NoDelta for the first). */
struct MessageLogRow {
    static constexpr qint64 NoDelta = std::numeric_limits<qint64>::min();
    LogEntry entry;
    qint64 deltaMs = NoDelta;
};
} // namespace Detail

/**
 * The message log: messages sent and received, events and errors, one row each, oldest first.
 *
 * Bounded (capacity(), default 100 000; the oldest rows go and rowsDiscarded() says how many in
 * all) and batched (append() is cheap; rows reach the model at most ~60 times a second, or at
 * flush()). Nothing derived is stored: the preview, time and size strings are made in data() for
 * the rows a view asks for, so 100 000 appends cost 100 000 moves of a LogEntry.
 *
 * Δt is measured at append() against the entry appended before, so it does not change when older
 * rows are trimmed.
 */
class MessageLogModel final : public RingTableModelT<Detail::MessageLogRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageLogModel)

public:
    enum Column : int {
        Sequence,  // "#": 1, 2, 3 …
        Time,      // hh:mm:ss.zzz, local time
        Delta,     // "+12 ms" since the row before
        Direction, // ↑ sent, ↓ received, • event, ! error (in words in ToolTip and AccessibleTextRole)
        Type,      // Text, Binary, Event, Error
        Size,      // bytes (a number, for sorting); ToolTip "1.0 MiB"
        Preview,   // message text / hex on one line, or the event text
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        RawBytesRole = Qt::UserRole, // QByteArray: the message bytes, whole
        KindRole,                    // LogEntry::Kind
        DirectionRole,               // LogEntry::Direction
        MessageTypeRole,             // SocketMessageType
        TimestampRole,               // qint64 ms since the epoch
        SequenceRole,                // quint64
    };
    Q_ENUM(Role)

    /** Characters of a message shown in the Preview column before " …". */
    static constexpr qsizetype PreviewChars = 200;

    explicit MessageLogModel(QObject *parent = nullptr);

    /** Queues the entry for the next flush; assigns and returns its sequence number. */
    quint64 append(LogEntry entry);
    /** The entry shown in the row (0 = oldest kept); row must be in range. */
    const LogEntry &entry(int row) const { return rowAt(row).entry; }

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** "Sent", "Received", "Event", "Error": the Direction column in words. */
    static QString directionName(const LogEntry &entry);
    /** The Preview column's text for an entry (also used by the filter and by copy actions). */
    static QString previewText(const LogEntry &entry);

protected:
    void onCleared() override;

private:
    QString displayText(const Detail::MessageLogRow &row, int column) const;

    qint64 m_lastTimestampMs = 0;
    bool m_hasLast = false;
};

} // namespace Wsw::Ui
