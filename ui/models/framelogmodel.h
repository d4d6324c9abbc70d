#pragma once

#include "api/frameinfo.h"
#include "models/ringtablemodel.h"

namespace Wsw::Ui {

namespace Detail {
struct FrameLogRow {
    FrameInfo frame;
    quint64 sequence = 0;
};
} // namespace Detail

/**
 * The frame inspector's table: one row per frame as FrameInfo reports it, oldest first. Bounded
 * and batched exactly as MessageLogModel (RingTableModel).
 */
class FrameLogModel final : public RingTableModelT<Detail::FrameLogRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameLogModel)

public:
    enum Column : int {
        Sequence,          // #
        Time,              // hh:mm:ss.zzz, local time
        Direction,         // ↑ sent / ↓ received (in words in ToolTip and AccessibleTextRole)
        Opcode,            // Continuation, Text, Binary, Close, Ping, Pong, or 0x3 … for reserved ones
        Fin,               // 1 / 0
        Rsv1,
        Rsv2,
        Rsv3,
        Mask,              // the key as 8 hex digits, or "—" when unmasked
        PayloadLength,     // as on the wire (a number)
        InflatedLength,    // the bytes once inflated, or "—"
        Payload,           // hex of payloadHead, "…" when the payload is longer
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        RawBytesRole = Qt::UserRole, // QByteArray: FrameInfo::payloadHead
        OpcodeRole,                  // quint8
        DirectionRole,               // FrameDirection
        TimestampRole,               // qint64 ms since the epoch
        SequenceRole,                // quint64
    };
    Q_ENUM(Role)

    explicit FrameLogModel(QObject *parent = nullptr);

    /** Queues the frame for the next flush; returns its sequence number. */
    quint64 append(const FrameInfo &frame);
    /** The frame shown in the row (0 = oldest kept); row must be in range. */
    const FrameInfo &frame(int row) const { return rowAt(row).frame; }

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** "Continuation", "Text", "Binary", "Close", "Ping", "Pong", or "0x3" for a reserved opcode. */
    static QString opcodeName(quint8 opcode);

private:
    QString displayText(const Detail::FrameLogRow &row, int column) const;
};

} // namespace Wsw::Ui
