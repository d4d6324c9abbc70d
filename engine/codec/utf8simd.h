#pragma once

#include <QtGlobal>

namespace Wsw::Codec::Detail {

/**
 * Validates whole 32-byte blocks of UTF-8 starting on a code point boundary with AVX2 (the
 * lookup algorithm of Keiser and Lemire, "Validating UTF-8 in less than one instruction per
 * byte", 2021). Returns the number of bytes it checked (a multiple of 32; 0 when AVX2 is
 * unavailable), or -1 when they contain an error. A sequence cut by the end of the checked
 * bytes is not an error here: the caller re-checks it from its lead byte.
 */
qsizetype validateUtf8Blocks(const unsigned char *data, qsizetype size);

} // namespace Wsw::Codec::Detail
