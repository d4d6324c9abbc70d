#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "savedmessage.h"

namespace Wsw::Ui {

/**
 * The saved messages, one row each in the user's order: name (editable in place), type, size
 * and a one-line preview. Persistence lives elsewhere: it reads messages(), loads with
 * setMessages() and saves on changed().
 */
class SavedMessagesModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SavedMessagesModel)

public:
    enum Column : int {
        Name,    // editable; an empty name is refused
        Type,    // Text / Binary
        Size,    // bytes (a number, for sorting); ToolTip "1.0 KiB (1024 bytes)"
        Preview, // text on one line, or hex for binary
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        PayloadRole = Qt::UserRole, // QByteArray: the message bytes, whole
        MessageTypeRole,            // SocketMessageType
    };
    Q_ENUM(Role)

    /** Characters of a message shown in the Preview column before " …". */
    static constexpr qsizetype PreviewChars = 120;

    explicit SavedMessagesModel(QObject *parent = nullptr);

    QList<SavedMessage> messages() const { return m_messages; }
    /** Replaces every row (a load from settings): resets the model, no changed(). */
    void setMessages(const QList<SavedMessage> &messages);
    /** The message in row; row must be in range. */
    const SavedMessage &message(int row) const { return m_messages.at(row); }

    /** Appends a message and returns its row; -1 (and editRefused) when its name is empty. */
    int add(const SavedMessage &message);
    /** Replaces the message in row (name, type and bytes); false for a bad row or an empty name. */
    bool replace(int row, const SavedMessage &message);
    bool remove(int row);
    /** Swaps the row with the one above / below; false at the edge. */
    bool moveUp(int row);
    bool moveDown(int row);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    /** The Name column only; an empty (or blank) name is refused with editRefused(). */
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    static QString typeName(SocketMessageType type);

Q_SIGNALS:
    /** The user's list changed (added, replaced, renamed, removed, moved): time to save it. */
    void changed();
    /** An edit was refused; the text says why (for the panel's status line). */
    void editRefused(const QString &reason);

private:
    bool isRow(int row) const { return row >= 0 && row < m_messages.size(); }
    bool refuseEmptyName(const QString &name);
    bool moveRow(int from, int to);

    QList<SavedMessage> m_messages;
};

} // namespace Wsw::Ui
