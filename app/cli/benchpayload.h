#pragma once

#include <QByteArray>

namespace Wsw::Cli {

/**
 * The payloads the benchmark server expects: text is valid UTF-8 of exactly size bytes mixing
 * ASCII with 2-, 3- and 4-byte sequences; binary is a fixed byte pattern.
 */
QByteArray benchPayload(quint64 size, bool text);

} // namespace Wsw::Cli
