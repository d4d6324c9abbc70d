#pragma once

#include <optional>

#include <QStringList>

#include "export/sessionrecord.h"

namespace Wsw::Ui {

class Session;

/** The two file formats a session's log is exported to and imported from. */
enum class SessionLogFormat : quint8 {
    JsonLines, // our own: a header line, one object per line, a closing line
    Har,       // HAR 1.2 as Chrome DevTools writes WebSocket traffic, plus our "_wsworkbench" extension
};

/** What an import refuses to read: a log is not worth more memory than this. */
struct SessionReadLimits {
    qint64 maxFileBytes = qint64(2) << 30; // 2 GiB
    qint64 maxLineBytes = qint64(1) << 30; // 1 GiB (JSON Lines)
};

/** What an import gives: the record, or an error in words (with the line for JSON Lines). */
struct SessionImport {
    std::optional<SessionRecord> record;
    SessionLogFormat format = SessionLogFormat::JsonLines;
    QString error;
    /** Lines or entries that were skipped (an unknown kind, a HAR message that is no text or binary). */
    int skipped = 0;
    /** One sentence per thing skipped or doubtful (at most MaxWarnings; skipped counts them all). */
    QStringList warnings;

    static constexpr qsizetype MaxWarnings = 20;
    bool ok() const { return record.has_value(); }
    void warn(const QString &text)
    {
        ++skipped;
        if (warnings.size() < MaxWarnings)
            warnings << text;
    }
};

/** Writes the record to path (atomically: a QSaveFile). False with *error in words. */
bool writeSessionLog(const SessionRecord &record, const QString &path, SessionLogFormat format, QString *error);

/** File ▸ Export log as …: takeRecord(session), then writeSessionLog(). */
bool exportSessionLog(Session &session, const QString &path, SessionLogFormat format, QString *error);

/**
 * File ▸ Import log…: reads either format, told apart by the content (a first line with
 * "format": "wsworkbench-session" is JSON Lines, anything else is read as HAR).
 */
SessionImport importSessionLog(const QString &path, const SessionReadLimits &limits = {});

/** The file name filter for the save dialog, e.g. "JSON Lines (*.jsonl)". */
QString sessionLogFileFilter(SessionLogFormat format);
/** The filter for the open dialog: both formats first, then each, then all files. */
QString sessionLogImportFilter();
/** A name to offer in the save dialog: "wsworkbench-127.0.0.1-8765-20261207-122344.jsonl" (local time). */
QString suggestedSessionLogFileName(const QUrl &url, qint64 timeMs, SessionLogFormat format);

} // namespace Wsw::Ui
