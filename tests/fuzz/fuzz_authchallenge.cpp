// Fuzz entry point: WWW-Authenticate parsing (RFC 7235), the chooser and the Authorization
// values it leads to, and the transcript redaction. The first byte chooses the acceptable
// schemes; the rest, split at '\n', are the header lines (several lines are one challenge list).
// Oracles: nothing crashes and the bounds hold; the whole list parses exactly when every line
// does on its own and the total is within MaxAuthChallenges, and then it is the lines' results
// end to end; an error says why and leaves the output alone; what is accepted, written out again
// as one line, reads back the same; the chooser picks an acceptable challenge and none stronger
// is passed over; the Authorization value made for it reads back as what was computed; the
// redaction leaves no credentials header unredacted and is idempotent.
#include <cstddef>
#include <cstdint>

#include "codec/httpauth.h"
#include "codec/httptoken.h"

namespace {

using namespace Wsw;
using namespace Wsw::Codec;
using namespace Qt::Literals::StringLiterals;

bool sameChallenges(const QList<AuthChallenge> &a, const QList<AuthChallenge> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].scheme != b[i].scheme || a[i].token68 != b[i].token68 || a[i].params != b[i].params)
            return false;
    }
    return true;
}

QByteArray quoted(const QByteArray &value)
{
    QByteArray out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

QByteArray write(const QList<AuthChallenge> &challenges)
{
    QByteArrayList parts;
    for (const AuthChallenge &c : challenges) {
        QByteArray text = c.scheme;
        if (!c.token68.isEmpty()) {
            text += ' ' + c.token68;
        } else if (!c.params.isEmpty()) {
            QByteArrayList params;
            for (auto it = c.params.cbegin(); it != c.params.cend(); ++it)
                params.append(it.key() + '=' + quoted(it.value()));
            text += ' ' + params.join(", ");
        }
        parts.append(text);
    }
    return parts.join(", ");
}

/** The chooser's order, read independently: -1 when the challenge cannot be answered. */
int rank(const AuthChallenge &c, AuthSchemes acceptable)
{
    if (c.isScheme("Basic"))
        return acceptable.testFlag(AuthScheme::Basic) ? 0 : -1;
    DigestChallenge d;
    if (!acceptable.testFlag(AuthScheme::Digest) || !readDigestChallenge(c, &d))
        return -1;
    switch (d.algorithm) {
    case DigestAlgorithm::Sha256:
        return 4;
    case DigestAlgorithm::Sha256Sess:
        return 3;
    case DigestAlgorithm::Md5:
        return 2;
    case DigestAlgorithm::Md5Sess:
        return 1;
    }
    return -1;
}

void checkParsed(const QList<AuthChallenge> &challenges)
{
    if (challenges.isEmpty() || challenges.size() > MaxAuthChallenges)
        __builtin_trap();
    for (const AuthChallenge &c : challenges) {
        if (!isToken(c.scheme) || c.params.size() > MaxAuthParameters ||
            (!c.token68.isEmpty() && !c.params.isEmpty()))
            __builtin_trap();
        for (auto it = c.params.cbegin(); it != c.params.cend(); ++it) {
            if (!isToken(it.key()) || it.key() != it.key().toLower() || it.value().isNull())
                __builtin_trap();
        }
    }
}

void checkAuthorization(const QList<AuthChallenge> &challenges, AuthSchemes acceptable)
{
    AuthSelection selection;
    QString problem;
    const ErrorDetail error = chooseAuthChallenge(challenges, acceptable, &selection, &problem);
    int best = -1;
    for (const AuthChallenge &c : challenges)
        best = std::max(best, rank(c, acceptable));
    if (error != ErrorDetail::None) {
        if (error != ErrorDetail::NoUsableAuthScheme || problem.isEmpty() || best >= 0 ||
            selection.index != -1)
            __builtin_trap(); // refused only when nothing could be answered, and it says why
        return;
    }
    if (selection.index < 0 || selection.index >= challenges.size())
        __builtin_trap();
    const AuthChallenge &chosen = challenges[selection.index];
    const int r = rank(chosen, acceptable);
    if (r != best || !acceptable.testFlag(selection.scheme))
        __builtin_trap(); // the strongest acceptable one
    for (qsizetype i = 0; i < selection.index; ++i) {
        if (rank(challenges[i], acceptable) == best)
            __builtin_trap(); // the first of equals
    }

    QByteArray value;
    QList<AuthChallenge> again;
    if (selection.scheme == AuthScheme::Basic) {
        if (!chosen.isScheme("Basic") ||
            basicAuthorization(u"us\u00e9r"_s, u"p:w"_s, &value) != ErrorDetail::None ||
            parseAuthChallenges({value}, &again) != ErrorDetail::None || again.size() != 1 ||
            QByteArray::fromBase64(again[0].token68) != "us\xc3\xa9r:p:w")
            __builtin_trap();
        return;
    }
    const DigestChallenge &d = selection.digest;
    const QByteArray cnonce = "0a4f113b";
    if (!chosen.isScheme("Digest") ||
        digestAuthorization(d, u"Mu\"fa\\sa"_s, u"pw"_s, "GET", "/chat?x=1", cnonce, 7, &value) !=
            ErrorDetail::None ||
        parseAuthChallenges({value}, &again) != ErrorDetail::None || again.size() != 1 ||
        !again[0].isScheme("Digest"))
        __builtin_trap(); // our own value is a valid auth-param list
    const AuthChallenge &sent = again[0];
    const QByteArray user = "Mu\"fa\\sa";
    if (sent.param("realm") != d.realm || sent.param("nonce") != d.nonce ||
        sent.param("uri") != "/chat?x=1" || sent.param("algorithm") != digestAlgorithmName(d.algorithm) ||
        sent.param("response") != digestResponse(d, user, "pw", "GET", "/chat?x=1", cnonce, 7) ||
        sent.hasParam("opaque") != d.hasOpaque || sent.param("opaque") != d.opaque ||
        (!d.userhash && sent.param("username") != user) || sent.hasParam("userhash") != d.userhash)
        __builtin_trap();
    if (d.qopAuth != sent.hasParam("qop") || d.qopAuth != sent.hasParam("nc") ||
        d.qopAuth != sent.hasParam("cnonce"))
        __builtin_trap(); // the RFC 2069 form has none of them
    if (d.qopAuth &&
        (sent.param("qop") != "auth" || sent.param("nc") != "00000007" || sent.param("cnonce") != cnonce))
        __builtin_trap();
}

void checkRedaction(QByteArrayView raw)
{
    const QByteArray once = redactCredentials(raw);
    if (redactCredentials(once) != once)
        __builtin_trap();
    for (const QByteArray &line : once.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.startsWith(' ') || line.startsWith('\t'))
            continue;
        const QByteArray name = line.left(colon).trimmed();
        if ((equalsIgnoreCase(name, "Authorization") || equalsIgnoreCase(name, "Proxy-Authorization")) &&
            !line.endsWith("\xe2\x80\xb9redacted\xe2\x80\xba") &&
            !line.endsWith("\xe2\x80\xb9redacted\xe2\x80\xba\r"))
            __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const AuthSchemes acceptable = AuthSchemes::fromInt(data[0] & 0x3);
    const QByteArray text(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    checkRedaction(text);
    const QList<QByteArray> lines = text.split('\n');

    const AuthChallenge sentinel{"sentinel", {}, {}};
    QList<AuthChallenge> whole{sentinel};
    QString problem;
    const ErrorDetail error = parseAuthChallenges(lines, &whole, &problem);
    if (error != ErrorDetail::None && (problem.isEmpty() || whole.size() != 1))
        __builtin_trap(); // an error says why and appends nothing
    whole.removeFirst();

    // the whole list against the lines one at a time
    QList<AuthChallenge> byLine;
    bool everyLine = true;
    for (const QByteArray &line : lines) {
        QList<AuthChallenge> one;
        if (parseAuthChallenges({line}, &one) != ErrorDetail::None)
            everyLine = false;
        byLine.append(one);
    }
    const bool expectOk = everyLine && byLine.size() <= MaxAuthChallenges;
    if ((error == ErrorDetail::None) != expectOk)
        __builtin_trap();
    if (error != ErrorDetail::None)
        return 0;
    if (!sameChallenges(whole, byLine))
        __builtin_trap();
    checkParsed(whole);

    // written out as one line, it reads back the same
    QList<AuthChallenge> again;
    if (parseAuthChallenges({write(whole)}, &again, &problem) != ErrorDetail::None ||
        !sameChallenges(whole, again))
        __builtin_trap();

    checkAuthorization(whole, acceptable);
    return 0;
}
