#include "codec/permessagedeflate.h"

#include "codec/httptoken.h"

#include <algorithm>

#include <QStringList>

namespace Wsw::Codec {

namespace {

/** A cursor over one header value, for the grammar of RFC 6455 §9.1. */
class ListReader
{
public:
    explicit ListReader(QByteArrayView text) : m_text(text) {}

    void skipSpace()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t'))
            ++m_pos;
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }
    void advance() { ++m_pos; }
    qsizetype position() const { return m_pos; }

    QByteArray token()
    {
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && isTokenChar(m_text[m_pos]))
            ++m_pos;
        return m_text.sliced(start, m_pos - start).toByteArray();
    }

    /** A quoted-string; *ok false when unterminated or holding a control character. */
    QByteArray quoted(bool *ok)
    {
        QByteArray value;
        ++m_pos; // the opening quote
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '"') {
                *ok = true;
                return value;
            }
            if (c == '\\') {
                if (m_pos >= m_text.size())
                    break;
                value.append(m_text[m_pos++]);
                continue;
            }
            if ((quint8(c) < 0x20 && c != '\t') || c == 0x7F)
                break;
            value.append(c);
        }
        *ok = false;
        return value;
    }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

ErrorDetail syntaxError(QString *problem, const QString &what)
{
    if (problem)
        *problem = what;
    return ErrorDetail::InvalidExtensionHeader;
}

ErrorDetail parseOneValue(QByteArrayView text, QList<ExtensionElement> *out, QString *problem)
{
    ListReader r(text);
    const QString where = QStringLiteral(" in \"%1\"").arg(QString::fromLatin1(text));
    bool expectElement = true;
    for (;;) {
        r.skipSpace();
        if (r.atEnd())
            break;
        if (r.peek() == ',') { // empty list elements are allowed by the #rule (RFC 7230 §7)
            r.advance();
            continue;
        }
        if (!expectElement)
            return syntaxError(problem, QStringLiteral("a comma was expected at byte %1").arg(r.position()) + where);
        ExtensionElement element;
        element.name = r.token();
        if (element.name.isEmpty())
            return syntaxError(problem, QStringLiteral("an extension name was expected at byte %1").arg(r.position()) + where);
        r.skipSpace();
        while (!r.atEnd() && r.peek() == ';') {
            r.advance();
            r.skipSpace();
            ExtensionParameter parameter;
            parameter.name = r.token();
            if (parameter.name.isEmpty())
                return syntaxError(problem, QStringLiteral("a parameter name was expected at byte %1").arg(r.position()) + where);
            r.skipSpace();
            if (!r.atEnd() && r.peek() == '=') {
                r.advance();
                r.skipSpace();
                parameter.hasValue = true;
                if (!r.atEnd() && r.peek() == '"') {
                    bool ok = false;
                    parameter.value = r.quoted(&ok);
                    if (!ok)
                        return syntaxError(problem, QStringLiteral("unterminated quoted value of %1")
                                                            .arg(QString::fromLatin1(parameter.name)) + where);
                    // RFC 6455 §9.1: a quoted value must be a token once unquoted
                    if (!isToken(parameter.value))
                        return syntaxError(problem, QStringLiteral("the quoted value of %1 is not a token")
                                                            .arg(QString::fromLatin1(parameter.name)) + where);
                } else {
                    parameter.value = r.token();
                    if (parameter.value.isEmpty())
                        return syntaxError(problem, QStringLiteral("%1= has no value")
                                                            .arg(QString::fromLatin1(parameter.name)) + where);
                }
                r.skipSpace();
            }
            element.parameters.append(parameter);
        }
        out->append(element);
        expectElement = false;
        r.skipSpace();
        if (r.atEnd())
            break;
        if (r.peek() != ',')
            return syntaxError(problem, QStringLiteral("unexpected character '%1' at byte %2")
                                                .arg(QChar::fromLatin1(r.peek()))
                                                .arg(r.position()) + where);
        r.advance();
        expectElement = true;
    }
    return ErrorDetail::None;
}

/** A window size: a decimal integer 8-15 without leading zeros (RFC 7692 §7.1.2). */
bool parseWindowBits(const QByteArray &value, int *bits)
{
    if (value.size() < 1 || value.size() > 2 || value[0] == '0')
        return false;
    int n = 0;
    for (char c : value) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + (c - '0');
    }
    if (n < MinWindowBits || n > MaxWindowBits)
        return false;
    *bits = n;
    return true;
}

ErrorDetail fail(QString *problem, ErrorDetail detail, const QString &what)
{
    if (problem)
        *problem = what;
    return detail;
}

} // namespace

ErrorDetail parseExtensionList(const QList<QByteArray> &headerValues, QList<ExtensionElement> *out, QString *problem)
{
    out->clear();
    for (const QByteArray &value : headerValues) {
        const ErrorDetail error = parseOneValue(value, out, problem);
        if (error != ErrorDetail::None)
            return error;
    }
    return ErrorDetail::None;
}

ErrorDetail validateDeflateOptions(const DeflateOptions &o, QString *problem)
{
    auto bad = [&](const QString &what) { return fail(problem, ErrorDetail::InvalidArgument, what); };
    if (o.clientMaxWindowBits != 0 && (o.clientMaxWindowBits < MinWindowBits || o.clientMaxWindowBits > MaxWindowBits))
        return bad(QStringLiteral("compression.clientMaxWindowBits must be 0 (offered without a value) or 8-15"));
    if (o.clientMaxWindowBits != 0 && !o.offerClientMaxWindowBits)
        return bad(QStringLiteral("compression.clientMaxWindowBits has a value but offerClientMaxWindowBits is off"));
    if (o.serverMaxWindowBits != 0 && (o.serverMaxWindowBits < MinWindowBits || o.serverMaxWindowBits > MaxWindowBits))
        return bad(QStringLiteral("compression.serverMaxWindowBits must be 0 (not requested) or 8-15"));
    if (o.compressionLevel < -1 || o.compressionLevel > 9)
        return bad(QStringLiteral("compression.compressionLevel must be -1 (zlib's default) or 0-9"));
    return ErrorDetail::None;
}

QByteArray buildDeflateOffer(const DeflateOptions &o)
{
    if (!o.enabled)
        return {};
    QByteArray offer = PerMessageDeflateName;
    if (o.clientNoContextTakeover)
        offer += "; client_no_context_takeover";
    if (o.serverNoContextTakeover)
        offer += "; server_no_context_takeover";
    if (o.serverMaxWindowBits != 0)
        offer += "; server_max_window_bits=" + QByteArray::number(o.serverMaxWindowBits);
    if (o.offerClientMaxWindowBits) {
        offer += "; client_max_window_bits";
        if (o.clientMaxWindowBits != 0)
            offer += '=' + QByteArray::number(o.clientMaxWindowBits);
    }
    return offer;
}

ErrorDetail negotiateDeflate(const DeflateOptions &offer, const QList<QByteArray> &responseValues,
                             DeflateAgreement *agreement, QString *problem)
{
    *agreement = DeflateAgreement();
    QList<ExtensionElement> elements;
    const ErrorDetail syntax = parseExtensionList(responseValues, &elements, problem);
    if (syntax != ErrorDetail::None)
        return syntax;
    if (elements.isEmpty())
        return ErrorDetail::None; // declined: no compression
    for (const ExtensionElement &e : elements) {
        if (!offer.enabled || e.name.compare(PerMessageDeflateName, Qt::CaseInsensitive) != 0)
            return fail(problem, ErrorDetail::UnrequestedExtension,
                        QStringLiteral("\"%1\" was not offered").arg(QString::fromLatin1(e.name)));
    }
    if (elements.size() > 1)
        return fail(problem, ErrorDetail::MultipleExtensions,
                    QStringLiteral("permessage-deflate appears %1 times").arg(elements.size()));

    DeflateAgreement a;
    a.active = true;
    bool seenClientBits = false, seenServerBits = false, seenClientNoTakeover = false, seenServerNoTakeover = false;
    for (const ExtensionParameter &p : elements.first().parameters) {
        const QString name = QString::fromLatin1(p.name);
        auto duplicate = [&] {
            return fail(problem, ErrorDetail::DuplicateExtensionParameter, QStringLiteral("%1 appears twice").arg(name));
        };
        auto noValueAllowed = [&] {
            return fail(problem, ErrorDetail::InvalidExtensionParameterValue,
                        QStringLiteral("%1 takes no value (got \"%2\")").arg(name, QString::fromLatin1(p.value)));
        };
        auto badBits = [&] {
            return fail(problem, ErrorDetail::InvalidExtensionParameterValue,
                        QStringLiteral("%1=\"%2\": must be 8-15 without leading zeros")
                                .arg(name, QString::fromLatin1(p.value)));
        };
        const QByteArray key = p.name.toLower();
        if (key == "server_no_context_takeover") {
            if (seenServerNoTakeover)
                return duplicate();
            seenServerNoTakeover = true;
            if (p.hasValue)
                return noValueAllowed();
            a.serverNoContextTakeover = true; // a server may add it unasked (RFC 7692 §7.1.1.1)
        } else if (key == "client_no_context_takeover") {
            if (seenClientNoTakeover)
                return duplicate();
            seenClientNoTakeover = true;
            if (p.hasValue)
                return noValueAllowed();
            a.clientNoContextTakeover = true; // a server may ask it unasked (RFC 7692 §7.1.1.2)
        } else if (key == "server_max_window_bits") {
            if (seenServerBits)
                return duplicate();
            seenServerBits = true;
            int bits = 0;
            if (!p.hasValue || !parseWindowBits(p.value, &bits))
                return badBits();
            // the same or smaller than requested; a server may limit itself unasked (RFC 7692 §7.1.2.1)
            if (offer.serverMaxWindowBits != 0 && bits > offer.serverMaxWindowBits)
                return fail(problem, ErrorDetail::InvalidExtensionParameterValue,
                            QStringLiteral("server_max_window_bits=%1 is larger than the %2 requested")
                                    .arg(bits)
                                    .arg(offer.serverMaxWindowBits));
            a.serverMaxWindowBits = bits;
        } else if (key == "client_max_window_bits") {
            if (seenClientBits)
                return duplicate();
            seenClientBits = true;
            // only when offered (RFC 7692 §7.1.2.2), and in an answer always with a value
            if (!offer.offerClientMaxWindowBits)
                return fail(problem, ErrorDetail::UnrequestedExtensionParameter,
                            QStringLiteral("client_max_window_bits was not offered"));
            int bits = 0;
            if (!p.hasValue || !parseWindowBits(p.value, &bits))
                return badBits();
            if (offer.clientMaxWindowBits != 0 && bits > offer.clientMaxWindowBits)
                return fail(problem, ErrorDetail::InvalidExtensionParameterValue,
                            QStringLiteral("client_max_window_bits=%1 is larger than the %2 offered")
                                    .arg(bits)
                                    .arg(offer.clientMaxWindowBits));
            a.clientMaxWindowBits = bits;
        } else {
            return fail(problem, ErrorDetail::UnknownExtensionParameter,
                        QStringLiteral("unknown parameter %1").arg(name));
        }
    }
    // what the offer requested, a server accepting it must grant (RFC 7692 §7.1.1.1, §7.1.2.1)
    if (offer.serverNoContextTakeover && !seenServerNoTakeover)
        return fail(problem, ErrorDetail::MissingExtensionParameter,
                    QStringLiteral("server_no_context_takeover was requested but not accepted"));
    if (offer.serverMaxWindowBits != 0 && !seenServerBits)
        return fail(problem, ErrorDetail::MissingExtensionParameter,
                    QStringLiteral("server_max_window_bits=%1 was requested but not accepted").arg(offer.serverMaxWindowBits));
    // our own limits apply even when the server does not repeat them
    if (offer.clientNoContextTakeover)
        a.clientNoContextTakeover = true;
    if (offer.clientMaxWindowBits != 0 && !seenClientBits)
        a.clientMaxWindowBits = offer.clientMaxWindowBits;
    // zlib cannot compress with a 256-byte window; uncompressed messages are always allowed
    a.compressOutgoing = a.clientMaxWindowBits > MinWindowBits;
    a.response = responseValues.size() == 1 ? responseValues.first().trimmed() : responseValues.join(", ").trimmed();
    *agreement = a;
    return ErrorDetail::None;
}

namespace {

/** One client offer of permessage-deflate, its parameters read (RFC 7692 §7.1). */
struct DeflateOffer {
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    int serverMaxWindowBits = 0;     // 0: not requested
    bool clientMaxWindowBits = false; // the client lets the answer limit its window
    int clientMaxWindowBitsValue = 0; // 0: offered without a value
};

/** False with *why for an offer a server must decline (RFC 7692 §5): unknown, repeated or ill-valued parameters. */
bool readDeflateOffer(const ExtensionElement &element, DeflateOffer *offer, QString *why)
{
    bool seenServerBits = false, seenClientBits = false, seenServerNoTakeover = false, seenClientNoTakeover = false;
    for (const ExtensionParameter &p : element.parameters) {
        const QByteArray key = p.name.toLower();
        const QString name = QString::fromLatin1(p.name);
        auto flag = [&](bool *seen, bool *value) {
            if (*seen) {
                *why = QStringLiteral("%1 appears twice").arg(name);
                return false;
            }
            if (p.hasValue) {
                *why = QStringLiteral("%1 takes no value").arg(name);
                return false;
            }
            *seen = true;
            *value = true;
            return true;
        };
        if (key == "server_no_context_takeover") {
            if (!flag(&seenServerNoTakeover, &offer->serverNoContextTakeover))
                return false;
        } else if (key == "client_no_context_takeover") {
            if (!flag(&seenClientNoTakeover, &offer->clientNoContextTakeover))
                return false;
        } else if (key == "server_max_window_bits") {
            // in an offer always with a value (RFC 7692 §7.1.2.1)
            if (seenServerBits || !p.hasValue || !parseWindowBits(p.value, &offer->serverMaxWindowBits)) {
                *why = seenServerBits ? QStringLiteral("%1 appears twice").arg(name)
                                      : QStringLiteral("%1 needs a value of 8-15").arg(name);
                return false;
            }
            seenServerBits = true;
        } else if (key == "client_max_window_bits") {
            // with or without a value (RFC 7692 §7.1.2.2)
            if (seenClientBits || (p.hasValue && !parseWindowBits(p.value, &offer->clientMaxWindowBitsValue))) {
                *why = seenClientBits ? QStringLiteral("%1 appears twice").arg(name)
                                      : QStringLiteral("%1 must be 8-15").arg(name);
                return false;
            }
            seenClientBits = true;
            offer->clientMaxWindowBits = true;
        } else {
            *why = QStringLiteral("unknown parameter %1").arg(name);
            return false;
        }
    }
    return true;
}

} // namespace

ErrorDetail answerDeflateOffer(const DeflateServerOptions &options, const QList<QByteArray> &requestValues,
                               DeflateServerAgreement *agreement, QString *problem)
{
    *agreement = DeflateServerAgreement();
    QList<ExtensionElement> elements;
    const ErrorDetail syntax = parseExtensionList(requestValues, &elements, problem);
    if (syntax != ErrorDetail::None || !options.enabled)
        return syntax;

    QStringList declined;
    for (int i = 0; i < elements.size(); ++i) {
        const ExtensionElement &element = elements.at(i);
        if (element.name.compare(PerMessageDeflateName, Qt::CaseInsensitive) != 0)
            continue; // an extension we do not implement is simply not accepted (RFC 6455 §9.1)
        DeflateOffer offer;
        QString why;
        if (!readDeflateOffer(element, &offer, &why)) {
            declined.append(QStringLiteral("offer %1: %2").arg(i + 1).arg(why));
            continue;
        }

        DeflateServerAgreement a;
        a.active = true;
        a.acceptedOffer = i;
        QByteArray response = PerMessageDeflateName;
        // our compressor: asked to forget between messages, we must (RFC 7692 §7.1.1.1); we may unasked
        a.serverNoContextTakeover = offer.serverNoContextTakeover || options.serverNoContextTakeover;
        if (a.serverNoContextTakeover)
            response += "; server_no_context_takeover";
        // the client resets its compressor when it offered to (a hint, §7.1.1.2) or when we ask it to
        a.clientNoContextTakeover = offer.clientNoContextTakeover || options.clientNoContextTakeover;
        if (a.clientNoContextTakeover)
            response += "; client_no_context_takeover";
        // our window: no larger than asked (§7.1.2.1); a smaller one we may announce unasked
        a.serverMaxWindowBits = std::clamp(options.serverMaxWindowBits, MinWindowBits + 1, MaxWindowBits);
        if (offer.serverMaxWindowBits != 0)
            a.serverMaxWindowBits = std::min(a.serverMaxWindowBits, offer.serverMaxWindowBits);
        if (offer.serverMaxWindowBits != 0 || a.serverMaxWindowBits < MaxWindowBits)
            response += "; server_max_window_bits=" + QByteArray::number(a.serverMaxWindowBits);
        // the client's window: an offered value binds the client already; an answer may only
        // narrow it, and only when the offer named the parameter (§7.1.2.2)
        if (offer.clientMaxWindowBitsValue != 0)
            a.clientMaxWindowBits = offer.clientMaxWindowBitsValue;
        if (offer.clientMaxWindowBits && options.clientMaxWindowBits != 0) {
            a.clientMaxWindowBits = std::min(a.clientMaxWindowBits,
                                             std::clamp(options.clientMaxWindowBits, MinWindowBits, MaxWindowBits));
            response += "; client_max_window_bits=" + QByteArray::number(a.clientMaxWindowBits);
        }
        // zlib cannot compress with a 256-byte window; uncompressed messages are always allowed
        a.compressOutgoing = a.serverMaxWindowBits > MinWindowBits;
        a.response = response;
        *agreement = a;
        return ErrorDetail::None;
    }
    if (problem && !declined.isEmpty())
        *problem = QStringLiteral("permessage-deflate declined: ") + declined.join(QStringLiteral("; "));
    return ErrorDetail::None;
}

} // namespace Wsw::Codec
