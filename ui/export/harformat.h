#pragma once

#include <QByteArray>

#include "export/sessionfile.h"

namespace Wsw::Ui::Har {

/** The extension object's key in the entry; browsers ignore keys that start with '_'. */
inline constexpr QLatin1StringView ExtensionKey{"_wsworkbench"};

/**
 * The record as a HAR 1.2 file with one entry, the way Chrome DevTools exports a WebSocket:
 * "_resourceType": "websocket", the request (GET, url, headers redacted, queryString, cookies,
 * sizes), the response (101 or the failure status, headers, content), "timings", and
 * "_webSocketMessages" [{"type": "send"|"receive", "time": epoch seconds, "opcode": 1|2,
 * "data": text, or base64 for binary}]. What HAR has no place for (events, frames, the raw
 * transcript, notes, text that is not valid UTF-8) goes in "_wsworkbench", so our own import
 * is lossless.
 */
QByteArray write(const SessionRecord &record);

/**
 * Reads the first WebSocket entry of a HAR file: with our extension everything comes back;
 * from a browser's HAR (no extension) the messages, and a transcript rebuilt from the headers.
 */
SessionImport read(QByteArrayView bytes, const SessionReadLimits &limits = {});

} // namespace Wsw::Ui::Har
