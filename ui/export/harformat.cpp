#include "export/harformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include "export/jsonlinesformat.h"
#include "export/recordjson.h"
#include "format/messageformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui::Har {

namespace {

struct HeaderBlock {
    QByteArray firstLine;
    QList<std::pair<QString, QString>> headers;
};

/** The start line and "Name: value" pairs of a header block (the last block when interim answers precede it). */
HeaderBlock parseHeaderBlock(const QByteArray &raw)
{
    HeaderBlock block;
    for (const QByteArray &rawLine : raw.split('\n')) {
        const QByteArray line = rawLine.endsWith('\r') ? rawLine.chopped(1) : rawLine;
        if (line.isEmpty())
            continue;
        if (line.startsWith("HTTP/") || block.firstLine.isEmpty()) {
            block = {line, {}}; // a new status line: an interim 1xx answer came before
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            block.headers.append({QString::fromUtf8(line.first(colon)).trimmed(),
                                  QString::fromUtf8(line.sliced(colon + 1)).trimmed()});
    }
    return block;
}

QJsonArray headersJson(const HeaderBlock &block)
{
    QJsonArray out;
    for (const auto &[name, value] : block.headers)
        out.append(QJsonObject{{u"name"_s, name}, {u"value"_s, value}});
    return out;
}

QString headerValue(const HeaderBlock &block, QStringView name)
{
    for (const auto &[n, v] : block.headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QJsonObject requestJson(const SessionRecord &record)
{
    const HeaderBlock block = parseHeaderBlock(record.handshake.request);
    const QList<QByteArray> requestLine = block.firstLine.split(' ');
    QJsonArray query;
    for (const auto &[name, value] : QUrlQuery(record.url).queryItems(QUrl::FullyDecoded))
        query.append(QJsonObject{{u"name"_s, name}, {u"value"_s, value}});
    return QJsonObject{
            {u"method"_s, u"GET"_s},
            {u"url"_s, record.url.toString(QUrl::FullyEncoded)},
            {u"httpVersion"_s, requestLine.size() >= 3 ? QString::fromLatin1(requestLine.last()) : u"HTTP/1.1"_s},
            {u"headers"_s, headersJson(block)},
            {u"queryString"_s, query},
            {u"cookies"_s, QJsonArray()}, // the Cookie header is redacted: nothing to list
            {u"headersSize"_s, record.handshake.request.isEmpty() ? -1 : record.handshake.request.size()},
            {u"bodySize"_s, 0},
    };
}

QJsonObject responseJson(const SessionRecord &record)
{
    const HandshakeTranscript &t = record.handshake;
    const HeaderBlock block = parseHeaderBlock(t.responseHeaders);
    const QList<QByteArray> statusLine = block.firstLine.split(' ');
    QJsonObject content{{u"size"_s, t.responseBody.size()},
                        {u"mimeType"_s, t.responseBody.isEmpty() ? u"x-unknown"_s : headerValue(block, u"Content-Type")}};
    if (!t.responseBody.isEmpty()) {
        if (Format::utf8Problem(t.responseBody).isEmpty()) {
            content[u"text"_s] = QString::fromUtf8(t.responseBody);
        } else {
            content[u"text"_s] = QString::fromLatin1(t.responseBody.toBase64());
            content[u"encoding"_s] = u"base64"_s;
        }
    }
    return QJsonObject{
            {u"status"_s, t.httpStatus},
            {u"statusText"_s, statusLine.size() >= 3 ? QString::fromUtf8(block.firstLine.sliced(
                                                               statusLine[0].size() + statusLine[1].size() + 2))
                                                     : QString()},
            {u"httpVersion"_s, statusLine.isEmpty() ? QString() : QString::fromLatin1(statusLine.first())},
            {u"headers"_s, headersJson(block)},
            {u"cookies"_s, QJsonArray()},
            {u"content"_s, content},
            {u"redirectURL"_s, QString()},
            {u"headersSize"_s, t.responseHeaders.isEmpty() ? -1 : t.responseHeaders.size()},
            {u"bodySize"_s, t.responseBody.size()},
    };
}

/** Seconds since the epoch with the milliseconds as a fraction, as Chrome writes "time". */
double epochSeconds(qint64 ms)
{
    return double(ms) / 1000.0;
}

QJsonObject extensionJson(const SessionRecord &record, qint64 origin, QJsonArray *messages)
{
    QJsonArray handshake;
    for (const RecordJson::JsonFields &attempt : RecordJson::transcriptFields(record.handshake))
        handshake.append(RecordJson::toObject(attempt));
    QJsonArray events;
    QJsonArray extras;
    for (const LogEntry &entry : record.entries) {
        if (entry.kind != LogEntry::Kind::Message) {
            QJsonObject event = RecordJson::entryToJson(entry, origin);
            event[u"afterMessages"_s] = messages->size(); // its place among the messages
            events.append(event);
            continue;
        }
        const bool textAsIs = entry.isText() && Format::utf8Problem(entry.data).isEmpty();
        messages->append(QJsonObject{
                {u"type"_s, entry.direction == LogEntry::Direction::Sent ? u"send"_s : u"receive"_s},
                {u"time"_s, epochSeconds(entry.timestampMs)},
                {u"opcode"_s, entry.isText() ? 1 : 2},
                {u"data"_s, textAsIs ? QString::fromUtf8(entry.data) : QString::fromLatin1(entry.data.toBase64())},
        });
        if ((entry.isText() && !textAsIs) || entry.compressed || !entry.text.isEmpty()) {
            QJsonObject extra{{u"index"_s, messages->size() - 1}};
            if (entry.isText() && !textAsIs)
                extra[u"dataIsBase64"_s] = true; // text that is not valid UTF-8 (sent raw)
            if (entry.compressed)
                extra[u"compressed"_s] = true;
            if (!entry.text.isEmpty())
                extra[u"note"_s] = entry.text;
            extras.append(extra);
        }
    }
    QJsonArray frames;
    for (const FrameInfo &frame : record.frames)
        frames.append(RecordJson::frameToJson(frame, origin));
    return QJsonObject{
            {u"format"_s, QString(JsonLines::FormatName)},
            {u"version"_s, JsonLines::FormatVersion},
            {u"exportedAtMs"_s, record.exportedAtMs},
            {u"appVersion"_s, record.appVersion},
            {u"messagesDiscarded"_s, qint64(record.messagesDiscarded)},
            {u"framesDiscarded"_s, qint64(record.framesDiscarded)},
            {u"messageCount"_s, messages->size()},
            {u"handshake"_s, handshake},
            {u"events"_s, events},
            {u"messageExtras"_s, extras},
            {u"frames"_s, frames},
    };
}

/** A transcript made from the HAR's headers, for a browser's file that has no raw one. */
HandshakeTranscript transcriptFromHar(const QJsonObject &request, const QJsonObject &response)
{
    HandshakeTranscript t;
    auto headerLines = [](const QJsonArray &headers) {
        QByteArray out;
        for (const QJsonValue &h : headers)
            out += h[u"name"_s].toString().toUtf8() + ": " + h[u"value"_s].toString().toUtf8() + "\r\n";
        return out;
    };
    const QUrl url(request[u"url"_s].toString());
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    const QString version = request[u"httpVersion"_s].toString(u"HTTP/1.1"_s);
    t.request = "GET " + target + ' ' + version.toUtf8() + "\r\n" + headerLines(request[u"headers"_s].toArray()) + "\r\n";
    t.httpStatus = response[u"status"_s].toInt();
    if (t.httpStatus > 0) {
        t.responseHeaders = response[u"httpVersion"_s].toString(u"HTTP/1.1"_s).toUtf8() + ' '
                + QByteArray::number(t.httpStatus) + ' ' + response[u"statusText"_s].toString().toUtf8() + "\r\n"
                + headerLines(response[u"headers"_s].toArray()) + "\r\n";
    }
    return redactedTranscript(t);
}

bool isWebSocketEntry(const QJsonObject &entry)
{
    if (entry[u"_resourceType"_s].toString() == u"websocket" || entry.contains(u"_webSocketMessages"_s))
        return true;
    const QString scheme = QUrl(entry[u"request"_s][u"url"_s].toString()).scheme();
    return scheme == u"ws" || scheme == u"wss";
}

QString messageError(qsizetype index, const QString &what)
{
    return QObject::tr("WebSocket message %1: %2").arg(index + 1).arg(what);
}

} // namespace

QByteArray write(const SessionRecord &unredacted)
{
    const SessionRecord record = redactedForExport(unredacted);
    const qint64 origin = record.firstTimestampMs();
    const qint64 started = origin != 0 ? origin : record.exportedAtMs;
    QJsonArray messages;
    const QJsonObject extension = extensionJson(record, origin, &messages);
    const qint64 span = record.lastTimestampMs() - origin;
    QJsonObject entry{
            {u"startedDateTime"_s, RecordJson::isoTime(started)},
            {u"time"_s, double(span)},
            {u"request"_s, requestJson(record)},
            {u"response"_s, responseJson(record)},
            {u"cache"_s, QJsonObject()},
            // what we measure is in the messages' own times; the phases of the connect are not timed
            {u"timings"_s, QJsonObject{{u"blocked"_s, -1}, {u"dns"_s, -1}, {u"connect"_s, -1}, {u"ssl"_s, -1},
                                       {u"send"_s, 0}, {u"wait"_s, double(span)}, {u"receive"_s, 0}}},
            {u"_resourceType"_s, u"websocket"_s},
            {u"_webSocketMessages"_s, messages},
            {ExtensionKey, extension},
    };
    const QJsonObject log{
            {u"version"_s, u"1.2"_s},
            {u"creator"_s, QJsonObject{{u"name"_s, u"WebSocket Workbench"_s}, {u"version"_s, record.appVersion}}},
            {u"pages"_s, QJsonArray()},
            {u"entries"_s, QJsonArray{entry}},
    };
    return QJsonDocument(QJsonObject{{u"log"_s, log}}).toJson(QJsonDocument::Indented);
}

SessionImport read(QByteArrayView bytes, const SessionReadLimits &limits)
{
    SessionImport result;
    result.format = SessionLogFormat::Har;
    result.error = RecordJson::fileSizeProblem(bytes.size(), limits.maxFileBytes);
    if (!result.error.isEmpty())
        return result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = QObject::tr("Neither a WebSocket Workbench session log nor a HAR file: not valid JSON (%1 at character %2).")
                               .arg(parseError.errorString())
                               .arg(parseError.offset + 1);
        return result;
    }
    const QJsonObject log = doc.object().value(u"log"_s).toObject();
    if (!doc.isObject() || !log.value(u"entries"_s).isArray()) {
        result.error = QObject::tr("Neither a WebSocket Workbench session log (its first line has no “format”) nor a HAR "
                                   "file (there is no “log” with “entries”).");
        return result;
    }
    QJsonObject entry;
    int webSockets = 0;
    for (const QJsonValue &e : log.value(u"entries"_s).toArray()) {
        if (!e.isObject() || !isWebSocketEntry(e.toObject()))
            continue;
        if (webSockets++ == 0)
            entry = e.toObject();
    }
    if (webSockets == 0) {
        result.error = QObject::tr("The HAR file has no WebSocket entry (one with \"_resourceType\": \"websocket\").");
        return result;
    }
    if (webSockets > 1)
        result.warn(QObject::tr("The HAR file has %1 WebSocket entries; the first is shown.").arg(webSockets));

    SessionRecord record;
    const QJsonObject request = entry.value(u"request"_s).toObject();
    record.url = withoutCredentials(QUrl(request.value(u"url"_s).toString()));
    record.appVersion = log.value(u"creator"_s)[u"name"_s].toString() + u' '
            + log.value(u"creator"_s)[u"version"_s].toString();
    const QJsonObject ext = entry.value(ExtensionKey).toObject();
    const bool hasExtension = ext.value(u"format"_s).toString() == JsonLines::FormatName;

    QList<LogEntry> messages;
    const QJsonArray harMessages = entry.value(u"_webSocketMessages"_s).toArray();
    QList<qsizetype> harIndexOfMessage; // to apply the extension's extras
    for (qsizetype i = 0; i < harMessages.size(); ++i) {
        const QJsonObject m = harMessages[i].toObject();
        const QString type = m.value(u"type"_s).toString();
        const int opcode = m.value(u"opcode"_s).toInt(-1);
        if (type != u"send" && type != u"receive") {
            result.error = messageError(i, QObject::tr("the type “%1” is neither “send” nor “receive”").arg(type));
            return result;
        }
        if (opcode != 1 && opcode != 2) {
            result.warn(messageError(i, QObject::tr("opcode %1 is neither text (1) nor binary (2), skipped").arg(opcode)));
            continue;
        }
        if (!m.value(u"time"_s).isDouble() || !m.value(u"data"_s).isString()) {
            result.error = messageError(i, QObject::tr("“time” (a number) or “data” (a string) is missing"));
            return result;
        }
        LogEntry e;
        e.kind = LogEntry::Kind::Message;
        e.direction = type == u"send" ? LogEntry::Direction::Sent : LogEntry::Direction::Received;
        e.type = opcode == 1 ? SocketMessageType::Utf8 : SocketMessageType::Binary;
        e.timestampMs = qRound64(m.value(u"time"_s).toDouble() * 1000.0);
        const QString data = m.value(u"data"_s).toString();
        if (opcode == 1) {
            e.data = data.toUtf8();
        } else if (!RecordJson::decodeBase64(data, &e.data)) {
            result.error = messageError(i, QObject::tr("the binary data is not valid base64"));
            return result;
        }
        messages.append(std::move(e));
        harIndexOfMessage.append(i);
    }

    if (!hasExtension) {
        record.handshake = transcriptFromHar(request, entry.value(u"response"_s).toObject());
        record.entries = std::move(messages);
    } else {
        if (ext.value(u"messageCount"_s).toInteger(-1) != harMessages.size()
            || harIndexOfMessage.size() != harMessages.size()) {
            result.error = QObject::tr("The “_wsworkbench” extension counts %1 messages but the HAR has %2: "
                                       "the file was changed after the export.")
                                   .arg(ext.value(u"messageCount"_s).toInteger(-1))
                                   .arg(harMessages.size());
            return result;
        }
        record.exportedAtMs = ext.value(u"exportedAtMs"_s).toInteger();
        record.appVersion = ext.value(u"appVersion"_s).toString();
        record.messagesDiscarded = quint64(ext.value(u"messagesDiscarded"_s).toInteger());
        record.framesDiscarded = quint64(ext.value(u"framesDiscarded"_s).toInteger());
        QString problem;
        for (const QJsonValue &v : ext.value(u"messageExtras"_s).toArray()) {
            const qint64 index = v[u"index"_s].toInteger(-1);
            if (index < 0 || index >= messages.size()) {
                result.error = QObject::tr("“_wsworkbench”: a message extra points at message %1, which does not exist")
                                       .arg(index + 1);
                return result;
            }
            LogEntry &e = messages[index];
            if (v[u"dataIsBase64"_s].toBool()
                && !RecordJson::decodeBase64(harMessages[index][u"data"_s].toString(), &e.data)) {
                result.error = messageError(index, QObject::tr("the data is not valid base64"));
                return result;
            }
            e.compressed = v[u"compressed"_s].toBool();
            e.text = v[u"note"_s].toString();
        }
        for (const QJsonValue &v : ext.value(u"handshake"_s).toArray()) {
            HandshakeAttempt attempt;
            bool isFinal = false;
            if (!RecordJson::attemptFromJson(v.toObject(), &attempt, &isFinal, &problem)) {
                result.error = QObject::tr("“_wsworkbench” handshake: %1").arg(problem);
                return result;
            }
            RecordJson::addAttempt(&record.handshake, attempt, isFinal);
        }
        // the events go back to their places among the messages
        qsizetype nextMessage = 0;
        const QJsonArray events = ext.value(u"events"_s).toArray();
        for (qsizetype i = 0; i < events.size(); ++i) {
            LogEntry event;
            if (!RecordJson::entryFromJson(events[i].toObject(), &event, &problem)) {
                result.error = QObject::tr("“_wsworkbench” event %1: %2").arg(i + 1).arg(problem);
                return result;
            }
            const qsizetype after = qBound<qsizetype>(nextMessage, events[i][u"afterMessages"_s].toInteger(),
                                                      messages.size());
            while (nextMessage < after)
                record.entries.append(std::move(messages[nextMessage++]));
            record.entries.append(std::move(event));
        }
        while (nextMessage < messages.size())
            record.entries.append(std::move(messages[nextMessage++]));
        const QJsonArray frames = ext.value(u"frames"_s).toArray();
        for (qsizetype i = 0; i < frames.size(); ++i) {
            FrameInfo frame;
            if (!RecordJson::frameFromJson(frames[i].toObject(), &frame, &problem)) {
                result.error = QObject::tr("“_wsworkbench” frame %1: %2").arg(i + 1).arg(problem);
                return result;
            }
            record.frames.append(std::move(frame));
        }
    }
    for (qsizetype i = 0; i < record.entries.size(); ++i)
        record.entries[i].sequence = quint64(i + 1);
    result.record = std::move(record);
    return result;
}

} // namespace Wsw::Ui::Har
