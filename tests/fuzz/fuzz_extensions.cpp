// Fuzz entry point: Sec-WebSocket-Extensions parsing and permessage-deflate negotiation.
// The first byte chooses our offer; the rest, split at '\n', are the header lines of the answer.
// Oracles: nothing crashes; what parseExtensionList reads, written out again, reads back the same;
// negotiateDeflate accepts exactly the answers that an independent reading of RFC 7692 §7 (below)
// finds legal for the offer made, and its agreement says what the accepted parameters say
// (windows 8-15, never larger than offered or requested); a refusal always says why.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "codec/permessagedeflate.h"

namespace {

using namespace Wsw;
using namespace Wsw::Codec;

DeflateOptions offerFrom(quint8 b)
{
    DeflateOptions o;
    o.enabled = (b & 0x01) == 0; // mostly on
    o.offerClientMaxWindowBits = (b & 0x02) == 0;
    o.clientMaxWindowBits = (o.offerClientMaxWindowBits && (b & 0x04)) ? 8 + ((b >> 5) & 7) : 0;
    o.serverMaxWindowBits = (b & 0x08) ? 8 + ((b >> 4) & 7) : 0;
    o.clientNoContextTakeover = b & 0x10;
    o.serverNoContextTakeover = b & 0x80;
    return o;
}

QByteArray write(const QList<ExtensionElement> &elements)
{
    QByteArrayList parts;
    for (const ExtensionElement &e : elements) {
        QByteArray text = e.name;
        for (const ExtensionParameter &p : e.parameters) {
            text += "; " + p.name;
            if (p.hasValue)
                text += "=\"" + p.value + '"'; // a value is a token: quoting it changes nothing
        }
        parts.append(text);
    }
    return parts.join(", ");
}

bool sameElements(const QList<ExtensionElement> &a, const QList<ExtensionElement> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].name != b[i].name || a[i].parameters.size() != b[i].parameters.size())
            return false;
        for (qsizetype j = 0; j < a[i].parameters.size(); ++j) {
            const ExtensionParameter &x = a[i].parameters[j], &y = b[i].parameters[j];
            if (x.name != y.name || x.hasValue != y.hasValue || x.value != y.value)
                return false;
        }
    }
    return true;
}

/**
 * The answer read again by RFC 7692 §5 and §7.1, independently of negotiateDeflate: nullopt
 * when it breaks a rule for this offer, else the agreement it puts in force.
 */
std::optional<DeflateAgreement> legalAnswer(const DeflateOptions &offer, const QList<ExtensionElement> &elements)
{
    DeflateAgreement a;
    if (elements.isEmpty())
        return a; // declined
    if (!offer.enabled || elements.size() != 1 || elements[0].name.toLower() != "permessage-deflate")
        return std::nullopt; // only the one extension offered, once
    auto windowBits = [](const ExtensionParameter &p) -> int {
        static const QByteArrayList legal{"8", "9", "10", "11", "12", "13", "14", "15"};
        return p.hasValue && legal.contains(p.value) ? p.value.toInt() : 0;
    };
    QByteArrayList seen;
    for (const ExtensionParameter &p : elements[0].parameters) {
        const QByteArray name = p.name.toLower();
        if (seen.contains(name))
            return std::nullopt; // each parameter at most once
        seen.append(name);
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            if (p.hasValue)
                return std::nullopt;
            (name == "server_no_context_takeover" ? a.serverNoContextTakeover : a.clientNoContextTakeover) = true;
        } else if (name == "server_max_window_bits") {
            const int bits = windowBits(p);
            if (bits == 0 || (offer.serverMaxWindowBits != 0 && bits > offer.serverMaxWindowBits))
                return std::nullopt;
            a.serverMaxWindowBits = bits;
        } else if (name == "client_max_window_bits") {
            const int bits = windowBits(p);
            if (!offer.offerClientMaxWindowBits || bits == 0
                || (offer.clientMaxWindowBits != 0 && bits > offer.clientMaxWindowBits))
                return std::nullopt;
            a.clientMaxWindowBits = bits;
        } else {
            return std::nullopt; // unknown parameter
        }
    }
    if ((offer.serverNoContextTakeover && !seen.contains("server_no_context_takeover"))
        || (offer.serverMaxWindowBits != 0 && !seen.contains("server_max_window_bits")))
        return std::nullopt; // what was requested must be granted
    if (offer.clientNoContextTakeover)
        a.clientNoContextTakeover = true;
    if (offer.clientMaxWindowBits != 0 && !seen.contains("client_max_window_bits"))
        a.clientMaxWindowBits = offer.clientMaxWindowBits;
    a.active = true;
    return a;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const DeflateOptions offer = offerFrom(data[0]);
    const QByteArray text(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const QList<QByteArray> lines = text.split('\n');

    // the parser: a list it accepts survives being written out and read again
    QList<ExtensionElement> elements;
    QString problem;
    const ErrorDetail syntax = parseExtensionList(lines, &elements, &problem);
    if (syntax == ErrorDetail::None) {
        QList<ExtensionElement> again;
        if (parseExtensionList({write(elements)}, &again, &problem) != ErrorDetail::None || !sameElements(elements, again))
            __builtin_trap();
    } else if (problem.isEmpty()) {
        __builtin_trap(); // a syntax error says where
    }

    DeflateAgreement a;
    problem.clear();
    const ErrorDetail error = negotiateDeflate(offer, lines, &a, &problem);
    if (syntax != ErrorDetail::None && error != syntax)
        __builtin_trap(); // a list that does not parse is refused as such
    const std::optional<DeflateAgreement> expected =
            syntax == ErrorDetail::None ? legalAnswer(offer, elements) : std::nullopt;
    if (error != ErrorDetail::None) {
        if (a.active || problem.isEmpty() || expected)
            __builtin_trap(); // refused: only an illegal answer, and it says why
        return 0;
    }
    if (!expected || a.active != expected->active)
        __builtin_trap(); // accepted: only a legal answer
    if (!a.active)
        return 0;
    if (a.clientMaxWindowBits != expected->clientMaxWindowBits || a.serverMaxWindowBits != expected->serverMaxWindowBits
        || a.clientNoContextTakeover != expected->clientNoContextTakeover
        || a.serverNoContextTakeover != expected->serverNoContextTakeover)
        __builtin_trap(); // the agreement is what the accepted parameters say
    if (!offer.enabled)
        __builtin_trap(); // never compression that was not offered
    if (a.clientMaxWindowBits < MinWindowBits || a.clientMaxWindowBits > MaxWindowBits
        || a.serverMaxWindowBits < MinWindowBits || a.serverMaxWindowBits > MaxWindowBits)
        __builtin_trap();
    if (offer.clientMaxWindowBits && a.clientMaxWindowBits > offer.clientMaxWindowBits)
        __builtin_trap(); // our window never larger than we said
    if (!offer.offerClientMaxWindowBits && a.clientMaxWindowBits != MaxWindowBits)
        __builtin_trap(); // client_max_window_bits only when offered
    if (offer.serverMaxWindowBits && a.serverMaxWindowBits > offer.serverMaxWindowBits)
        __builtin_trap();
    if (offer.serverNoContextTakeover && !a.serverNoContextTakeover)
        __builtin_trap();
    if (offer.clientNoContextTakeover && !a.clientNoContextTakeover)
        __builtin_trap();
    if (a.compressOutgoing != (a.clientMaxWindowBits > MinWindowBits))
        __builtin_trap();
    return 0;
}
