#include "format/messageformat.h"

#include <algorithm>
#include <limits>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include "codec/closecode.h"
#include "codec/utf8validator.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Format {

namespace {

constexpr char16_t Ellipsis = u'…';

/** "“g”" for a visible character, "U+00A0" for one that would not show in quotes. */
QString describeCharacter(char32_t c)
{
    const bool visible = QChar::isPrint(c) && !QChar::isSpace(c);
    if (visible)
        return u"“"_s + QString::fromUcs4(&c, 1) + u"”"_s;
    return u"U+%1"_s.arg(uint(c), 4, 16, QChar(u'0')).toUpper();
}

QString byteHex(uchar b)
{
    return u"0x"_s + QString::number(b, 16).rightJustified(2, u'0').toUpper();
}

QString codePoint(char32_t c)
{
    return u"U+%1"_s.arg(uint(c), 4, 16, QChar(u'0')).toUpper();
}

bool isHexSeparator(char16_t c)
{
    switch (c) {
    case u' ':
    case u'\t':
    case u'\n':
    case u'\r':
    case u':':
    case u',':
    case u'-':
        return true;
    default:
        return false;
    }
}

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

/** One character of text with its 1-based position counted in characters (code points). */
struct TextChar
{
    char32_t value = 0;
    qsizetype position = 0; // 1-based
};

/** The text as code points, so positions match what a person counts (an emoji is one character). */
QList<TextChar> codePoints(QStringView text)
{
    QList<TextChar> out;
    out.reserve(text.size());
    qsizetype position = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() &&
            QChar::isLowSurrogate(text[i + 1].unicode())) {
            c = QChar::surrogateToUcs4(char16_t(c), text[i + 1].unicode());
            ++i;
        }
        out.append({c, ++position});
    }
    return out;
}

// --- UTF-8 -------------------------------------------------------------------------------------

bool isContinuation(uchar b)
{
    return (b & 0xC0) == 0x80;
}

QString bytesAt(const uchar *p, qsizetype count)
{
    QStringList parts;
    for (qsizetype i = 0; i < count; ++i)
        parts.append(byteHex(p[i]));
    return parts.join(u' ');
}

/** The first problem in bytes that are known to be invalid UTF-8 (empty if there is none). */
QString findUtf8Problem(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    while (i < size) {
        const uchar lead = p[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        const QString at = u" at offset "_s + QString::number(i);
        if (isContinuation(lead)) {
            return u"byte "_s + byteHex(lead) + at +
                   u" is an unexpected continuation byte: no lead byte starts a sequence before it"_s;
        }
        if (lead == 0xC0 || lead == 0xC1) {
            if (i + 1 < size && isContinuation(p[i + 1])) {
                const char32_t c = char32_t(((lead & 0x1F) << 6) | (p[i + 1] & 0x3F));
                return u"bytes "_s + bytesAt(p + i, 2) + at + u" are an overlong encoding of "_s +
                       codePoint(c) + u", which must be written in 1 byte"_s;
            }
            return u"byte "_s + byteHex(lead) + at +
                   u" can only start an overlong encoding and never appears in UTF-8"_s;
        }
        if (lead >= 0xF5 && lead <= 0xF7) {
            return u"byte "_s + byteHex(lead) + at +
                   u" would start a code point beyond U+10FFFF, the last one Unicode has"_s;
        }
        if (lead >= 0xF8)
            return u"byte "_s + byteHex(lead) + at + u" is not a valid lead byte in UTF-8"_s;

        const qsizetype length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        // the continuation bytes that are there, up to the first one that is not
        qsizetype have = 1;
        while (have < length && i + have < size && isContinuation(p[i + have]))
            ++have;
        const QString sequence = QString::number(length) + u"-byte sequence"_s;
        if (have < length && i + have < size) {
            return u"byte "_s + byteHex(lead) + at + u" starts a "_s + sequence + u" but is followed by "_s +
                   byteHex(p[i + have]) + u" at offset "_s + QString::number(i + have) +
                   u", which is not a continuation byte"_s;
        }
        // the second byte alone tells overlong forms, surrogates and code points past U+10FFFF
        const bool complete = have == length;
        const uchar second = have > 1 ? p[i + 1] : 0;
        char32_t c = lead & (0x7F >> length);
        for (qsizetype k = 1; k < have; ++k)
            c = (c << 6) | (p[i + k] & 0x3F);
        const QString shown = have > 1 ? u"bytes "_s + bytesAt(p + i, have) : u"byte "_s + byteHex(lead);
        if (have > 1) {
            const bool overlong = (lead == 0xE0 && second < 0xA0) || (lead == 0xF0 && second < 0x90);
            if (overlong) {
                return shown + at +
                       (complete
                            ? u" are an overlong encoding of "_s + codePoint(c) +
                                  u", which must be written in "_s +
                                  QString::number(c < 0x80    ? 1
                                                  : c < 0x800 ? 2
                                                              : 3) +
                                  (c < 0x80 ? u" byte"_s : u" bytes"_s)
                            : u" start an overlong encoding (a longer form than the code point needs)"_s);
            }
            if (lead == 0xED && second >= 0xA0) {
                return shown + at +
                       (complete
                            ? u" encode "_s + codePoint(c) +
                                  u", a UTF-16 surrogate, which UTF-8 must not contain"_s
                            : u" start a UTF-16 surrogate (U+D800-U+DFFF), which UTF-8 must not contain"_s);
            }
            if (lead == 0xF4 && second >= 0x90) {
                return shown + at +
                       (complete ? u" encode "_s + codePoint(c) +
                                       u", beyond U+10FFFF, the last code point Unicode has"_s
                                 : u" start a code point beyond U+10FFFF, the last one Unicode has"_s);
            }
        }
        if (!complete) {
            return u"byte "_s + byteHex(lead) + at + u" starts a "_s + sequence +
                   u" but the data ends after "_s + QString::number(have) +
                   (have == 1 ? u" byte of it"_s : u" bytes of it"_s) + u" (truncated)"_s;
        }
        i += length;
    }
    return {};
}

// --- JSON --------------------------------------------------------------------------------------

/** Re-indents JSON already known to be valid: keeps key order, numbers and escapes as written. */
QByteArray indentJson(QByteArrayView json)
{
    QByteArray out;
    out.reserve(json.size() * 2);
    int depth = 0;
    auto newline = [&] {
        out += '\n';
        out.append(QByteArray(depth * 2, ' '));
    };
    const char *p = json.data();
    const char *end = p + json.size();
    while (p < end) {
        const char c = *p;
        switch (c) {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            ++p;
            continue;
        case '"': {
            const char *start = p++;
            while (p < end && *p != '"')
                p += (*p == '\\') ? 2 : 1;
            ++p; // the closing quote
            out.append(start, std::min(p, end) - start);
            continue;
        }
        case '{':
        case '[': {
            // an empty container stays on one line
            const char *q = p + 1;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
                ++q;
            if (q < end && (*q == '}' || *q == ']')) {
                out += c;
                out += *q;
                p = q + 1;
                continue;
            }
            out += c;
            ++depth;
            newline();
            ++p;
            continue;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            ++p;
            continue;
        case ',':
            out += ',';
            newline();
            ++p;
            continue;
        case ':':
            out += ": ";
            ++p;
            continue;
        default:
            out += c;
            ++p;
        }
    }
    return out;
}

/** Whether the text is one JSON string, number, true, false or null (valid JSON, not a document). */
bool isSingleScalar(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument wrapped = QJsonDocument::fromJson(QByteArray('[' + json + ']'), &parseError);
    return parseError.error == QJsonParseError::NoError && wrapped.array().size() == 1;
}

} // namespace

std::optional<QByteArray> parseHex(QStringView text, QString *error)
{
    const QList<TextChar> chars = codePoints(text);
    QByteArray out;
    out.reserve(text.size() / 2);
    qsizetype i = 0;
    while (i < chars.size()) {
        if (chars[i].value < 0x10000 && isHexSeparator(char16_t(chars[i].value))) {
            ++i;
            continue;
        }
        // one group of digits between separators, with an optional 0x
        const qsizetype groupStart = i;
        if (chars[i].value == u'0' && i + 1 < chars.size() &&
            (chars[i + 1].value == u'x' || chars[i + 1].value == u'X'))
            i += 2;
        const qsizetype digitsStart = i;
        while (i < chars.size() && !(chars[i].value < 0x10000 && isHexSeparator(char16_t(chars[i].value)))) {
            const char32_t c = chars[i].value;
            if (c >= 0x10000 || hexValue(char16_t(c)) < 0) {
                if (error) {
                    *error = describeCharacter(c) + u" (character "_s + QString::number(chars[i].position) +
                             u") is not a hex digit."_s;
                }
                return std::nullopt;
            }
            ++i;
        }
        const qsizetype digits = i - digitsStart;
        QString group;
        for (qsizetype k = groupStart; k < i; ++k)
            group += QString::fromUcs4(&chars[k].value, 1);
        if (digits == 0) {
            if (error) {
                *error = u"“"_s + group + u"” (character "_s + QString::number(chars[groupStart].position) +
                         u") has no hex digits after the 0x."_s;
            }
            return std::nullopt;
        }
        if (digits % 2 != 0) {
            if (error) {
                *error = u"“"_s + group + u"” (character "_s + QString::number(chars[groupStart].position) +
                         u") has "_s + QString::number(digits) +
                         (digits == 1 ? u" hex digit"_s : u" hex digits"_s) +
                         u", an odd number: every byte takes two digits, e.g. 01 ff 7e."_s;
            }
            return std::nullopt;
        }
        for (qsizetype k = digitsStart; k < i; k += 2) {
            out += char((hexValue(char16_t(chars[k].value)) << 4) | hexValue(char16_t(chars[k + 1].value)));
        }
    }
    if (error)
        error->clear();
    return out;
}

std::optional<QByteArray> parseBase64(QStringView text, QString *error)
{
    auto fail = [&](const QString &message) -> std::optional<QByteArray> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QByteArray normalized; // the standard alphabet, no whitespace, no padding
    normalized.reserve(text.size());
    qsizetype padding = 0;
    qsizetype firstPaddingPosition = 0;
    const QList<TextChar> chars = codePoints(text);
    for (const TextChar &tc : chars) {
        const char32_t c = tc.value;
        if (c == u' ' || c == u'\t' || c == u'\n' || c == u'\r')
            continue;
        if (c == u'=') {
            if (padding == 0)
                firstPaddingPosition = tc.position;
            ++padding;
            continue;
        }
        const bool inAlphabet = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') ||
                                (c >= u'0' && c <= u'9') || c == u'+' || c == u'/' || c == u'-' || c == u'_';
        if (!inAlphabet) {
            return fail(describeCharacter(c) + u" (character "_s + QString::number(tc.position) +
                        u") is not a Base64 character."_s);
        }
        if (padding > 0) {
            return fail(u"The padding “=” (character "_s + QString::number(firstPaddingPosition) +
                        u") is followed by more data; “=” may only end the text."_s);
        }
        normalized += c == u'-' ? '+' : c == u'_' ? '/' : char(c);
    }
    const qsizetype rest = normalized.size() % 4;
    if (rest == 1) {
        return fail(
            u"The text has "_s + QString::number(normalized.size()) +
            u" Base64 characters, so the last one makes no whole byte (one is missing or one too many)."_s);
    }
    if (padding > 0 && (rest == 0 || padding != 4 - rest)) {
        return fail(u"The padding has "_s + QString::number(padding) + u" “=” but "_s +
                    QString::number(normalized.size()) + u" Base64 characters need "_s +
                    (rest == 0 ? u"none"_s : QString::number(4 - rest)) + u'.');
    }
    if (error)
        error->clear();
    return QByteArray::fromBase64(normalized, QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
}

QString hexPreview(QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype shown = std::clamp<qsizetype>(maxBytes, 0, bytes.size());
    if (shown == 0)
        return bytes.isEmpty() ? QString() : QString(Ellipsis);
    QString out = QString::fromLatin1(bytes.first(shown).toByteArray().toHex(' '));
    if (shown < bytes.size())
        out += u' ' + QChar(Ellipsis);
    return out;
}

QString hexDump(QByteArrayView bytes, qsizetype maxBytes)
{
    static constexpr char Digits[] = "0123456789abcdef";
    const qsizetype shown = std::clamp<qsizetype>(maxBytes, 0, bytes.size());
    QString out;
    out.reserve((shown / 16 + 2) * 78);
    for (qsizetype line = 0; line < shown; line += 16) {
        if (line > 0)
            out += u'\n';
        out += u"%1"_s.arg(quint64(line), 8, 16, QChar(u'0'));
        out += u"  "_s;
        const qsizetype count = std::min<qsizetype>(16, shown - line);
        for (qsizetype k = 0; k < 16; ++k) {
            if (k == 8)
                out += u' ';
            if (k < count) {
                const uchar b = uchar(bytes[line + k]);
                out += QLatin1Char(Digits[b >> 4]);
                out += QLatin1Char(Digits[b & 0xF]);
                out += u' ';
            } else {
                out += u"   "_s;
            }
        }
        out += u" |"_s;
        for (qsizetype k = 0; k < count; ++k) {
            const uchar b = uchar(bytes[line + k]);
            out += (b >= 0x20 && b < 0x7F) ? QLatin1Char(char(b)) : QLatin1Char('.');
        }
        out += u'|';
    }
    if (shown < bytes.size()) {
        if (!out.isEmpty())
            out += u'\n';
        const qsizetype more = bytes.size() - shown;
        out += u"… "_s + QString::number(more) +
               (more == 1 ? u" more byte not shown"_s : u" more bytes not shown"_s);
    }
    return out;
}

QString singleLinePreview(QByteArrayView utf8, qsizetype maxChars)
{
    maxChars = std::max<qsizetype>(maxChars, 0);
    // Decode only what can be shown: every code point takes at most 4 bytes, so the first
    // maxChars + 1 code points are complete in this prefix even when its end cuts a sequence.
    const qsizetype limit =
        maxChars < (std::numeric_limits<qsizetype>::max() / 4 - 2) ? (maxChars + 2) * 4 : utf8.size();
    const QString decoded = QString::fromUtf8(utf8.first(std::min(utf8.size(), limit)));
    QString out;
    out.reserve(std::min(decoded.size(), maxChars) + 2);
    qsizetype count = 0;
    for (qsizetype i = 0; i < decoded.size(); ++i) {
        if (count == maxChars) {
            out += out.isEmpty() ? QString(Ellipsis) : u' ' + QChar(Ellipsis);
            return out;
        }
        const char16_t c = decoded[i].unicode();
        ++count;
        if (QChar::isHighSurrogate(c) && i + 1 < decoded.size()) {
            out += decoded[i];
            out += decoded[++i];
            continue;
        }
        switch (c) {
        case u'\r':
            out += u'␍';
            break;
        case u'\n':
        case 0x2028: // line separator
        case 0x2029: // paragraph separator
            out += u'↵';
            break;
        case u'\t':
            out += u'⇥';
            break;
        case 0x7F:
            out += u'␡';
            break;
        default:
            out += c < 0x20 ? QChar(char16_t(0x2400 + c)) : QChar(c);
        }
    }
    return out;
}

QString messagePreview(QByteArrayView data, bool isText, qsizetype maxChars)
{
    if (isText)
        return singleLinePreview(data, maxChars);
    // "xx " per byte: n bytes take 3n - 1 characters
    return hexPreview(data, std::max<qsizetype>(1, (maxChars + 1) / 3));
}

QString utf8Problem(QByteArrayView bytes)
{
    if (Codec::Utf8Validator::isValidUtf8(bytes))
        return {};
    return findUtf8Problem(bytes);
}

std::optional<QString> prettyJson(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QByteArray data = json.toByteArray();
    QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error && data.trimmed().isEmpty()) {
            *error = u"Not JSON: there is no value, only "_s +
                     (data.isEmpty() ? u"an empty text."_s : u"whitespace."_s);
        } else if (error && isSingleScalar(data)) {
            *error = u"Not a JSON document: a single value (a string, number, true, false or null) "
                     "is valid JSON, but a document here is an object {…} or an array […]."_s;
        } else if (error) {
            // the line and column of the offset, counted in bytes as Qt's offset is
            const qsizetype offset = std::clamp<qsizetype>(parseError.offset, 0, data.size());
            const QByteArrayView before = QByteArrayView(data).first(offset);
            const qsizetype line = before.count('\n') + 1;
            const qsizetype column = offset - (before.lastIndexOf('\n') + 1) + 1;
            *error = u"Not JSON at offset "_s + QString::number(offset) + u" (line "_s +
                     QString::number(line) + u", column "_s + QString::number(column) + u"): "_s +
                     parseError.errorString() + u'.';
        }
        return std::nullopt;
    }
    if (error)
        error->clear();
    return QString::fromUtf8(indentJson(data));
}

bool isJson(QByteArrayView bytes)
{
    QJsonParseError parseError;
    QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    return parseError.error == QJsonParseError::NoError;
}

QString closeCodeName(quint16 code)
{
    const QString number = QString::number(code);
    switch (code) {
    case 1000:
        return number + u" Normal Closure"_s;
    case 1001:
        return number + u" Going Away"_s;
    case 1002:
        return number + u" Protocol Error"_s;
    case 1003:
        return number + u" Unsupported Data"_s;
    case 1005:
        return number + u" No Status Received (never sent)"_s;
    case 1006:
        return number + u" Abnormal Closure (never sent)"_s;
    case 1007:
        return number + u" Invalid Payload Data"_s;
    case 1008:
        return number + u" Policy Violation"_s;
    case 1009:
        return number + u" Message Too Big"_s;
    case 1010:
        return number + u" Mandatory Extension"_s;
    case 1011:
        return number + u" Internal Error"_s;
    case 1012:
        return number + u" Service Restart"_s;
    case 1013:
        return number + u" Try Again Later"_s;
    case 1014:
        return number + u" Bad Gateway"_s;
    case 1015:
        return number + u" TLS Handshake (never sent)"_s;
    default:
        break;
    }
    if (code >= 3000 && code <= 3999)
        return number + u" (registered)"_s;
    if (code >= 4000 && code <= 4999)
        return number + u" (application)"_s;
    if (code >= 1000 && code <= 2999)
        return number + u" (reserved)"_s; // 1004, unassigned protocol codes, extensions
    return number + u" (invalid)"_s;      // 0-999 are not used, nothing is defined above 4999
}

QList<quint16> sendableStandardCloseCodes()
{
    QList<quint16> codes{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011};
    Q_ASSERT(std::all_of(codes.cbegin(), codes.cend(), Codec::isSendableCloseCode));
    return codes;
}

QString byteSize(quint64 bytes)
{
    if (bytes < 1024)
        return QString::number(bytes) + u" B"_s;
    static constexpr const char16_t *Units[] = {u"KiB", u"MiB", u"GiB", u"TiB", u"PiB", u"EiB"};
    // tenths of the unit, rounded half up, in integers; move up a unit when it rounds to 1024.0
    int unit = 0;
    quint64 divisor = 1024;
    while (true) {
        const quint64 whole = bytes / divisor;
        const quint64 tenths = whole * 10 + ((bytes % divisor) * 10 + divisor / 2) / divisor; // < 2^64
        if (tenths < 10240 || unit == 5)
            return QString::number(tenths / 10) + u'.' + QString::number(tenths % 10) + u' ' +
                   QString::fromUtf16(Units[unit]);
        ++unit;
        divisor *= 1024;
    }
}

QString duration(qint64 milliseconds)
{
    if (milliseconds < 0) {
        const quint64 magnitude = quint64(0) - quint64(milliseconds);
        return u'-' +
               duration(qint64(std::min<quint64>(magnitude, quint64(std::numeric_limits<qint64>::max()))));
    }
    if (milliseconds < 1000)
        return QString::number(milliseconds) + u" ms"_s;
    const qint64 centiseconds = milliseconds / 10 + (milliseconds % 10 >= 5 ? 1 : 0); // no overflow at the top
    if (centiseconds < 6000) {
        return QString::number(centiseconds / 100) + u'.' +
               u"%1"_s.arg(centiseconds % 100, 2, 10, QChar(u'0')) + u" s"_s;
    }
    qint64 seconds = milliseconds / 1000 + (milliseconds % 1000 >= 500 ? 1 : 0);
    auto part = [](qint64 value, QStringView unit) -> QString {
        return QString::number(value) + u' ' + unit;
    };
    auto pair = [&](qint64 big, QStringView bigUnit, qint64 small, QStringView smallUnit) -> QString {
        QString text = part(big, bigUnit);
        if (small != 0)
            text += u' ' + part(small, smallUnit);
        return text;
    };
    if (seconds < 3600)
        return pair(seconds / 60, u"min", seconds % 60, u"s");
    const qint64 minutes = (seconds + 30) / 60;
    if (minutes < 24 * 60)
        return pair(minutes / 60, u"h", minutes % 60, u"min");
    const qint64 hours = (minutes + 30) / 60;
    return pair(hours / 24, u"d", hours % 24, u"h");
}

} // namespace Wsw::Format
