#include "models/framelogmodel.h"

#include <QDateTime>
#include <QtEndian>

#include "format/messageformat.h"
#include "theme.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

constexpr quint8 CloseOpcode = 0x8;

QString bit(bool set)
{
    return set ? u"1"_s : u"0"_s;
}

QString directionName(FrameDirection d)
{
    return d == FrameDirection::Outgoing ? FrameLogModel::tr("Sent") : FrameLogModel::tr("Received");
}

/** "1000 Normal Closure: bye" for a close frame whose code is in the head. */
QString closeSummary(const FrameInfo &f)
{
    if (f.opcode != CloseOpcode || f.payloadHead.size() < 2 || f.rsv1)
        return {};
    const quint16 code = qFromBigEndian<quint16>(f.payloadHead.constData());
    QString text = Format::closeCodeName(code);
    if (f.payloadHead.size() > 2) {
        text += u": "_s + QString::fromUtf8(QByteArrayView(f.payloadHead).sliced(2));
        if (f.payloadLength > quint64(f.payloadHead.size()))
            text += u" …"_s;
    }
    return text;
}

} // namespace

FrameLogModel::FrameLogModel(QObject *parent)
    : RingTableModelT(parent)
{
}

quint64 FrameLogModel::append(const FrameInfo &frame)
{
    const quint64 sequence = takeSequence();
    enqueue({frame, sequence});
    return sequence;
}

int FrameLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FrameLogModel::opcodeName(quint8 opcode)
{
    switch (opcode) {
    case 0x0: return tr("Continuation");
    case 0x1: return tr("Text");
    case 0x2: return tr("Binary");
    case 0x8: return tr("Close");
    case 0x9: return tr("Ping");
    case 0xA: return tr("Pong");
    default: return u"0x"_s + QString::number(opcode, 16).toUpper();
    }
}

QString FrameLogModel::displayText(const Detail::FrameLogRow &row, int column) const
{
    const FrameInfo &f = row.frame;
    switch (column) {
    case Sequence:
        return QString::number(row.sequence);
    case Time:
        return QDateTime::fromMSecsSinceEpoch(f.timestampMs).toString(u"hh:mm:ss.zzz"_s);
    case Direction:
        return f.direction == FrameDirection::Outgoing ? u"↑"_s : u"↓"_s;
    case Opcode:
        return opcodeName(f.opcode);
    case Fin:
        return bit(f.fin);
    case Rsv1:
        return bit(f.rsv1);
    case Rsv2:
        return bit(f.rsv2);
    case Rsv3:
        return bit(f.rsv3);
    case Mask:
        return f.masked ? u"%1"_s.arg(f.maskKey, 8, 16, QChar(u'0')) : u"—"_s;
    case PayloadLength:
        return QString::number(f.payloadLength);
    case InflatedLength:
        return f.uncompressedLength < 0 ? u"—"_s : QString::number(f.uncompressedLength);
    case Payload: {
        QString hex = Format::hexPreview(f.payloadHead, FramePayloadHeadBytes);
        if (f.payloadLength > quint64(f.payloadHead.size()))
            hex += hex.isEmpty() ? u"…"_s : u" …"_s;
        return hex;
    }
    default:
        return {};
    }
}

QVariant FrameLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Detail::FrameLogRow &row = rowAt(index.row());
    const FrameInfo &f = row.frame;
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, column);
    case Qt::AccessibleTextRole:
        if (column == Direction)
            return directionName(f.direction);
        return displayText(row, column);
    case Qt::ToolTipRole:
        switch (column) {
        case Direction:
            return directionName(f.direction);
        case Opcode:
            return tr("Opcode 0x%1").arg(uint(f.opcode), 1, 16);
        case Rsv1:
            return f.rsv1 ? tr("RSV1: compressed (permessage-deflate)") : QVariant();
        case PayloadLength:
            return Format::byteSize(f.payloadLength);
        case Payload: {
            const QString close = closeSummary(f);
            if (!close.isEmpty())
                return close;
            if (f.payloadLength > quint64(f.payloadHead.size()))
                return tr("The first %1 of %2 bytes").arg(f.payloadHead.size()).arg(f.payloadLength);
            return {};
        }
        default:
            return {};
        }
    case Qt::ForegroundRole:
        return f.direction == FrameDirection::Outgoing ? Theme::sentColor() : Theme::receivedColor();
    case Qt::TextAlignmentRole:
        switch (column) {
        case Sequence:
        case PayloadLength:
        case InflatedLength:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        case Direction:
        case Fin:
        case Rsv1:
        case Rsv2:
        case Rsv3:
            return QVariant::fromValue(Qt::AlignCenter);
        default:
            return {};
        }
    case RawBytesRole:
        return f.payloadHead;
    case OpcodeRole:
        return QVariant::fromValue(f.opcode);
    case DirectionRole:
        return QVariant::fromValue(f.direction);
    case TimestampRole:
        return f.timestampMs;
    case SequenceRole:
        return row.sequence;
    default:
        return {};
    }
}

QVariant FrameLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const bool tip = role == Qt::ToolTipRole;
    switch (section) {
    case Sequence: return tip ? tr("Sequence number") : tr("#");
    case Time: return tip ? tr("Local time") : tr("Time");
    case Direction: return tip ? tr("Direction") : tr("Dir");
    case Opcode: return tr("Opcode");
    case Fin: return tip ? tr("Final fragment") : tr("FIN");
    case Rsv1: return tip ? tr("RSV1 (compressed with permessage-deflate)") : tr("RSV1");
    case Rsv2: return tr("RSV2");
    case Rsv3: return tr("RSV3");
    case Mask: return tip ? tr("Masking key") : tr("Mask");
    case PayloadLength: return tip ? tr("Payload length on the wire") : tr("Payload length");
    case InflatedLength: return tip ? tr("Payload length once inflated") : tr("Inflated length");
    case Payload: return tip ? tr("First bytes of the payload (unmasked)") : tr("Payload");
    default: return {};
    }
}

} // namespace Wsw::Ui
