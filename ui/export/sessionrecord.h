#pragma once

#include <QList>
#include <QString>
#include <QUrl>

#include "api/frameinfo.h"
#include "models/logentry.h"

namespace Wsw::Ui {

class FrameLogModel;
class MessageLogModel;
class Session;

/**
 * What a session's log holds, as a plain value: the thing that is exported to a file and read
 * back for the read-only view. Messages, events and errors are LogEntry values in log order,
 * each with its original time; frames are FrameInfo values as the frame inspector had them.
 * Credentials never appear: the URL has no user info and the handshake is redacted
 * (redactedTranscript()) before a record leaves takeRecord().
 */
struct SessionRecord {
    QUrl url;
    qint64 exportedAtMs = 0;       // ms since the epoch
    QString appVersion;            // of the program that wrote the record
    HandshakeTranscript handshake; // redacted
    QList<LogEntry> entries;       // messages, events and errors, oldest first (sequence 1, 2, 3 …)
    QList<FrameInfo> frames;       // oldest first
    quint64 messagesDiscarded = 0; // rows the bounded log had dropped before the export
    quint64 framesDiscarded = 0;

    /** The earliest time of an entry or frame; 0 when there is none. */
    qint64 firstTimestampMs() const;
    /** The latest time of an entry or frame; 0 when there is none. */
    qint64 lastTimestampMs() const;
    int messageCount() const;
};

/** The version string written into exported files ("0.1.0"). */
QString exportAppVersion();

/**
 * Takes the record from the models as they are now (pending rows are flushed first), with the
 * URL's user info removed and the transcript redacted.
 */
SessionRecord takeRecord(const QUrl &url, const HandshakeTranscript &handshake, MessageLogModel *messages,
                         FrameLogModel *frames);
/** The same from a Session: its URL, handshake, message log and frame log. */
SessionRecord takeRecord(Session &session);

/**
 * A header block (request or response) with the values of Authorization and
 * Proxy-Authorization replaced but their scheme kept (Codec::redactCredentials), and the values
 * of Cookie and Set-Cookie replaced whole: "Cookie: ‹redacted›". Line endings are kept.
 */
QByteArray redactHeaderBlock(QByteArrayView raw);
/** Every request and response header block of the transcript through redactHeaderBlock(). */
HandshakeTranscript redactedTranscript(const HandshakeTranscript &transcript);
/** The URL without user name and password (they are credentials). */
QUrl withoutCredentials(const QUrl &url);

/**
 * The record with its URL and transcript redacted again: what the writers put in a file, so a
 * record that did not come from takeRecord() cannot leak either (redacting twice changes nothing).
 */
SessionRecord redactedForExport(const SessionRecord &record);

/** Whether two entries hold the same facts (the sequence aside): what an export → import keeps. */
bool sameEntry(const LogEntry &a, const LogEntry &b);
bool sameFrame(const FrameInfo &a, const FrameInfo &b);

} // namespace Wsw::Ui
