#include "export/jsonlinesformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include "export/recordjson.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui::JsonLines {

namespace {

/** A JSON string: UTF-8 as it is, with '"', '\\' and the control characters escaped (RFC 8259 §7). */
void appendJsonString(QByteArray &out, QStringView text)
{
    static constexpr char Hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out += '"';
    qsizetype plainFrom = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = uchar(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(utf8.constData() + plainFrom, i - plainFrom);
        plainFrom = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += Hex[c >> 4];
            out += Hex[c & 0xf];
        }
    }
    out.append(utf8.constData() + plainFrom, utf8.size() - plainFrom);
    out += '"';
}

/**
 * One value as compact JSON. Written here rather than by QJsonDocument (which takes only arrays
 * and objects, and costs a document per value): 100 000 messages export in well under a second.
 */
void appendJsonValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        return;
    case QJsonValue::String:
        appendJsonString(out, value.toString());
        return;
    case QJsonValue::Null:
        out += "null";
        return;
    case QJsonValue::Double:
        if (const double d = value.toDouble(); d == double(value.toInteger())) {
            out += QByteArray::number(value.toInteger());
            return;
        }
        break;
    default:
        break;
    }
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    out += array.sliced(1, array.size() - 2);
}

void appendLine(QByteArray &out, const RecordJson::JsonFields &fields)
{
    out += '{';
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += ',';
        appendJsonString(out, fields[i].first);
        out += ':';
        appendJsonValue(out, fields[i].second);
    }
    out += "}\n";
}

QString lineError(qsizetype line, const QString &what)
{
    return QObject::tr("Line %1: %2").arg(line).arg(what);
}

/** The header's checks; empty when it is ours and of a version we read. */
QString headerProblem(const QJsonObject &header)
{
    const QJsonValue format = header.value(u"format"_s);
    if (!format.isString())
        return QObject::tr("not a WebSocket Workbench session log: the first line has no “format”");
    if (format.toString() != FormatName)
        return QObject::tr("the format is “%1”, not “%2”").arg(format.toString(), FormatName);
    const int version = header.value(u"version"_s).toInt(-1);
    if (version < 1)
        return QObject::tr("the header has no version number");
    if (version > FormatVersion)
        return QObject::tr("version %1 was written by a newer program; this one reads version %2")
                .arg(version)
                .arg(FormatVersion);
    return {};
}

} // namespace

QByteArray write(const SessionRecord &unredacted)
{
    const SessionRecord record = redactedForExport(unredacted);
    const qint64 origin = record.firstTimestampMs();
    QByteArray out;
    appendLine(out, {{u"format"_s, QString(FormatName)},
                     {u"version"_s, FormatVersion},
                     {u"url"_s, record.url.toString(QUrl::FullyEncoded)},
                     {u"exportedAt"_s, RecordJson::isoTime(record.exportedAtMs)},
                     {u"exportedAtMs"_s, record.exportedAtMs},
                     {u"startedAtMs"_s, origin},
                     {u"app"_s, u"WebSocket Workbench"_s},
                     {u"appVersion"_s, record.appVersion},
                     {u"messagesDiscarded"_s, qint64(record.messagesDiscarded)},
                     {u"framesDiscarded"_s, qint64(record.framesDiscarded)}});
    for (const RecordJson::JsonFields &attempt : RecordJson::transcriptFields(record.handshake))
        appendLine(out, attempt);
    for (const LogEntry &entry : record.entries)
        appendLine(out, RecordJson::entryFields(entry, origin));
    for (const FrameInfo &frame : record.frames)
        appendLine(out, RecordJson::frameFields(frame, origin));
    appendLine(out, {{u"kind"_s, u"end"_s}, {u"entries"_s, record.entries.size()}, {u"frames"_s, record.frames.size()}});
    return out;
}

bool looksLikeJsonLines(QByteArrayView bytes)
{
    qsizetype end = bytes.indexOf('\n');
    if (end < 0)
        end = bytes.size();
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.first(end).toByteArray());
    return doc.isObject() && doc.object().contains(u"format"_s);
}

SessionImport read(QByteArrayView bytes, const SessionReadLimits &limits)
{
    SessionImport result;
    result.format = SessionLogFormat::JsonLines;
    result.error = RecordJson::fileSizeProblem(bytes.size(), limits.maxFileBytes);
    if (!result.error.isEmpty())
        return result;
    SessionRecord record;
    bool headerSeen = false;
    bool endSeen = false;
    qsizetype lineNumber = 0;
    qsizetype start = 0;
    while (start < bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        QByteArrayView line = bytes.sliced(start, end - start);
        start = end + 1;
        ++lineNumber;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > limits.maxLineBytes) {
            result.error = lineError(lineNumber, QObject::tr("the line is %1 bytes long; at most %2 are read")
                                                         .arg(QLocale().toString(line.size()),
                                                              QLocale().toString(limits.maxLineBytes)));
            return result;
        }
        if (line.trimmed().isEmpty())
            continue;
        if (endSeen) {
            result.warn(lineError(lineNumber, QObject::tr("text after the closing line, skipped")));
            continue;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            result.error = lineError(lineNumber, QObject::tr("not valid JSON (%1 at character %2)%3")
                                                         .arg(parseError.errorString())
                                                         .arg(parseError.offset + 1)
                                                         .arg(start > bytes.size() ? QObject::tr(
                                                                      "; the file may have been cut short")
                                                                                   : QString()));
            return result;
        }
        if (!doc.isObject()) {
            result.error = lineError(lineNumber, QObject::tr("expected a JSON object { … }"));
            return result;
        }
        const QJsonObject o = doc.object();
        if (!headerSeen) {
            if (const QString problem = headerProblem(o); !problem.isEmpty()) {
                result.error = lineError(lineNumber, problem);
                return result;
            }
            headerSeen = true;
            record.url = withoutCredentials(QUrl(o.value(u"url"_s).toString()));
            record.exportedAtMs = o.value(u"exportedAtMs"_s).toInteger();
            record.appVersion = o.value(u"appVersion"_s).toString();
            record.messagesDiscarded = quint64(o.value(u"messagesDiscarded"_s).toInteger());
            record.framesDiscarded = quint64(o.value(u"framesDiscarded"_s).toInteger());
            continue;
        }
        const QString kind = o.value(u"kind"_s).toString();
        QString problem;
        if (kind == u"message" || kind == u"event") {
            LogEntry entry;
            if (RecordJson::entryFromJson(o, &entry, &problem)) {
                entry.sequence = quint64(record.entries.size() + 1);
                record.entries.append(std::move(entry));
            }
        } else if (kind == u"frame") {
            FrameInfo frame;
            if (RecordJson::frameFromJson(o, &frame, &problem))
                record.frames.append(std::move(frame));
        } else if (kind == u"handshake") {
            HandshakeAttempt attempt;
            bool isFinal = false;
            if (RecordJson::attemptFromJson(o, &attempt, &isFinal, &problem))
                RecordJson::addAttempt(&record.handshake, attempt, isFinal);
        } else if (kind == u"end") {
            endSeen = true;
            const qint64 entries = o.value(u"entries"_s).toInteger(-1);
            const qint64 frames = o.value(u"frames"_s).toInteger(-1);
            if (entries != record.entries.size() || frames != record.frames.size())
                problem = QObject::tr("the closing line counts %1 entries and %2 frames, but the file has %3 and %4")
                                  .arg(entries)
                                  .arg(frames)
                                  .arg(record.entries.size())
                                  .arg(record.frames.size());
        } else {
            result.warn(lineError(lineNumber, kind.isEmpty() ? QObject::tr("no “kind”, skipped")
                                                              : QObject::tr("unknown kind “%1”, skipped").arg(kind)));
        }
        if (!problem.isEmpty()) {
            result.error = lineError(lineNumber, problem);
            return result;
        }
    }
    if (!headerSeen) {
        result.error = QObject::tr("The file is empty: no header line.");
        return result;
    }
    if (!endSeen) {
        result.error = QObject::tr("The file ends after line %1 without its closing line {\"kind\": \"end\"}: "
                                   "it was cut short.")
                               .arg(lineNumber);
        return result;
    }
    result.record = std::move(record);
    return result;
}

} // namespace Wsw::Ui::JsonLines
