#include "models/messagelogmodel.h"

#include <QDateTime>

#include "format/messageformat.h"
#include "theme.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

QString deltaText(qint64 deltaMs)
{
    if (deltaMs == Detail::MessageLogRow::NoDelta)
        return {};
    if (deltaMs < 0) // the clock went back
        return Format::duration(deltaMs);
    return u'+' + Format::duration(deltaMs);
}

QString directionGlyph(const LogEntry &e)
{
    switch (e.kind) {
    case LogEntry::Kind::Event:
        return u"•"_s;
    case LogEntry::Kind::Error:
        return u"!"_s;
    case LogEntry::Kind::Message:
        break;
    }
    switch (e.direction) {
    case LogEntry::Direction::Sent:
        return u"↑"_s;
    case LogEntry::Direction::Received:
        return u"↓"_s;
    case LogEntry::Direction::None:
        break;
    }
    return u"•"_s;
}

QString typeName(const LogEntry &e)
{
    switch (e.kind) {
    case LogEntry::Kind::Event:
        return MessageLogModel::tr("Event");
    case LogEntry::Kind::Error:
        return MessageLogModel::tr("Error");
    case LogEntry::Kind::Message:
        break;
    }
    return e.type == SocketMessageType::Utf8 ? MessageLogModel::tr("Text") : MessageLogModel::tr("Binary");
}

QColor foreground(const LogEntry &e)
{
    switch (e.kind) {
    case LogEntry::Kind::Event:
        return Theme::eventColor();
    case LogEntry::Kind::Error:
        return Theme::errorColor();
    case LogEntry::Kind::Message:
        break;
    }
    return e.direction == LogEntry::Direction::Sent ? Theme::sentColor() : Theme::receivedColor();
}

} // namespace

MessageLogModel::MessageLogModel(QObject *parent)
    : RingTableModelT(parent)
{
}

quint64 MessageLogModel::append(LogEntry entry)
{
    const quint64 sequence = takeSequence();
    entry.sequence = sequence;
    const qint64 delta = m_hasLast ? entry.timestampMs - m_lastTimestampMs : Detail::MessageLogRow::NoDelta;
    m_lastTimestampMs = entry.timestampMs;
    m_hasLast = true;
    enqueue({std::move(entry), delta});
    return sequence;
}

void MessageLogModel::onCleared()
{
    m_hasLast = false;
    m_lastTimestampMs = 0;
}

int MessageLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MessageLogModel::directionName(const LogEntry &e)
{
    switch (e.kind) {
    case LogEntry::Kind::Event:
        return tr("Event");
    case LogEntry::Kind::Error:
        return tr("Error");
    case LogEntry::Kind::Message:
        break;
    }
    switch (e.direction) {
    case LogEntry::Direction::Sent:
        return tr("Sent");
    case LogEntry::Direction::Received:
        return tr("Received");
    case LogEntry::Direction::None:
        break;
    }
    return tr("Event");
}

QString MessageLogModel::previewText(const LogEntry &e)
{
    if (e.kind != LogEntry::Kind::Message)
        return e.text;
    // Only a prefix can reach the preview: at most 4 UTF-8 bytes (or 1/3 of a hex byte) per
    // character. Taking one more than that keeps the " …" of a longer message, and a 1 MiB
    // message costs no more than a short one.
    const QByteArrayView head = QByteArrayView(e.data).first(std::min(e.data.size(), 4 * PreviewChars + 4));
    return Format::messagePreview(head, e.isText(), PreviewChars);
}

QString MessageLogModel::displayText(const Detail::MessageLogRow &row, int column) const
{
    const LogEntry &e = row.entry;
    switch (column) {
    case Sequence:
        return QString::number(e.sequence);
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.timestampMs).toString(u"hh:mm:ss.zzz"_s);
    case Delta:
        return deltaText(row.deltaMs);
    case Direction:
        return directionGlyph(e);
    case Type:
        return typeName(e);
    case Size:
        return e.kind == LogEntry::Kind::Message ? QString::number(e.data.size()) : QString();
    case Preview:
        return previewText(e);
    default:
        return {};
    }
}

QVariant MessageLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Detail::MessageLogRow &row = rowAt(index.row());
    const LogEntry &e = row.entry;
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        if (column == Size) {
            if (e.kind != LogEntry::Kind::Message)
                return {};
            return qlonglong(e.data.size());
        }
        return displayText(row, column);
    case Qt::AccessibleTextRole:
        switch (column) {
        case Direction:
            return directionName(e);
        case Size:
            return e.kind == LogEntry::Kind::Message ? tr("%1 bytes").arg(e.data.size()) : QString();
        default:
            return displayText(row, column);
        }
    case Qt::ToolTipRole:
        switch (column) {
        case Direction:
            return directionName(e);
        case Type:
            if (e.kind == LogEntry::Kind::Message && e.compressed)
                return tr("%1, compressed (permessage-deflate)").arg(typeName(e));
            return {};
        case Size:
            if (e.kind != LogEntry::Kind::Message)
                return {};
            return tr("%1 (%2 bytes)").arg(Format::byteSize(quint64(e.data.size()))).arg(e.data.size());
        case Time:
            return QDateTime::fromMSecsSinceEpoch(e.timestampMs).toString(Qt::ISODateWithMs);
        case Preview:
            if (e.kind == LogEntry::Kind::Message && !e.text.isEmpty())
                return e.text; // the note
            return {};
        default:
            return {};
        }
    case Qt::ForegroundRole:
        return foreground(e);
    case Qt::TextAlignmentRole:
        switch (column) {
        case Sequence:
        case Delta:
        case Size:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        case Direction:
            return QVariant::fromValue(Qt::AlignCenter);
        default:
            return {};
        }
    case RawBytesRole:
        return e.data;
    case KindRole:
        return QVariant::fromValue(e.kind);
    case DirectionRole:
        return QVariant::fromValue(e.direction);
    case MessageTypeRole:
        return QVariant::fromValue(e.type);
    case TimestampRole:
        return e.timestampMs;
    case SequenceRole:
        return e.sequence;
    default:
        return {};
    }
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Sequence: return tr("#");
        case Time: return tr("Time");
        case Delta: return tr("Δt");
        case Direction: return tr("Dir");
        case Type: return tr("Type");
        case Size: return tr("Size");
        case Preview: return tr("Message");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole || role == Qt::AccessibleTextRole) {
        switch (section) {
        case Sequence: return tr("Sequence number");
        case Time: return tr("Local time");
        case Delta: return tr("Time since the row before");
        case Direction: return tr("Direction");
        case Type: return tr("Type");
        case Size: return tr("Size in bytes");
        case Preview: return tr("Message");
        default: return {};
        }
    }
    return {};
}

} // namespace Wsw::Ui
