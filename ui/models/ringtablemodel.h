#pragma once

#include <QAbstractTableModel>
#include <QTimer>

#include "models/boundedring.h"

namespace Wsw::Ui {

/**
 * What MessageLogModel and FrameLogModel share: rows kept in a bounded ring, appended in batches.
 *
 * append() only puts a row in a pending list and starts a single-shot timer; when it fires
 * (FlushInterval, so at most ~60 model updates a second however fast rows arrive) flush() removes
 * the rows that no longer fit with one beginRemoveRows() and then inserts the batch with one
 * beginInsertRows(). Removing *before* inserting is deliberate: inserting into a full ring and
 * trimming afterwards would announce rows that are already gone ("ghost rows", as qBittorrent's
 * logmodel.cpp warns). The pending list is bounded by the capacity too, so a burst larger than
 * the capacity drops its oldest rows before they are ever shown and memory stays bounded.
 *
 * The class does not know the row type; RingTableModelT<Row> below holds the storage.
 */
class RingTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RingTableModel)

public:
    static constexpr qsizetype DefaultCapacity = 100'000;
    static constexpr int FlushIntervalMs = 16;

    int rowCount(const QModelIndex &parent = {}) const override;

    qsizetype capacity() const { return m_capacity; }
    /** At least 1, at most INT_MAX. Trims the oldest rows at once when there are more (rowsDiscarded is emitted). */
    void setCapacity(qsizetype capacity);
    /** Rows dropped to respect the capacity since construction or the last clear(). */
    quint64 discardedCount() const { return m_discarded; }
    /** Rows appended but not yet in the model (they arrive with the next flush). */
    qsizetype pendingCount() const { return storedPendingCount(); }
    /** Puts the pending rows in the model now (tests, and the UI before it reads the model). */
    void flush();
    /** Removes every row, the pending ones too; sequence numbers and discardedCount() restart. */
    void clear();

Q_SIGNALS:
    /** Old rows were dropped to respect the capacity; totalDiscarded is discardedCount(). */
    void rowsDiscarded(quint64 totalDiscarded);

protected:
    explicit RingTableModel(QObject *parent);

    /** The next sequence number (1, 2, 3 …). */
    quint64 takeSequence() { return ++m_lastSequence; }
    /** Call after adding to the pending list; droppedPending says a pending row made room for it. */
    void onPendingAdded(bool droppedPending);

    // The storage, implemented by RingTableModelT<Row>.
    virtual qsizetype storedRowCount() const = 0;
    virtual qsizetype storedPendingCount() const = 0;
    virtual void dropOldestRows(qsizetype n) = 0;
    virtual void commitPending() = 0;
    /** Empties rows and pending; releases their storage. */
    virtual void clearStorage() = 0;
    /** Returns how many pending rows went (the rows are trimmed by the caller before). */
    virtual qsizetype setStorageCapacity(qsizetype capacity) = 0;
    /** Called by clear() after the rows went, for a subclass's own state. */
    virtual void onCleared() {}

private:
    void addDiscarded(quint64 n);

    QTimer m_flushTimer;
    qsizetype m_capacity = DefaultCapacity;
    quint64 m_discarded = 0;
    quint64 m_pendingDropped = 0; // dropped from the pending list, reported at the next flush
    quint64 m_lastSequence = 0;
};

/** RingTableModel with its storage: the shown rows and the pending ones, both BoundedRing<Row>. */
template <typename Row>
class RingTableModelT : public RingTableModel
{
public:
    /** The row, 0 being the oldest still kept. */
    const Row &rowAt(int row) const { return m_rows.at(row); }

protected:
    explicit RingTableModelT(QObject *parent)
        : RingTableModel(parent)
        , m_rows(DefaultCapacity)
        , m_pending(DefaultCapacity)
    {
    }

    void enqueue(Row row) { onPendingAdded(m_pending.pushBack(std::move(row))); }

    qsizetype storedRowCount() const override { return m_rows.size(); }
    qsizetype storedPendingCount() const override { return m_pending.size(); }
    void dropOldestRows(qsizetype n) override { m_rows.popFront(n); }
    void commitPending() override
    {
        m_pending.drainInto([this](Row &&row) { m_rows.pushBack(std::move(row)); });
        // keep the pending storage for the next batch unless a burst made it large
        if (m_pending.storageSize() > PendingStorageKept)
            m_pending.clear(true);
    }
    void clearStorage() override
    {
        m_rows.clear(true);
        m_pending.clear(true);
    }
    qsizetype setStorageCapacity(qsizetype capacity) override
    {
        m_rows.setCapacity(capacity);
        return m_pending.setCapacity(capacity);
    }

private:
    static constexpr qsizetype PendingStorageKept = 4096;

    BoundedRing<Row> m_rows;
    BoundedRing<Row> m_pending;
};

} // namespace Wsw::Ui
