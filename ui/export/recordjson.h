#pragma once

// The JSON objects both file formats are made of: one per log entry, frame and handshake attempt.
// Bytes go as "text" when they are valid UTF-8 and text is wanted, as "base64" otherwise, so
// nothing is lost either way.

#include <utility>

#include <QJsonObject>
#include <QList>
#include <QString>

#include "api/frameinfo.h"
#include "models/logentry.h"

namespace Wsw::Ui::RecordJson {

/** An object's members in the order they are written (QJsonObject sorts them by name). */
using JsonFields = QList<std::pair<QString, QJsonValue>>;
QJsonObject toObject(const JsonFields &fields);

/** "2026-12-07T12:14:44.123Z". */
QString isoTime(qint64 msSinceEpoch);

/** key = the bytes as text when valid UTF-8, else key + "Base64" = base64. */
void putBytes(JsonFields &fields, const QString &key, const QByteArray &bytes);
/** Reads what putBytes() wrote; an absent key is empty bytes. False with *error for bad base64 or a wrong type. */
bool takeBytes(const QJsonObject &o, const QString &key, QByteArray *bytes, QString *error);
/** Strict base64 (no stray characters); false when it is not. */
bool decodeBase64(const QString &text, QByteArray *bytes);
/** The error for a file over the import's limit; empty when it is within it. */
QString fileSizeProblem(qint64 size, qint64 maxFileBytes);

/** {"kind":"message"|"event", "timeMs", "time", "elapsedMs", …}; originMs gives elapsedMs. */
JsonFields entryFields(const LogEntry &entry, qint64 originMs);
inline QJsonObject entryToJson(const LogEntry &entry, qint64 originMs) { return toObject(entryFields(entry, originMs)); }
bool entryFromJson(const QJsonObject &o, LogEntry *entry, QString *error);

/** {"kind":"frame", "timeMs", "direction", "opcode", "fin", "rsv1".., "masked", "maskKey", lengths, "payloadHeadBase64"}. */
JsonFields frameFields(const FrameInfo &frame, qint64 originMs);
inline QJsonObject frameToJson(const FrameInfo &frame, qint64 originMs) { return toObject(frameFields(frame, originMs)); }
bool frameFromJson(const QJsonObject &o, FrameInfo *frame, QString *error);

/** {"kind":"handshake", "attempt", "final", "httpStatus", "request", "responseHeaders", "responseBody"}. */
JsonFields attemptFields(const HandshakeAttempt &attempt, int number, bool isFinal);
bool attemptFromJson(const QJsonObject &o, HandshakeAttempt *attempt, bool *isFinal, QString *error);

/** The attempts of a transcript, earlier ones first, the last one marked final; none when nothing was sent. */
QList<JsonFields> transcriptFields(const HandshakeTranscript &transcript);
/** Adds one attempt read back to the transcript (earlier ones in order, the final one last). */
void addAttempt(HandshakeTranscript *transcript, const HandshakeAttempt &attempt, bool isFinal);

} // namespace Wsw::Ui::RecordJson
