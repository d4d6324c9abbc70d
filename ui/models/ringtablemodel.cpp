#include "models/ringtablemodel.h"

#include <limits>

namespace Wsw::Ui {

RingTableModel::RingTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &RingTableModel::flush);
}

int RingTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(storedRowCount());
}

void RingTableModel::onPendingAdded(bool droppedPending)
{
    if (droppedPending)
        ++m_pendingDropped;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void RingTableModel::flush()
{
    m_flushTimer.stop();
    const qsizetype pending = storedPendingCount();
    if (pending == 0) {
        addDiscarded(std::exchange(m_pendingDropped, 0));
        return;
    }
    // Make room first, then insert: never announce rows that are trimmed right after.
    const qsizetype rows = storedRowCount();
    const qsizetype overflow = std::min(rows, std::max<qsizetype>(rows + pending - m_capacity, 0));
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow - 1));
        dropOldestRows(overflow);
        endRemoveRows();
    }
    const int first = int(storedRowCount());
    beginInsertRows({}, first, int(first + pending - 1));
    commitPending();
    endInsertRows();
    addDiscarded(quint64(overflow) + std::exchange(m_pendingDropped, 0));
}

void RingTableModel::setCapacity(qsizetype capacity)
{
    capacity = std::clamp<qsizetype>(capacity, 1, std::numeric_limits<int>::max()); // rows are ints
    if (capacity == m_capacity)
        return;
    const qsizetype rows = storedRowCount();
    const qsizetype excess = std::max<qsizetype>(rows - capacity, 0);
    if (excess > 0) {
        beginRemoveRows({}, 0, int(excess - 1));
        dropOldestRows(excess);
        endRemoveRows();
    }
    m_capacity = capacity;
    const qsizetype droppedPending = setStorageCapacity(capacity);
    addDiscarded(quint64(excess) + quint64(droppedPending));
}

void RingTableModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    clearStorage();
    m_discarded = 0;
    m_pendingDropped = 0;
    m_lastSequence = 0;
    onCleared();
    endResetModel();
}

void RingTableModel::addDiscarded(quint64 n)
{
    if (n == 0)
        return;
    m_discarded += n;
    Q_EMIT rowsDiscarded(m_discarded);
}

} // namespace Wsw::Ui
