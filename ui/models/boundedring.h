#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include <QtGlobal>

namespace Wsw::Ui {

/**
 * A first-in first-out ring of at most capacity() values, oldest at index 0. Storage grows as
 * values arrive (an empty ring of capacity 100 000 costs nothing) and never beyond capacity().
 * Values that leave the ring are reset to T{} at once, so a large payload is freed when its row
 * goes, not when its slot is next overwritten.
 */
template <typename T>
class BoundedRing
{
public:
    explicit BoundedRing(qsizetype capacity)
        : m_capacity(std::max<qsizetype>(capacity, 1))
    {
    }

    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    bool isFull() const { return m_size == m_capacity; }
    qsizetype capacity() const { return m_capacity; }

    /** 0 is the oldest value. */
    const T &at(qsizetype i) const
    {
        Q_ASSERT(i >= 0 && i < m_size);
        return m_slots[slot(i)];
    }
    T &operator[](qsizetype i)
    {
        Q_ASSERT(i >= 0 && i < m_size);
        return m_slots[slot(i)];
    }
    const T &last() const { return at(m_size - 1); }

    /** Appends; when full, the oldest value is dropped first. Returns whether one was dropped. */
    bool pushBack(T value)
    {
        if (m_size == m_capacity) {
            m_slots[m_head] = std::move(value);
            m_head = (m_head + 1) % slotCount();
            return true;
        }
        if (m_size == slotCount()) { // storage full but below capacity: grow
            linearize();
            m_slots.push_back(std::move(value));
        } else {
            m_slots[slot(m_size)] = std::move(value);
        }
        ++m_size;
        return false;
    }

    /** Drops the n oldest values. */
    void popFront(qsizetype n)
    {
        n = std::min(n, m_size);
        for (qsizetype i = 0; i < n; ++i) {
            m_slots[m_head] = T{};
            m_head = (m_head + 1) % slotCount();
        }
        m_size -= n;
        if (m_size == 0)
            m_head = 0;
    }

    /** Moves every value, oldest first, into sink(T &&), and leaves the ring empty. */
    template <typename Sink>
    void drainInto(Sink &&sink)
    {
        for (qsizetype i = 0; i < m_size; ++i) {
            T &v = m_slots[slot(i)];
            sink(std::move(v));
            v = T{};
        }
        m_size = 0;
        m_head = 0;
    }

    /** Changes the capacity; the oldest values go when there are more than it. Returns how many went. */
    qsizetype setCapacity(qsizetype capacity)
    {
        capacity = std::max<qsizetype>(capacity, 1);
        const qsizetype excess = std::max<qsizetype>(m_size - capacity, 0);
        popFront(excess);
        linearize();
        m_capacity = capacity;
        if (qsizetype(m_slots.size()) > m_capacity) {
            m_slots.resize(m_size);
            m_slots.shrink_to_fit();
        }
        return excess;
    }

    /** Empties the ring. With releaseStorage, the storage goes too; otherwise it is kept for reuse. */
    void clear(bool releaseStorage = true)
    {
        if (releaseStorage) {
            std::vector<T>().swap(m_slots);
        } else {
            popFront(m_size);
        }
        m_head = 0;
        m_size = 0;
    }

    /** Slots allocated (for tests and for deciding when to give storage back). */
    qsizetype storageSize() const { return qsizetype(m_slots.size()); }

private:
    qsizetype slotCount() const { return qsizetype(m_slots.size()); }
    qsizetype slot(qsizetype i) const { return (m_head + i) % slotCount(); }
    void linearize()
    {
        if (m_head == 0)
            return;
        std::rotate(m_slots.begin(), m_slots.begin() + m_head, m_slots.end());
        m_head = 0;
    }

    std::vector<T> m_slots;
    qsizetype m_head = 0;
    qsizetype m_size = 0;
    qsizetype m_capacity;
};

} // namespace Wsw::Ui
