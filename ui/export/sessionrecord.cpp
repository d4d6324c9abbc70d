#include "export/sessionrecord.h"

#include <algorithm>

#include "codec/httpauth.h"
#include "models/framelogmodel.h"
#include "models/messagelogmodel.h"
#include "session.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

bool isCookieHeader(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return false;
    const QByteArray name = line.first(colon).trimmed().toByteArray().toLower();
    return name == "cookie" || name == "set-cookie";
}

} // namespace

qint64 SessionRecord::firstTimestampMs() const
{
    qint64 first = 0;
    auto consider = [&first](qint64 t) {
        if (t != 0 && (first == 0 || t < first))
            first = t;
    };
    for (const LogEntry &e : entries)
        consider(e.timestampMs);
    for (const FrameInfo &f : frames)
        consider(f.timestampMs);
    return first;
}

qint64 SessionRecord::lastTimestampMs() const
{
    qint64 last = 0;
    for (const LogEntry &e : entries)
        last = std::max(last, e.timestampMs);
    for (const FrameInfo &f : frames)
        last = std::max(last, f.timestampMs);
    return last;
}

int SessionRecord::messageCount() const
{
    return int(std::count_if(entries.cbegin(), entries.cend(),
                             [](const LogEntry &e) { return e.kind == LogEntry::Kind::Message; }));
}

QString exportAppVersion()
{
#ifdef WSW_APP_VERSION
    return QStringLiteral(WSW_APP_VERSION);
#else
    return u"unknown"_s;
#endif
}

QByteArray redactHeaderBlock(QByteArrayView raw)
{
    const QByteArray authRedacted = Codec::redactCredentials(raw);
    QByteArray out;
    out.reserve(authRedacted.size());
    qsizetype start = 0;
    while (start < authRedacted.size()) {
        qsizetype end = authRedacted.indexOf('\n', start);
        end = end < 0 ? authRedacted.size() : end + 1;
        const QByteArrayView line = QByteArrayView(authRedacted).sliced(start, end - start);
        if (isCookieHeader(line)) {
            const qsizetype colon = line.indexOf(':');
            const QByteArrayView ending = line.endsWith("\r\n") ? "\r\n" : line.endsWith('\n') ? "\n" : "";
            out += line.first(colon + 1);
            out += " \xe2\x80\xb9redacted\xe2\x80\xba"; // ‹redacted›
            out += ending;
        } else {
            out += line;
        }
        start = end;
    }
    return out;
}

HandshakeTranscript redactedTranscript(const HandshakeTranscript &transcript)
{
    HandshakeTranscript t = transcript;
    t.request = redactHeaderBlock(t.request);
    t.responseHeaders = redactHeaderBlock(t.responseHeaders);
    for (HandshakeAttempt &a : t.earlierAttempts) {
        a.request = redactHeaderBlock(a.request);
        a.responseHeaders = redactHeaderBlock(a.responseHeaders);
    }
    return t;
}

QUrl withoutCredentials(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo);
}

SessionRecord redactedForExport(const SessionRecord &record)
{
    SessionRecord r = record; // the lists are shared, not copied
    r.url = withoutCredentials(r.url);
    r.handshake = redactedTranscript(r.handshake);
    return r;
}

SessionRecord takeRecord(const QUrl &url, const HandshakeTranscript &handshake, MessageLogModel *messages,
                         FrameLogModel *frames)
{
    SessionRecord record;
    record.url = withoutCredentials(url);
    record.exportedAtMs = QDateTime::currentMSecsSinceEpoch();
    record.appVersion = exportAppVersion();
    record.handshake = redactedTranscript(handshake);
    if (messages) {
        messages->flush();
        const int rows = messages->rowCount();
        record.entries.reserve(rows);
        for (int row = 0; row < rows; ++row)
            record.entries.append(messages->entry(row));
        record.messagesDiscarded = messages->discardedCount();
    }
    if (frames) {
        frames->flush();
        const int rows = frames->rowCount();
        record.frames.reserve(rows);
        for (int row = 0; row < rows; ++row)
            record.frames.append(frames->frame(row));
        record.framesDiscarded = frames->discardedCount();
    }
    return record;
}

SessionRecord takeRecord(Session &session)
{
    return takeRecord(session.url(), session.handshake(), session.messageLog(), session.frameLog());
}

bool sameEntry(const LogEntry &a, const LogEntry &b)
{
    return a.timestampMs == b.timestampMs && a.kind == b.kind && a.direction == b.direction
            && (a.kind != LogEntry::Kind::Message || a.type == b.type) && a.data == b.data && a.text == b.text
            && a.compressed == b.compressed;
}

bool sameFrame(const FrameInfo &a, const FrameInfo &b)
{
    return a.direction == b.direction && a.opcode == b.opcode && a.fin == b.fin && a.rsv1 == b.rsv1
            && a.rsv2 == b.rsv2 && a.rsv3 == b.rsv3 && a.masked == b.masked && a.maskKey == b.maskKey
            && a.payloadLength == b.payloadLength && a.uncompressedLength == b.uncompressedLength
            && a.timestampMs == b.timestampMs && a.payloadHead == b.payloadHead;
}

} // namespace Wsw::Ui
