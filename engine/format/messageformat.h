#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

// How messages, bytes and close codes read for people: one module shared by the workbench and
// wscli, so both show and parse the same way. Qt Core only; no sockets, no widgets.
namespace Wsw::Format {

/**
 * Hex bytes as a person types them: "01 ff 7e", "01ff7e", "0x01 0xFF", with spaces, tabs, line
 * breaks, ':' or ',' between bytes. On failure returns std::nullopt and *error names the first
 * bad character and its position (1-based), or says the digits are odd in number.
 */
std::optional<QByteArray> parseHex(QStringView text, QString *error);

/** Base64 (standard or URL alphabet, padding optional, whitespace ignored); *error says what is wrong. */
std::optional<QByteArray> parseBase64(QStringView text, QString *error);

/** "01 ff 7e" for at most maxBytes bytes, then " …" when there were more. */
QString hexPreview(QByteArrayView bytes, qsizetype maxBytes);

/**
 * A classic hex dump: per line an 8-digit offset, 16 bytes in hex (a gap after 8) and the
 * printable ASCII ('.' otherwise). At most maxBytes are dumped; a last line says how many more.
 */
QString hexDump(QByteArrayView bytes, qsizetype maxBytes = 1024 * 1024);

/**
 * Text on one line for a log row: CR/LF/tab shown as ␍ ↵ ⇥, other control characters as
 * U+2400 pictures, elided after maxChars with " …". Invalid UTF-8 is shown with U+FFFD.
 */
QString singleLinePreview(QByteArrayView utf8, qsizetype maxChars);

/** A preview of a message for a log row: text as singleLinePreview, binary as hexPreview. */
QString messagePreview(QByteArrayView data, bool isText, qsizetype maxChars = 200);

/**
 * Where and why bytes are not valid UTF-8, e.g. "byte 0xC3 at offset 5 starts a 2-byte
 * sequence but is followed by 0x28"; an empty string when the bytes are valid UTF-8.
 */
QString utf8Problem(QByteArrayView bytes);

/** JSON indented by 2 spaces, or std::nullopt with *error giving the offset and Qt's reason. */
std::optional<QString> prettyJson(QByteArrayView json, QString *error);
/** Whether the bytes are one JSON value (object or array, as QJsonDocument reads). */
bool isJson(QByteArrayView bytes);

/** "1000 Normal Closure", "1006 Abnormal Closure (never sent)", "4001 (application)", "3000 (registered)". */
QString closeCodeName(quint16 code);
/** The standard codes one may send, in order: 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011. */
QList<quint16> sendableStandardCloseCodes();

/** "512 B", "1.5 KiB", "3.2 MiB", "1.0 GiB" (binary units, one decimal above bytes). */
QString byteSize(quint64 bytes);
/** "850 ms", "1.25 s", "2 min 5 s" for a duration in milliseconds. */
QString duration(qint64 milliseconds);

} // namespace Wsw::Format
