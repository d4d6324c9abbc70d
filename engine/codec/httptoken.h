#pragma once

#include <algorithm>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Wsw::Codec {

/** RFC 7230 §3.2.6 tchar: what header names, subprotocols and extension names are made of. */
constexpr bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

/** A non-empty run of tchar. */
inline bool isToken(QByteArrayView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

/** Header names and the tokens of RFC 6455 compare without regard to ASCII case. */
inline bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

/**
 * Whether the comma-separated lists in these header values (several lines of one header are
 * one list, RFC 7230 §3.2.2) name token, case-insensitively.
 */
inline bool listContainsToken(const QList<QByteArray> &values, QByteArrayView token)
{
    for (const QByteArray &value : values) {
        for (const QByteArray &item : value.split(','))
            if (equalsIgnoreCase(item.trimmed(), token))
                return true;
    }
    return false;
}

} // namespace Wsw::Codec
