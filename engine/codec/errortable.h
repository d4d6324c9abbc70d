#pragma once

#include <QString>

#include "codec/wswenums.h"

namespace Wsw::Codec {

/** What one ErrorDetail means: a sentence for people, the close code to send, the coarse status. */
struct ErrorInfo {
    const char *message;      // English sentence, no trailing period
    quint16 closeCodeToSend;  // 1002, 1007, 1009... or 0 when no close frame is sent for it
    WebErrorStatus status;
};

/** The single table of every failure (spec §12.8). */
ErrorInfo errorInfo(ErrorDetail detail);

/** errorInfo(detail).message as a QString. */
QString errorMessage(ErrorDetail detail);

} // namespace Wsw::Codec
