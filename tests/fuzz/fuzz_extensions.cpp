// Fuzz entry point: Sec-WebSocket-Extensions parsing and permessage-deflate negotiation.
// The first byte chooses our offer; the rest, split at '\n', are the header lines of the answer.
// Oracles: nothing crashes; an accepted agreement keeps every rule of RFC 7692 §7 for the offer
// made; a refusal always says why; and what parseExtensionList reads, written out again, reads
// back the same.
#include <cstddef>
#include <cstdint>

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
    if (parseExtensionList(lines, &elements, &problem) == ErrorDetail::None) {
        QList<ExtensionElement> again;
        if (parseExtensionList({write(elements)}, &again, &problem) != ErrorDetail::None || !sameElements(elements, again))
            __builtin_trap();
    } else if (problem.isEmpty()) {
        __builtin_trap(); // a syntax error says where
    }

    DeflateAgreement a;
    problem.clear();
    const ErrorDetail error = negotiateDeflate(offer, lines, &a, &problem);
    if (error != ErrorDetail::None) {
        if (a.active || problem.isEmpty())
            __builtin_trap();
        return 0;
    }
    if (!a.active)
        return 0;
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
