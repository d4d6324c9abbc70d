#include "deflateoption.h"

#include <QCommandLineParser>

#include "api/messagewebsocket.h"
#include "codec/permessagedeflate.h"

namespace Wsw::Cli {

namespace {

bool parseNumber(const QByteArray &text, int low, int high, int *out)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    if (!ok || n < low || n > high)
        return false;
    *out = n;
    return true;
}

} // namespace

void addDeflateOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("deflate"),
                      QStringLiteral("Offers permessage-deflate (the default) with these parameters, written as in the "
                                     "header: client_max_window_bits[=9-15], server_max_window_bits=8-15, "
                                     "client_no_context_takeover, server_no_context_takeover; also level=0-9 and "
                                     "threshold=BYTES (messages shorter go uncompressed). Bare --deflate: "
                                     "\"permessage-deflate; client_max_window_bits\". --deflate=PARAMS or "
                                     "--deflate PARAMS."),
                      QStringLiteral("PARAMS")});
    parser.addOption({QStringLiteral("no-deflate"), QStringLiteral("Offers no compression.")});
}

QString readDeflateOptions(const QCommandLineParser &parser, DeflateOptions *options)
{
    const bool deflate = parser.isSet(QStringLiteral("deflate"));
    if (parser.isSet(QStringLiteral("no-deflate"))) {
        if (deflate)
            return QStringLiteral("--deflate and --no-deflate contradict each other");
        options->enabled = false;
        return {};
    }
    if (!deflate)
        return {};
    const QString params = parser.value(QStringLiteral("deflate")).trimmed();
    DeflateOptions o; // bare --deflate: the default offer
    if (!params.isEmpty()) {
        o.offerClientMaxWindowBits = false; // "as in the header": only what is written is offered
        QByteArray text = params.toUtf8();
        if (!text.startsWith(Codec::PerMessageDeflateName))
            text = QByteArray(Codec::PerMessageDeflateName) + "; " + text;
        QList<Codec::ExtensionElement> elements;
        QString problem;
        if (Codec::parseExtensionList({text}, &elements, &problem) != ErrorDetail::None)
            return u"--deflate: " + problem;
        if (elements.size() != 1 || elements.first().name != Codec::PerMessageDeflateName)
            return QStringLiteral("--deflate: give the parameters of one permessage-deflate offer");
        QStringList seen;
        for (const Codec::ExtensionParameter &p : elements.first().parameters) {
            const QString name = QString::fromLatin1(p.name);
            if (seen.contains(name))
                return u"--deflate: " + name + u" is given twice";
            seen.append(name);
            auto needsValue = [&](const QString &range) -> QString {
                return u"--deflate: " + name + u" needs a value " + range + u" (got \""
                        + QString::fromLatin1(p.value) + u"\")";
            };
            if (name == u"client_max_window_bits") {
                o.offerClientMaxWindowBits = true;
                if (p.hasValue && !parseNumber(p.value, Codec::MinWindowBits, Codec::MaxWindowBits, &o.clientMaxWindowBits))
                    return needsValue(QStringLiteral("from 8 to 15"));
            } else if (name == u"server_max_window_bits") {
                if (!p.hasValue || !parseNumber(p.value, Codec::MinWindowBits, Codec::MaxWindowBits, &o.serverMaxWindowBits))
                    return needsValue(QStringLiteral("from 8 to 15"));
            } else if (name == u"client_no_context_takeover" || name == u"server_no_context_takeover") {
                if (p.hasValue)
                    return u"--deflate: " + name + u" takes no value";
                (name.startsWith(u"client") ? o.clientNoContextTakeover : o.serverNoContextTakeover) = true;
            } else if (name == u"level") {
                if (!p.hasValue || !parseNumber(p.value, 0, 9, &o.compressionLevel))
                    return needsValue(QStringLiteral("from 0 to 9"));
            } else if (name == u"threshold") {
                int bytes = 0;
                if (!p.hasValue || !parseNumber(p.value, 0, INT_MAX, &bytes))
                    return needsValue(QStringLiteral("in bytes"));
                o.thresholdBytes = quint32(bytes);
            } else {
                return u"--deflate: unknown parameter \"" + name
                        + u"\" (known: client_max_window_bits, server_max_window_bits, client_no_context_takeover, "
                          u"server_no_context_takeover, level, threshold)";
            }
        }
    }
    QString problem;
    if (Codec::validateDeflateOptions(o, &problem) != ErrorDetail::None)
        return u"--deflate: " + problem;
    *options = o;
    return {};
}

QString describeCompression(const MessageWebSocket &socket)
{
    const CompressionInformation c = socket.information().compression;
    if (!c.negotiated)
        return socket.control().compression.enabled ? QStringLiteral("compression: offered, not accepted by the server")
                                                    : QStringLiteral("compression: off");
    QString line = u"compression: " + c.extension;
    if (!c.note.isEmpty())
        line += u" (" + c.note + u')';
    return line;
}

} // namespace Wsw::Cli
