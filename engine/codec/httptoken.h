#pragma once

#include <algorithm>

#include <QByteArrayView>

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

} // namespace Wsw::Codec
