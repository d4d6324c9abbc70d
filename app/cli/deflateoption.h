#pragma once

#include <QString>

#include "codec/deflateoptions.h"

class QCommandLineParser;

namespace Wsw {
class MessageWebSocket;
}

namespace Wsw::Cli {

/** --deflate[=PARAMS] and --no-deflate, shared by every connecting subcommand. */
void addDeflateOptions(QCommandLineParser &parser);

/**
 * Reads them into options (left as they are when neither is given). PARAMS are written as in
 * the Sec-WebSocket-Extensions offer, e.g. "client_max_window_bits=10; server_no_context_takeover";
 * bare --deflate is the default offer. Returns an empty string or what is wrong.
 */
QString readDeflateOptions(const QCommandLineParser &parser, DeflateOptions *options);

/** One line for people: what was offered and what the server accepted, or that nothing was. */
QString describeCompression(const MessageWebSocket &socket);

} // namespace Wsw::Cli
