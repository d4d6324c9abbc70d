#include "codec/httpauth.h"

#include <algorithm>

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QStringList>

#include "codec/httptoken.h"

namespace Wsw::Codec {

namespace {

using namespace Qt::Literals::StringLiterals;

bool isWhitespace(char c)
{
    return c == ' ' || c == '\t';
}

/** RFC 7235 §2.1: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
bool isToken68Char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

/** RFC 7230 §3.2.6 qdtext, and what may follow a backslash in a quoted-pair (VCHAR, SP, HTAB, obs-text). */
bool isQuotedTextChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return c == '\t' || (u >= 0x20 && u != 0x7F);
}

ErrorDetail fail(QString *problem, ErrorDetail detail, const QString &what)
{
    if (problem)
        *problem = what;
    return detail;
}

/** A cursor over one header value. */
class Reader
{
public:
    explicit Reader(QByteArrayView text) : m_text(text) {}

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    qsizetype position() const { return m_pos; }
    void seek(qsizetype pos) { m_pos = pos; }
    void skip() { ++m_pos; }
    void skipWhitespace()
    {
        while (!atEnd() && isWhitespace(peek()))
            ++m_pos;
    }
    /** Skips OWS and the empty elements of a #list: `, ,` (RFC 7230 §7). */
    void skipSeparators()
    {
        while (!atEnd() && (isWhitespace(peek()) || peek() == ','))
            ++m_pos;
    }
    QByteArrayView token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isTokenChar(peek()))
            ++m_pos;
        return m_text.sliced(start, m_pos - start);
    }
    QByteArrayView token68()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isToken68Char(peek()))
            ++m_pos;
        if (m_pos == start)
            return {};
        while (!atEnd() && peek() == '=')
            ++m_pos;
        return m_text.sliced(start, m_pos - start);
    }
    /** At a '"': the unescaped content; false when unterminated or holding a control character. */
    bool quotedString(QByteArray *out)
    {
        ++m_pos; // the opening quote
        while (!atEnd()) {
            const char c = peek();
            ++m_pos;
            if (c == '"')
                return true;
            if (c == '\\') {
                if (atEnd() || !isQuotedTextChar(peek()))
                    return false;
                out->append(peek());
                ++m_pos;
            } else if (isQuotedTextChar(c)) {
                out->append(c);
            } else {
                return false;
            }
        }
        return false;
    }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

QString describeByte(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7F)
        return u"'%1'"_s.arg(QChar::fromLatin1(c));
    return u"byte 0x%1"_s.arg(uint(u), 2, 16, QChar(u'0'));
}

/** One header value: its challenges appended to *out. */
ErrorDetail parseValue(QByteArrayView text, const QString &where, QList<AuthChallenge> *out, QString *problem)
{
    auto malformed = [&](const QString &what) {
        return fail(problem, ErrorDetail::MalformedAuthChallenge, what + where);
    };
    Reader r(text);
    r.skipSeparators();
    if (r.atEnd())
        return malformed(u"a WWW-Authenticate value without a challenge"_s);

    while (!r.atEnd()) {
        // at the start of a challenge
        AuthChallenge challenge;
        const qsizetype schemeAt = r.position();
        challenge.scheme = r.token().toByteArray();
        if (challenge.scheme.isEmpty())
            return malformed(u"an auth-scheme was expected at byte %1, not %2"_s.arg(schemeAt).arg(
                describeByte(r.peek())));
        if (out->size() >= MaxAuthChallenges)
            return fail(problem, ErrorDetail::TooManyAuthChallenges,
                        u"more than %1 challenges"_s.arg(MaxAuthChallenges) + where);

        bool nextIsNewChallenge = false;
        if (!r.atEnd() && r.peek() != ',') {
            if (!isWhitespace(r.peek()))
                return malformed(u"the auth-scheme %1 is followed by %2 at byte %3, not by a space"_s.arg(
                    QString::fromLatin1(challenge.scheme), describeByte(r.peek()),
                    QString::number(r.position())));
            r.skipWhitespace();
        }
        if (!r.atEnd() && r.peek() != ',') {
            // token68, when what follows the run is the end or a comma; else auth-params
            const qsizetype start = r.position();
            const QByteArrayView candidate = r.token68();
            r.skipWhitespace();
            if (!candidate.isEmpty() && (r.atEnd() || r.peek() == ',')) {
                challenge.token68 = candidate.toByteArray();
            } else {
                r.seek(start);
                while (true) {
                    const qsizetype nameAt = r.position();
                    const QByteArray name = r.token().toByteArray().toLower();
                    if (name.isEmpty())
                        return malformed(
                            u"a parameter name was expected at byte %1, not %2"_s.arg(nameAt).arg(
                                describeByte(r.peek())));
                    r.skipWhitespace();
                    if (r.peek() != '=')
                        return malformed(u"'=' was expected after the parameter %1 at byte %2"_s.arg(
                            QString::fromLatin1(name), QString::number(r.position())));
                    r.skip();
                    r.skipWhitespace();
                    QByteArray value;
                    if (r.peek() == '"') {
                        const qsizetype quoteAt = r.position();
                        if (!r.quotedString(&value))
                            return malformed(
                                u"the quoted value of %1 at byte %2 is unterminated or has a control character"_s
                                    .arg(QString::fromLatin1(name), QString::number(quoteAt)));
                    } else {
                        value = r.token().toByteArray();
                        if (value.isEmpty())
                            return malformed(
                                u"%1= has no value (a token or a quoted string) at byte %2"_s.arg(
                                    QString::fromLatin1(name), QString::number(r.position())));
                    }
                    if (challenge.params.contains(name))
                        return fail(problem, ErrorDetail::DuplicateAuthParameter,
                                    u"the %1 challenge names %2 twice"_s.arg(
                                        QString::fromLatin1(challenge.scheme), QString::fromLatin1(name)) +
                                        where);
                    if (challenge.params.size() >= MaxAuthParameters)
                        return fail(
                            problem, ErrorDetail::TooManyAuthParameters,
                            u"the %1 challenge has more than %2 parameters"_s.arg(
                                QString::fromLatin1(challenge.scheme), QString::number(MaxAuthParameters)) +
                                where);
                    challenge.params.insert(name, value.isNull() ? QByteArray("", 0) : value);
                    r.skipWhitespace();
                    if (r.atEnd())
                        break;
                    if (r.peek() != ',')
                        return malformed(u"a comma was expected at byte %1, not %2"_s.arg(r.position())
                                             .arg(describeByte(r.peek())));
                    r.skipSeparators();
                    if (r.atEnd())
                        break;
                    // another auth-param (token BWS "=") or the next challenge's scheme
                    const qsizetype next = r.position();
                    r.token();
                    r.skipWhitespace();
                    const bool isParam = r.peek() == '=';
                    r.seek(next);
                    if (!isParam) {
                        nextIsNewChallenge = true;
                        break;
                    }
                }
            }
        }
        out->append(challenge);
        if (!nextIsNewChallenge) {
            // after a scheme alone or a token68: the end or a comma
            r.skipWhitespace();
            if (!r.atEnd() && r.peek() != ',')
                return malformed(u"a comma was expected at byte %1, not %2"_s.arg(r.position())
                                     .arg(describeByte(r.peek())));
            r.skipSeparators();
        }
    }
    return ErrorDetail::None;
}

bool hasControlCharacter(const QString &s)
{
    return std::any_of(s.begin(), s.end(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7F; });
}

QByteArray credentialBytes(const QString &s)
{
    return s.normalized(QString::NormalizationForm_C).toUtf8();
}

QByteArray quoted(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size() + 2);
    out.append('"');
    for (char c : value) {
        if (c == '"' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    out.append('"');
    return out;
}

QCryptographicHash::Algorithm hashOf(DigestAlgorithm algorithm)
{
    switch (algorithm) {
    case DigestAlgorithm::Sha256:
    case DigestAlgorithm::Sha256Sess:
        return QCryptographicHash::Sha256;
    case DigestAlgorithm::Md5:
    case DigestAlgorithm::Md5Sess:
        break;
    }
    return QCryptographicHash::Md5;
}

bool isSession(DigestAlgorithm algorithm)
{
    return algorithm == DigestAlgorithm::Md5Sess || algorithm == DigestAlgorithm::Sha256Sess;
}

QByteArray nonceCountText(quint32 nc)
{
    return QByteArray::number(nc, 16).rightJustified(8, '0');
}

/** Higher is stronger; Basic lowest. */
int strength(AuthScheme scheme, DigestAlgorithm algorithm)
{
    if (scheme == AuthScheme::Basic)
        return 0;
    switch (algorithm) {
    case DigestAlgorithm::Sha256:
        return 4;
    case DigestAlgorithm::Sha256Sess:
        return 3;
    case DigestAlgorithm::Md5:
        return 2;
    case DigestAlgorithm::Md5Sess:
        return 1;
    }
    return 0;
}

constexpr char Redacted[] = "\xE2\x80\xB9redacted\xE2\x80\xBA"; // ‹redacted› in UTF-8

bool isCredentialsHeader(QByteArrayView name)
{
    name = name.trimmed();
    return equalsIgnoreCase(name, "Authorization") || equalsIgnoreCase(name, "Proxy-Authorization");
}

} // namespace

bool AuthChallenge::isScheme(QByteArrayView name) const
{
    return equalsIgnoreCase(scheme, name);
}

QByteArray AuthChallenge::param(QByteArrayView name) const
{
    return params.value(name.toByteArray().toLower());
}

bool AuthChallenge::hasParam(QByteArrayView name) const
{
    return params.contains(name.toByteArray().toLower());
}

ErrorDetail parseAuthChallenges(const QList<QByteArray> &wwwAuthenticateValues, QList<AuthChallenge> *out,
                                QString *problem)
{
    if (wwwAuthenticateValues.isEmpty())
        return fail(problem, ErrorDetail::MissingAuthChallenge, u"no WWW-Authenticate header"_s);
    QList<AuthChallenge> parsed;
    for (qsizetype i = 0; i < wwwAuthenticateValues.size(); ++i) {
        const QString where =
            wwwAuthenticateValues.size() > 1 ? u" (header line %1)"_s.arg(i + 1) : QString();
        const ErrorDetail error = parseValue(wwwAuthenticateValues[i], where, &parsed, problem);
        if (error != ErrorDetail::None)
            return error;
    }
    out->append(parsed);
    return ErrorDetail::None;
}

ErrorDetail basicAuthorization(const QString &user, const QString &password, QByteArray *headerValue,
                               QString *problem)
{
    if (user.contains(u':'))
        return fail(problem, ErrorDetail::ColonInUserName, u"the user name contains ':'"_s);
    if (hasControlCharacter(user) || hasControlCharacter(password))
        return fail(problem, ErrorDetail::ControlCharacterInCredentials,
                    hasControlCharacter(user) ? u"the user name has a control character"_s
                                              : u"the password has a control character"_s);
    *headerValue = "Basic " + QByteArray(credentialBytes(user) + ':' + credentialBytes(password)).toBase64();
    return ErrorDetail::None;
}

QByteArray digestAlgorithmName(DigestAlgorithm algorithm)
{
    switch (algorithm) {
    case DigestAlgorithm::Md5:
        return "MD5";
    case DigestAlgorithm::Md5Sess:
        return "MD5-sess";
    case DigestAlgorithm::Sha256:
        return "SHA-256";
    case DigestAlgorithm::Sha256Sess:
        return "SHA-256-sess";
    }
    return "MD5";
}

bool readDigestChallenge(const AuthChallenge &challenge, DigestChallenge *out, QString *whyNot)
{
    auto no = [whyNot](const QString &why) {
        if (whyNot)
            *whyNot = why;
        return false;
    };
    if (!challenge.isScheme("Digest"))
        return no(u"not a Digest challenge"_s);
    DigestChallenge d;
    if (!challenge.hasParam("nonce"))
        return no(u"no nonce"_s);
    d.nonce = challenge.param("nonce");
    d.realm = challenge.param("realm");
    d.hasOpaque = challenge.hasParam("opaque");
    d.opaque = challenge.param("opaque");

    const QByteArray algorithm = challenge.param("algorithm");
    if (algorithm.isNull() || equalsIgnoreCase(algorithm, "MD5"))
        d.algorithm = DigestAlgorithm::Md5;
    else if (equalsIgnoreCase(algorithm, "MD5-sess"))
        d.algorithm = DigestAlgorithm::Md5Sess;
    else if (equalsIgnoreCase(algorithm, "SHA-256"))
        d.algorithm = DigestAlgorithm::Sha256;
    else if (equalsIgnoreCase(algorithm, "SHA-256-sess"))
        d.algorithm = DigestAlgorithm::Sha256Sess;
    else
        return no(u"algorithm %1 is not supported"_s.arg(QString::fromLatin1(algorithm.left(64))));

    if (challenge.hasParam("qop")) {
        bool auth = false;
        for (const QByteArray &option : challenge.param("qop").split(','))
            auth = auth || equalsIgnoreCase(option.trimmed(), "auth");
        if (!auth)
            return no(u"qop offers no \"auth\" (auth-int needs the request body)"_s);
        d.qopAuth = true;
    } else if (isSession(d.algorithm)) {
        return no(u"%1 needs a cnonce, which the qop-less RFC 2069 form cannot carry"_s.arg(
            QString::fromLatin1(digestAlgorithmName(d.algorithm))));
    }
    d.userhash = equalsIgnoreCase(challenge.param("userhash"), "true");
    d.stale = equalsIgnoreCase(challenge.param("stale"), "true");
    d.utf8 = equalsIgnoreCase(challenge.param("charset"), "UTF-8");
    *out = d;
    return true;
}

QByteArray systemCnonce()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex();
}

QByteArray digestResponse(const DigestChallenge &challenge, const QByteArray &user,
                          const QByteArray &password, QByteArrayView method, QByteArrayView uri,
                          QByteArrayView cnonce, quint32 nonceCount)
{
    const QCryptographicHash::Algorithm hash = hashOf(challenge.algorithm);
    auto h = [hash](const QByteArray &data) { return QCryptographicHash::hash(data, hash).toHex(); };
    QByteArray ha1 = h(user + ':' + challenge.realm + ':' + password);
    if (isSession(challenge.algorithm))
        ha1 = h(ha1 + ':' + challenge.nonce + ':' + cnonce.toByteArray());
    const QByteArray ha2 = h(method.toByteArray() + ':' + uri.toByteArray());
    if (!challenge.qopAuth)
        return h(ha1 + ':' + challenge.nonce + ':' + ha2); // RFC 2069
    return h(ha1 + ':' + challenge.nonce + ':' + nonceCountText(nonceCount) + ':' + cnonce.toByteArray() +
             ":auth:" + ha2);
}

ErrorDetail digestAuthorization(const DigestChallenge &challenge, const QString &user,
                                const QString &password, QByteArrayView method, QByteArrayView uri,
                                QByteArrayView cnonce, quint32 nonceCount, QByteArray *headerValue,
                                QString *problem)
{
    if (hasControlCharacter(user) || hasControlCharacter(password))
        return fail(problem, ErrorDetail::ControlCharacterInCredentials,
                    hasControlCharacter(user) ? u"the user name has a control character"_s
                                              : u"the password has a control character"_s);
    const QByteArray userBytes = credentialBytes(user);
    const QByteArray response =
        digestResponse(challenge, userBytes, credentialBytes(password), method, uri, cnonce, nonceCount);
    // RFC 7616 §3.4.4: with userhash the name travels as H(username ":" realm)
    const QByteArray name = challenge.userhash
                                ? QCryptographicHash::hash(QByteArray(userBytes + ':' + challenge.realm),
                                                           hashOf(challenge.algorithm))
                                      .toHex()
                                : userBytes;
    QByteArray v = "Digest username=" + quoted(name);
    v += ", realm=" + quoted(challenge.realm);
    v += ", uri=" + quoted(uri);
    v += ", algorithm=" + digestAlgorithmName(challenge.algorithm);
    v += ", nonce=" + quoted(challenge.nonce);
    if (challenge.qopAuth) {
        v += ", nc=" + nonceCountText(nonceCount);
        v += ", cnonce=" + quoted(cnonce);
        v += ", qop=auth";
    }
    v += ", response=" + quoted(response);
    if (challenge.hasOpaque)
        v += ", opaque=" + quoted(challenge.opaque);
    if (challenge.userhash)
        v += ", userhash=true";
    *headerValue = v;
    return ErrorDetail::None;
}

DigestSession::DigestSession(const DigestChallenge &challenge, CnonceSource cnonces)
    : m_challenge(challenge), m_cnonces(cnonces ? std::move(cnonces) : CnonceSource(systemCnonce))
{
}

ErrorDetail DigestSession::authorization(const QString &user, const QString &password, QByteArrayView method,
                                         QByteArrayView uri, QByteArray *headerValue, QString *problem)
{
    const QByteArray cnonce = m_challenge.qopAuth ? m_cnonces() : QByteArray();
    const ErrorDetail error = digestAuthorization(m_challenge, user, password, method, uri, cnonce,
                                                  m_nonceCount + 1, headerValue, problem);
    if (error == ErrorDetail::None)
        ++m_nonceCount;
    return error;
}

bool sendsPasswordInClear(AuthScheme scheme)
{
    return scheme == AuthScheme::Basic;
}

ErrorDetail chooseAuthChallenge(const QList<AuthChallenge> &challenges, AuthSchemes acceptable,
                                AuthSelection *out, QString *problem)
{
    if (challenges.isEmpty())
        return fail(problem, ErrorDetail::NoUsableAuthScheme, u"the server offered no challenge"_s);
    AuthSelection best;
    int bestStrength = -1;
    QStringList offered;
    for (qsizetype i = 0; i < challenges.size(); ++i) {
        const AuthChallenge &c = challenges[i];
        const QString scheme = QString::fromLatin1(c.scheme);
        AuthSelection candidate;
        candidate.index = i;
        candidate.realm = c.param("realm");
        QString why;
        if (c.isScheme("Basic")) {
            candidate.scheme = AuthScheme::Basic;
        } else if (c.isScheme("Digest")) {
            candidate.scheme = AuthScheme::Digest;
            if (!readDigestChallenge(c, &candidate.digest, &why)) {
                offered.append(u"%1 (%2)"_s.arg(scheme, why));
                continue;
            }
        } else {
            offered.append(u"%1 (not supported)"_s.arg(scheme));
            continue;
        }
        if (!acceptable.testFlag(candidate.scheme)) {
            offered.append(u"%1 (not allowed)"_s.arg(scheme));
            continue;
        }
        const int s = strength(candidate.scheme, candidate.digest.algorithm);
        if (s > bestStrength) {
            bestStrength = s;
            best = candidate;
        }
    }
    if (bestStrength < 0)
        return fail(problem, ErrorDetail::NoUsableAuthScheme,
                    u"the server offers %1"_s.arg(offered.join(u", "_s)));
    *out = best;
    return ErrorDetail::None;
}

QByteArray redactCredentials(QByteArrayView rawHeaders)
{
    QByteArray out;
    out.reserve(rawHeaders.size());
    bool inRedacted = false; // the folded continuation lines of a redacted header go too
    qsizetype pos = 0;
    while (pos < rawHeaders.size()) {
        qsizetype end = rawHeaders.indexOf('\n', pos);
        end = end < 0 ? rawHeaders.size() : end + 1;
        const QByteArrayView line = rawHeaders.sliced(pos, end - pos);
        pos = end;
        QByteArrayView content = line;
        if (content.endsWith('\n'))
            content.chop(1);
        if (content.endsWith('\r'))
            content.chop(1);
        const QByteArrayView ending = line.sliced(content.size());

        if (inRedacted && !content.isEmpty() && isWhitespace(content.front()))
            continue;
        inRedacted = false;
        const qsizetype colon = content.indexOf(':');
        if (colon <= 0 || isWhitespace(content.front()) || !isCredentialsHeader(content.first(colon))) {
            out.append(line);
            continue;
        }
        inRedacted = true;
        QByteArrayView value = content.sliced(colon + 1).trimmed();
        qsizetype schemeEnd = 0;
        while (schemeEnd < value.size() && isTokenChar(value[schemeEnd]))
            ++schemeEnd;
        const bool schemeShown =
            schemeEnd > 0 && (schemeEnd == value.size() || isWhitespace(value[schemeEnd]));
        out.append(content.first(colon + 1));
        out.append(' ');
        if (schemeShown) {
            out.append(value.first(schemeEnd));
            out.append(' ');
        }
        out.append(Redacted);
        out.append(ending);
    }
    return out;
}

} // namespace Wsw::Codec
