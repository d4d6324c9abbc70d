#pragma once

#include <QByteArray>

#include "export/sessionfile.h"

class QIODevice;

namespace Wsw::Ui::JsonLines {

/** The "format" of the header line, and the version this program writes and reads. */
inline constexpr QLatin1StringView FormatName{"wsworkbench-session"};
constexpr int FormatVersion = 1;

/**
 * The record as JSON Lines: a header line {"format": "wsworkbench-session", "version": 1, "url",
 * "exportedAt", "appVersion", …}, the handshake attempts ("kind": "handshake"), the log entries
 * in order ("message" with "text" or "base64", "event" with "level" info/error), the frames
 * ("frame"), and a closing line {"kind": "end", "entries": n, "frames": n} that shows the file is
 * whole. UTF-8, one compact JSON object per line, "\n" after each.
 */
QByteArray write(const SessionRecord &record);

/**
 * Reads what write() wrote. Errors name the line and what is wrong with it; unknown kinds are
 * skipped and counted (SessionImport::skipped). A file that lacks its closing line was cut short
 * and is refused. Bounded by limits (the caller checks the file size before reading it whole).
 */
SessionImport read(QByteArrayView bytes, const SessionReadLimits &limits = {});

/** Whether the first line looks like our header (an object with "format"), to tell the formats apart. */
bool looksLikeJsonLines(QByteArrayView bytes);

} // namespace Wsw::Ui::JsonLines
