#include "models/messagelogfiltermodel.h"

#include "models/messagelogmodel.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

MessageLogFilterModel::MessageLogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

MessageLogFilterModel::~MessageLogFilterModel() = default;

void MessageLogFilterModel::setSourceModel(QAbstractItemModel *sourceModel)
{
    m_log = qobject_cast<MessageLogModel *>(sourceModel);
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void MessageLogFilterModel::setShowSent(bool show)
{
    if (std::exchange(m_showSent, show) != show)
        invalidateFilter();
}

void MessageLogFilterModel::setShowReceived(bool show)
{
    if (std::exchange(m_showReceived, show) != show)
        invalidateFilter();
}

void MessageLogFilterModel::setShowEvents(bool show)
{
    if (std::exchange(m_showEvents, show) != show)
        invalidateFilter();
}

void MessageLogFilterModel::setTypeFilter(TypeFilter filter)
{
    if (std::exchange(m_typeFilter, filter) != filter)
        invalidateFilter();
}

bool MessageLogFilterModel::setTextFilter(const QString &pattern, bool regex, QString *error)
{
    if (regex && !pattern.isEmpty()) {
        QRegularExpression re(pattern);
        if (!re.isValid()) {
            if (error) {
                *error = tr("%1 at offset %2").arg(re.errorString()).arg(re.patternErrorOffset());
            }
            return false;
        }
        if (m_regexMode && pattern == m_pattern)
            return true;
        re.optimize();
        m_regex = std::move(re);
    } else {
        if (!m_regexMode && pattern == m_pattern)
            return true;
        m_regex = QRegularExpression();
        // the skip table is built once: QStringView::contains() would fold every character of
        // every row it tries (about 8x slower on a 64-character message)
        m_matcher.setPattern(pattern);
    }
    const bool wasActive = !m_pattern.isEmpty();
    m_pattern = pattern;
    m_regexMode = regex;
    if (wasActive || !pattern.isEmpty())
        invalidateFilter();
    return true;
}

bool MessageLogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_log || sourceModel() != m_log)
        return true;
    return accepts(m_log->entry(sourceRow));
}

bool MessageLogFilterModel::accepts(const LogEntry &entry) const
{
    switch (entry.kind) {
    case LogEntry::Kind::Message:
        if (entry.direction == LogEntry::Direction::Sent && !m_showSent)
            return false;
        if (entry.direction == LogEntry::Direction::Received && !m_showReceived)
            return false;
        if (m_typeFilter == TypeFilter::Text && entry.type != SocketMessageType::Utf8)
            return false;
        if (m_typeFilter == TypeFilter::Binary && entry.type != SocketMessageType::Binary)
            return false;
        break;
    case LogEntry::Kind::Event:
        if (!m_showEvents)
            return false;
        break;
    case LogEntry::Kind::Error:
        break;
    }
    return m_pattern.isEmpty() || textMatches(entry);
}

bool MessageLogFilterModel::textMatches(const LogEntry &entry) const
{
    if (entry.kind != LogEntry::Kind::Message)
        return matches(entry.text);
    const bool found = matches(entry.type == SocketMessageType::Utf8 ? decodeUtf8(entry.data) : hexOf(entry.data));
    // a huge message needs a huge buffer; do not keep it for the small ones that follow
    if (m_buffer.size() > ScratchKept)
        m_buffer = QString();
    return found;
}

bool MessageLogFilterModel::matches(QStringView subject) const
{
    if (m_regexMode)
        return m_regex.match(subject).hasMatch();
    return m_matcher.indexIn(subject) >= 0;
}

QStringView MessageLogFilterModel::decodeUtf8(QByteArrayView bytes) const
{
    m_decoder.resetState();
    const qsizetype needed = m_decoder.requiredSpace(bytes.size());
    if (m_buffer.size() < needed)
        m_buffer.resize(needed);
    QChar *begin = m_buffer.data();
    QChar *end = m_decoder.appendToBuffer(begin, bytes);
    return QStringView(begin, end - begin);
}

QStringView MessageLogFilterModel::hexOf(QByteArrayView bytes) const
{
    static constexpr char16_t digits[] = u"0123456789abcdef";
    const qsizetype needed = bytes.isEmpty() ? 0 : 3 * bytes.size() - 1;
    if (m_buffer.size() < needed)
        m_buffer.resize(needed);
    QChar *out = m_buffer.data();
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto b = quint8(bytes[i]);
        if (i > 0)
            *out++ = u' ';
        *out++ = QChar(digits[b >> 4]);
        *out++ = QChar(digits[b & 0xf]);
    }
    return QStringView(m_buffer.constData(), needed);
}

} // namespace Wsw::Ui
