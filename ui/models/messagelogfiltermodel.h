#pragma once

#include <QPointer>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStringDecoder>
#include <QStringMatcher>

#include "models/logentry.h"

namespace Wsw::Ui {

class MessageLogModel;

/**
 * Filters a MessageLogModel by direction, message type and text (qBittorrent's LogFilterModel
 * shape: one filterAcceptsRow over the entry, re-run only when a setting really changes).
 *
 * - Sent / Received hide messages of that direction; Events hides Kind::Event rows. Errors are
 *   always shown (subject to the text filter): a filter must not hide why a connection failed.
 * - The type filter applies to messages only (events have no type).
 * - The text filter matches the message text of a text message, the hex ("01 ff 7e", lower
 *   case, the whole message) of a binary one, and the text of an event or error. Plain text is a
 *   case-insensitive substring; a regular expression is used as written (use (?i) to ignore case).
 *
 * Matching decodes into a buffer kept between rows, so filtering 100 000 rows allocates next to
 * nothing. The source must be a MessageLogModel; any other model is passed through unfiltered.
 */
class MessageLogFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageLogFilterModel)

public:
    enum class TypeFilter : quint8 { Any, Text, Binary };
    Q_ENUM(TypeFilter)

    explicit MessageLogFilterModel(QObject *parent = nullptr);
    ~MessageLogFilterModel() override;

    void setSourceModel(QAbstractItemModel *sourceModel) override;

    bool showSent() const { return m_showSent; }
    bool showReceived() const { return m_showReceived; }
    bool showEvents() const { return m_showEvents; }
    TypeFilter typeFilter() const { return m_typeFilter; }
    QString textFilter() const { return m_pattern; }
    bool isRegexFilter() const { return m_regexMode; }

    void setShowSent(bool show);
    void setShowReceived(bool show);
    void setShowEvents(bool show);
    void setTypeFilter(TypeFilter filter);
    /**
     * Sets the text filter; an empty pattern shows everything. An invalid regular expression
     * leaves the filter as it was, returns false and sets *error (when not null) to Qt's
     * errorString() and the offset, e.g. "missing ) at offset 4".
     */
    bool setTextFilter(const QString &pattern, bool regex, QString *error = nullptr);

    /** Whether one entry passes the current settings (what filterAcceptsRow asks for each row). */
    bool accepts(const LogEntry &entry) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool textMatches(const LogEntry &entry) const;
    bool matches(QStringView subject) const;
    QStringView decodeUtf8(QByteArrayView bytes) const;
    QStringView hexOf(QByteArrayView bytes) const;

    QPointer<MessageLogModel> m_log;
    bool m_showSent = true;
    bool m_showReceived = true;
    bool m_showEvents = true;
    TypeFilter m_typeFilter = TypeFilter::Any;
    QString m_pattern;
    bool m_regexMode = false;
    QRegularExpression m_regex;
    QStringMatcher m_matcher{QString(), Qt::CaseInsensitive}; // the plain text filter

    // scratch space reused by every row (kept while it is at most ScratchKept characters)
    static constexpr qsizetype ScratchKept = 64 * 1024;
    mutable QString m_buffer;
    mutable QStringDecoder m_decoder{QStringDecoder::Utf8};
};

} // namespace Wsw::Ui
