#include "models/savedmessagesmodel.h"

#include "format/messageformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

SavedMessagesModel::SavedMessagesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SavedMessagesModel::setMessages(const QList<SavedMessage> &messages)
{
    beginResetModel();
    m_messages = messages;
    endResetModel();
}

bool SavedMessagesModel::refuseEmptyName(const QString &name)
{
    if (!name.trimmed().isEmpty())
        return false;
    Q_EMIT editRefused(tr("A saved message needs a name"));
    return true;
}

int SavedMessagesModel::add(const SavedMessage &message)
{
    if (refuseEmptyName(message.name))
        return -1;
    const int row = int(m_messages.size());
    beginInsertRows({}, row, row);
    m_messages.append(message);
    m_messages.last().name = message.name.trimmed();
    endInsertRows();
    Q_EMIT changed();
    return row;
}

bool SavedMessagesModel::replace(int row, const SavedMessage &message)
{
    if (!isRow(row) || refuseEmptyName(message.name))
        return false;
    m_messages[row] = message;
    m_messages[row].name = message.name.trimmed();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT changed();
    return true;
}

bool SavedMessagesModel::remove(int row)
{
    if (!isRow(row))
        return false;
    beginRemoveRows({}, row, row);
    m_messages.removeAt(row);
    endRemoveRows();
    Q_EMIT changed();
    return true;
}

bool SavedMessagesModel::moveUp(int row)
{
    return moveRow(row, row - 1);
}

bool SavedMessagesModel::moveDown(int row)
{
    return moveRow(row, row + 1);
}

bool SavedMessagesModel::moveRow(int from, int to)
{
    if (!isRow(from) || !isRow(to))
        return false;
    // beginMoveRows() names the row *before which* the moved row lands: one further when moving down
    if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to))
        return false;
    m_messages.move(from, to);
    endMoveRows();
    Q_EMIT changed();
    return true;
}

int SavedMessagesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

int SavedMessagesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SavedMessagesModel::typeName(SocketMessageType type)
{
    return type == SocketMessageType::Utf8 ? tr("Text") : tr("Binary");
}

QVariant SavedMessagesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SavedMessage &m = m_messages.at(index.row());
    const bool isText = m.type == SocketMessageType::Utf8;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case Name:
            return m.name;
        case Type:
            return typeName(m.type);
        case Size:
            return qlonglong(m.payload.size());
        case Preview: {
            // only a prefix can reach the preview (4 UTF-8 bytes per character at most)
            const QByteArrayView head = QByteArrayView(m.payload).first(std::min(m.payload.size(), 4 * PreviewChars + 4));
            return Format::messagePreview(head, isText, PreviewChars);
        }
        default:
            return {};
        }
    case Qt::AccessibleTextRole:
        if (index.column() == Size)
            return tr("%1 bytes").arg(m.payload.size());
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Name:
            return tr("Double-click or Enter sends it; F2 renames it");
        case Size:
            return tr("%1 (%2 bytes)").arg(Format::byteSize(quint64(m.payload.size()))).arg(m.payload.size());
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == Size)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PayloadRole:
        return m.payload;
    case MessageTypeRole:
        return QVariant::fromValue(m.type);
    default:
        return {};
    }
}

QVariant SavedMessagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Type:
        return tr("Type");
    case Size:
        return tr("Size");
    case Preview:
        return tr("Preview");
    default:
        return {};
    }
}

Qt::ItemFlags SavedMessagesModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Name)
        f |= Qt::ItemIsEditable;
    return f;
}

bool SavedMessagesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || index.column() != Name
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString name = value.toString();
    if (refuseEmptyName(name))
        return false;
    QString &current = m_messages[index.row()].name;
    if (current == name.trimmed())
        return true;
    current = name.trimmed();
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole, Qt::AccessibleTextRole});
    Q_EMIT changed();
    return true;
}

} // namespace Wsw::Ui
