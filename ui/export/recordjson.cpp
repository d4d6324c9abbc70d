#include "export/recordjson.h"

#include <QLocale>
#include <QDateTime>
#include <QJsonValue>

#include "format/messageformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui::RecordJson {

namespace {

bool isValidUtf8(const QByteArray &bytes)
{
    return Format::utf8Problem(bytes).isEmpty();
}

/** A whole number from a JSON number (exact up to 2^53, which every time and length here is). */
bool takeInteger(const QJsonObject &o, const QString &key, qint64 *value, QString *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        *error = QObject::tr("“%1” is missing").arg(key);
        return false;
    }
    if (!v.isDouble() || v.toDouble() != double(v.toInteger())) {
        *error = QObject::tr("“%1” is not a whole number").arg(key);
        return false;
    }
    *value = v.toInteger();
    return true;
}

bool takeBool(const QJsonObject &o, const QString &key, bool *value, QString *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        *value = false;
        return true;
    }
    if (!v.isBool()) {
        *error = QObject::tr("“%1” is not true or false").arg(key);
        return false;
    }
    *value = v.toBool();
    return true;
}

bool takeTime(const QJsonObject &o, qint64 *ms, QString *error)
{
    if (o.contains(u"timeMs"_s))
        return takeInteger(o, u"timeMs"_s, ms, error);
    const QDateTime t = QDateTime::fromString(o.value(u"time"_s).toString(), Qt::ISODateWithMs);
    if (!t.isValid()) {
        *error = QObject::tr("the time is missing (“timeMs” or “time”)");
        return false;
    }
    *ms = t.toMSecsSinceEpoch();
    return true;
}

void putTimes(JsonFields &f, qint64 timeMs, qint64 originMs)
{
    f.append({u"timeMs"_s, timeMs});
    f.append({u"time"_s, isoTime(timeMs)});
    f.append({u"elapsedMs"_s, timeMs - originMs});
}

} // namespace

QJsonObject toObject(const JsonFields &fields)
{
    QJsonObject o;
    for (const auto &[key, value] : fields)
        o.insert(key, value);
    return o;
}

QString isoTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString fileSizeProblem(qint64 size, qint64 maxFileBytes)
{
    if (size <= maxFileBytes)
        return {};
    return QObject::tr("The file is %1 bytes; an import reads at most %2.")
            .arg(QLocale().toString(size), QLocale().toString(maxFileBytes));
}

bool decodeBase64(const QString &text, QByteArray *bytes)
{
    for (QChar c : text) {
        if (c.unicode() > 0x7f)
            return false;
    }
    auto result = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64Encoding
                                                                         | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return false;
    *bytes = std::move(result.decoded);
    return true;
}

void putBytes(JsonFields &fields, const QString &key, const QByteArray &bytes)
{
    if (isValidUtf8(bytes))
        fields.append({key, QString::fromUtf8(bytes)});
    else
        fields.append({key + u"Base64"_s, QString::fromLatin1(bytes.toBase64())});
}

bool takeBytes(const QJsonObject &o, const QString &key, QByteArray *bytes, QString *error)
{
    const QJsonValue text = o.value(key);
    const QJsonValue base64 = o.value(key + u"Base64"_s);
    bytes->clear();
    if (!text.isUndefined()) {
        if (!text.isString()) {
            *error = QObject::tr("“%1” is not a string").arg(key);
            return false;
        }
        *bytes = text.toString().toUtf8();
        return true;
    }
    if (!base64.isUndefined()) {
        if (!base64.isString() || !decodeBase64(base64.toString(), bytes)) {
            *error = QObject::tr("“%1Base64” is not valid base64").arg(key);
            return false;
        }
    }
    return true;
}

JsonFields entryFields(const LogEntry &entry, qint64 originMs)
{
    JsonFields f;
    if (entry.kind != LogEntry::Kind::Message) {
        f.append({u"kind"_s, u"event"_s});
        f.append({u"level"_s, entry.kind == LogEntry::Kind::Error ? u"error"_s : u"info"_s});
        putTimes(f, entry.timestampMs, originMs);
        f.append({u"text"_s, entry.text});
        return f;
    }
    f.append({u"kind"_s, u"message"_s});
    putTimes(f, entry.timestampMs, originMs);
    f.append({u"direction"_s, entry.direction == LogEntry::Direction::Sent ? u"sent"_s : u"received"_s});
    f.append({u"type"_s, entry.isText() ? u"text"_s : u"binary"_s});
    f.append({u"size"_s, entry.data.size()});
    if (entry.compressed)
        f.append({u"compressed"_s, true});
    if (!entry.text.isEmpty())
        f.append({u"note"_s, entry.text});
    // text that is not valid UTF-8 (only ever sent raw) goes as base64, so its bytes stay exact
    if (entry.isText() && isValidUtf8(entry.data))
        f.append({u"text"_s, QString::fromUtf8(entry.data)});
    else
        f.append({u"base64"_s, QString::fromLatin1(entry.data.toBase64())});
    return f;
}

bool entryFromJson(const QJsonObject &o, LogEntry *entry, QString *error)
{
    LogEntry e;
    if (!takeTime(o, &e.timestampMs, error))
        return false;
    const QString kind = o.value(u"kind"_s).toString();
    if (kind == u"event") {
        const QString level = o.value(u"level"_s).toString(u"info"_s);
        if (level != u"info" && level != u"error") {
            *error = QObject::tr("the level “%1” is neither “info” nor “error”").arg(level);
            return false;
        }
        e.kind = level == u"error" ? LogEntry::Kind::Error : LogEntry::Kind::Event;
        e.text = o.value(u"text"_s).toString();
        *entry = std::move(e);
        return true;
    }
    e.kind = LogEntry::Kind::Message;
    const QString direction = o.value(u"direction"_s).toString();
    if (direction == u"sent") {
        e.direction = LogEntry::Direction::Sent;
    } else if (direction == u"received") {
        e.direction = LogEntry::Direction::Received;
    } else {
        *error = QObject::tr("the direction “%1” is neither “sent” nor “received”").arg(direction);
        return false;
    }
    const QString type = o.value(u"type"_s).toString();
    if (type == u"text") {
        e.type = SocketMessageType::Utf8;
    } else if (type == u"binary") {
        e.type = SocketMessageType::Binary;
    } else {
        *error = QObject::tr("the type “%1” is neither “text” nor “binary”").arg(type);
        return false;
    }
    const QJsonValue text = o.value(u"text"_s);
    const QJsonValue base64 = o.value(u"base64"_s);
    if (text.isString() == base64.isString()) {
        *error = QObject::tr("a message needs its data as either “text” or “base64” (a string)");
        return false;
    }
    if (text.isString()) {
        e.data = text.toString().toUtf8();
    } else if (!decodeBase64(base64.toString(), &e.data)) {
        *error = QObject::tr("“base64” is not valid base64");
        return false;
    }
    if (o.contains(u"size"_s)) {
        qint64 size = 0;
        if (!takeInteger(o, u"size"_s, &size, error))
            return false;
        if (size != e.data.size()) {
            *error = QObject::tr("“size” says %1 bytes but the data has %2").arg(size).arg(e.data.size());
            return false;
        }
    }
    if (!takeBool(o, u"compressed"_s, &e.compressed, error))
        return false;
    e.text = o.value(u"note"_s).toString();
    *entry = std::move(e);
    return true;
}

JsonFields frameFields(const FrameInfo &frame, qint64 originMs)
{
    JsonFields f;
    f.append({u"kind"_s, u"frame"_s});
    putTimes(f, frame.timestampMs, originMs);
    f.append({u"direction"_s, frame.direction == FrameDirection::Outgoing ? u"sent"_s : u"received"_s});
    f.append({u"opcode"_s, int(frame.opcode)});
    f.append({u"fin"_s, frame.fin});
    f.append({u"rsv1"_s, frame.rsv1});
    f.append({u"rsv2"_s, frame.rsv2});
    f.append({u"rsv3"_s, frame.rsv3});
    f.append({u"masked"_s, frame.masked});
    if (frame.masked)
        f.append({u"maskKey"_s, u"%1"_s.arg(frame.maskKey, 8, 16, QLatin1Char('0'))});
    f.append({u"payloadLength"_s, qint64(frame.payloadLength)});
    if (frame.uncompressedLength >= 0)
        f.append({u"inflatedLength"_s, frame.uncompressedLength});
    f.append({u"payloadHeadBase64"_s, QString::fromLatin1(frame.payloadHead.toBase64())});
    return f;
}

bool frameFromJson(const QJsonObject &o, FrameInfo *frame, QString *error)
{
    FrameInfo f;
    if (!takeTime(o, &f.timestampMs, error))
        return false;
    const QString direction = o.value(u"direction"_s).toString();
    if (direction != u"sent" && direction != u"received") {
        *error = QObject::tr("the direction “%1” is neither “sent” nor “received”").arg(direction);
        return false;
    }
    f.direction = direction == u"sent" ? FrameDirection::Outgoing : FrameDirection::Incoming;
    qint64 opcode = 0;
    qint64 length = 0;
    if (!takeInteger(o, u"opcode"_s, &opcode, error) || !takeInteger(o, u"payloadLength"_s, &length, error))
        return false;
    if (opcode < 0 || opcode > 15 || length < 0) {
        *error = QObject::tr("the opcode (0 to 15) or the payload length is out of range");
        return false;
    }
    f.opcode = quint8(opcode);
    f.payloadLength = quint64(length);
    if (!takeBool(o, u"fin"_s, &f.fin, error) || !takeBool(o, u"rsv1"_s, &f.rsv1, error)
        || !takeBool(o, u"rsv2"_s, &f.rsv2, error) || !takeBool(o, u"rsv3"_s, &f.rsv3, error)
        || !takeBool(o, u"masked"_s, &f.masked, error))
        return false;
    if (f.masked) {
        bool ok = false;
        f.maskKey = o.value(u"maskKey"_s).toString().toUInt(&ok, 16);
        if (!ok) {
            *error = QObject::tr("“maskKey” is not 8 hex digits");
            return false;
        }
    }
    if (o.contains(u"inflatedLength"_s) && !takeInteger(o, u"inflatedLength"_s, &f.uncompressedLength, error))
        return false;
    if (!decodeBase64(o.value(u"payloadHeadBase64"_s).toString(), &f.payloadHead)) {
        *error = QObject::tr("“payloadHeadBase64” is not valid base64");
        return false;
    }
    *frame = std::move(f);
    return true;
}

JsonFields attemptFields(const HandshakeAttempt &attempt, int number, bool isFinal)
{
    JsonFields f;
    f.append({u"kind"_s, u"handshake"_s});
    f.append({u"attempt"_s, number});
    f.append({u"final"_s, isFinal});
    f.append({u"httpStatus"_s, attempt.httpStatus});
    putBytes(f, u"request"_s, attempt.request);
    putBytes(f, u"responseHeaders"_s, attempt.responseHeaders);
    putBytes(f, u"responseBody"_s, attempt.responseBody);
    return f;
}

bool attemptFromJson(const QJsonObject &o, HandshakeAttempt *attempt, bool *isFinal, QString *error)
{
    HandshakeAttempt a;
    qint64 status = 0;
    if (o.contains(u"httpStatus"_s) && !takeInteger(o, u"httpStatus"_s, &status, error))
        return false;
    a.httpStatus = int(status);
    if (!takeBytes(o, u"request"_s, &a.request, error) || !takeBytes(o, u"responseHeaders"_s, &a.responseHeaders, error)
        || !takeBytes(o, u"responseBody"_s, &a.responseBody, error) || !takeBool(o, u"final"_s, isFinal, error))
        return false;
    *attempt = std::move(a);
    return true;
}

QList<JsonFields> transcriptFields(const HandshakeTranscript &t)
{
    QList<JsonFields> out;
    if (t.request.isEmpty() && t.earlierAttempts.isEmpty())
        return out;
    int number = 0;
    for (const HandshakeAttempt &a : t.earlierAttempts)
        out << attemptFields(a, ++number, false);
    out << attemptFields(HandshakeAttempt{t.request, t.responseHeaders, t.responseBody, t.httpStatus}, ++number, true);
    return out;
}

void addAttempt(HandshakeTranscript *t, const HandshakeAttempt &a, bool isFinal)
{
    if (!isFinal) {
        t->earlierAttempts << a;
        return;
    }
    t->request = a.request;
    t->responseHeaders = a.responseHeaders;
    t->responseBody = a.responseBody;
    t->httpStatus = a.httpStatus;
}

} // namespace Wsw::Ui::RecordJson
