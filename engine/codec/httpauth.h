#pragma once

// HTTP authentication of the WebSocket upgrade, the socket-free half: reading the server's
// WWW-Authenticate (or Proxy-Authenticate) challenges (RFC 7235), choosing one, and writing the
// Authorization value for Basic (RFC 7617) and Digest (RFC 7616). Qt's WebSocket has no 401
// retry, so this is ours. The connection sends the upgrade again with the value produced here.

#include <functional>

#include <QByteArray>
#include <QByteArrayView>
#include <QFlags>
#include <QList>
#include <QMap>
#include <QString>

#include "codec/wswenums.h"

namespace Wsw::Codec {

/** At most this many challenges over all the header lines (a server offers two or three). */
constexpr qsizetype MaxAuthChallenges = 16;
/** At most this many auth-params in one challenge (Digest defines nine). */
constexpr qsizetype MaxAuthParameters = 32;

/** One challenge (RFC 7235 §2.1): `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`. */
struct AuthChallenge
{
    /** As the server wrote it; schemes compare case-insensitively (isScheme). */
    QByteArray scheme;
    /** Parameter names lower-cased (they are case-insensitive); quoted-string values unescaped. */
    QMap<QByteArray, QByteArray> params;
    /** The token68 form (e.g. `Negotiate abc==`); empty when the challenge has params or nothing. */
    QByteArray token68;

    bool isScheme(QByteArrayView name) const;
    /** The value of a parameter by its name in any case; null when absent. */
    QByteArray param(QByteArrayView name) const;
    bool hasParam(QByteArrayView name) const;
};

/**
 * Parses the values of the WWW-Authenticate (or Proxy-Authenticate) header lines by RFC 7235
 * §2.1 and §4.1: each value is a comma-separated list of one or more challenges, every line its
 * own list; a quoted-string may hold commas and quoted-pairs. Appends to *out and returns None,
 * or the broken rule with *problem saying where: MissingAuthChallenge (no value at all),
 * MalformedAuthChallenge, DuplicateAuthParameter (a name twice in one challenge),
 * TooManyAuthChallenges, TooManyAuthParameters. *out is left unchanged on an error.
 */
ErrorDetail parseAuthChallenges(const QList<QByteArray> &wwwAuthenticateValues, QList<AuthChallenge> *out,
                                QString *problem = nullptr);

/**
 * "Basic " + base64(user ":" password) (RFC 7617 §2), both in UTF-8 after Unicode NFC, which is
 * what `charset="UTF-8"` asks (§2.1) and what clients send when no charset is given.
 * ColonInUserName when the user-id has a ':' (the server could not split it),
 * ControlCharacterInCredentials when either has a control character (§2).
 */
ErrorDetail basicAuthorization(const QString &user, const QString &password, QByteArray *headerValue,
                               QString *problem = nullptr);

/** The Digest algorithms we can compute (SHA-512-256 needs a hash Qt Core does not have). */
enum class DigestAlgorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
};

/** The token of the algorithm parameter: "MD5", "MD5-sess", "SHA-256", "SHA-256-sess". */
QByteArray digestAlgorithmName(DigestAlgorithm algorithm);

/** A Digest challenge we can answer, read from an AuthChallenge (readDigestChallenge). */
struct DigestChallenge
{
    DigestAlgorithm algorithm = DigestAlgorithm::Md5;
    /** False for the RFC 2069 form (no qop parameter): no cnonce, nc or qop in the answer. */
    bool qopAuth = false;
    /** userhash=true: the username is sent as H(username ":" realm) (RFC 7616 §3.4.4). */
    bool userhash = false;
    /** stale=true: the nonce expired but the credentials were right; retry without asking. */
    bool stale = false;
    /** charset=UTF-8 was given (RFC 7616 §4). */
    bool utf8 = false;
    QByteArray realm;
    QByteArray nonce;
    QByteArray opaque;
    bool hasOpaque = false;
};

/**
 * Whether we can answer this challenge (RFC 7616 §3.3): a Digest challenge with a realm and a
 * nonce, an algorithm we compute (absent = MD5), qop absent (RFC 2069 form, not with a -sess
 * algorithm) or listing "auth" (an auth-int-only challenge is skipped: it needs the body).
 * False with *whyNot saying why otherwise.
 */
bool readDigestChallenge(const AuthChallenge &challenge, DigestChallenge *out, QString *whyNot = nullptr);

/** Where the cnonce comes from; the result is sent as it is inside a quoted-string. */
using CnonceSource = std::function<QByteArray()>;

/** 16 bytes from QRandomGenerator::system(), as 32 lower-case hex digits. */
QByteArray systemCnonce();

/**
 * The Digest Authorization value for one request (RFC 7616 §3.4), a pure function: parameters
 * in the order username, realm, uri, algorithm, nonce, nc, cnonce, qop, response, opaque,
 * userhash; algorithm, nc and qop unquoted, the others quoted-strings with '"' and '\' escaped
 * (§3.4). The user name and password are UTF-8 after NFC; a non-ASCII name is sent as UTF-8
 * inside the quoted-string (obs-text), not as username*. With userhash=true the username is
 * H(username ":" realm) and "userhash=true" is added; the response is computed with the plain
 * name. nc, cnonce and qop appear only with qop=auth (not in the RFC 2069 form). uri is the
 * request-target (path?query) as sent in the request line. ControlCharacterInCredentials when
 * the user name or password has a control character.
 */
ErrorDetail digestAuthorization(const DigestChallenge &challenge, const QString &user,
                                const QString &password, QByteArrayView method, QByteArrayView uri,
                                QByteArrayView cnonce, quint32 nonceCount, QByteArray *headerValue,
                                QString *problem = nullptr);

/** The response value alone ("request-digest", lower-case hex), for tests and logging. */
QByteArray digestResponse(const DigestChallenge &challenge, const QByteArray &user,
                          const QByteArray &password, QByteArrayView method, QByteArrayView uri,
                          QByteArrayView cnonce, quint32 nonceCount);

/**
 * Answers one Digest challenge over several requests: nc counts 00000001, 00000002, ... for its
 * nonce (RFC 7616 §3.4), and each request gets a fresh cnonce from the source.
 */
class DigestSession
{
public:
    explicit DigestSession(const DigestChallenge &challenge, CnonceSource cnonces = {});

    const DigestChallenge &challenge() const { return m_challenge; }
    /** The nc of the last value produced; 0 before the first. */
    quint32 nonceCount() const { return m_nonceCount; }

    ErrorDetail authorization(const QString &user, const QString &password, QByteArrayView method,
                              QByteArrayView uri, QByteArray *headerValue, QString *problem = nullptr);

private:
    DigestChallenge m_challenge;
    CnonceSource m_cnonces;
    quint32 m_nonceCount = 0;
};

enum class AuthScheme {
    Basic = 0x1,
    Digest = 0x2,
};
Q_DECLARE_FLAGS(AuthSchemes, AuthScheme)
Q_DECLARE_OPERATORS_FOR_FLAGS(AuthSchemes)

/** True for Basic: the password is only base64-encoded, readable by anyone on a plain ws:// path. */
bool sendsPasswordInClear(AuthScheme scheme);

/** The challenge chosen to answer. */
struct AuthSelection
{
    AuthScheme scheme = AuthScheme::Basic;
    /** Its index in the parsed list. */
    qsizetype index = -1;
    /** The realm offered, for the credentials prompt. */
    QByteArray realm;
    /** For Digest: what to answer (DigestSession). */
    DigestChallenge digest;
};

/**
 * Picks the strongest challenge we can answer among the acceptable schemes: Digest SHA-256 >
 * SHA-256-sess > MD5 > MD5-sess > Basic, the first offered on a tie. NoUsableAuthScheme
 * otherwise, with *problem naming the schemes offered and why each was passed over.
 */
ErrorDetail chooseAuthChallenge(const QList<AuthChallenge> &challenges, AuthSchemes acceptable,
                                AuthSelection *out, QString *problem = nullptr);

/**
 * The raw header bytes for a transcript with the values of Authorization and Proxy-Authorization
 * replaced, the scheme kept: "Authorization: Digest ‹redacted›". Folded continuation lines of
 * such a header are dropped; everything else, line endings included, is kept byte for byte.
 */
QByteArray redactCredentials(QByteArrayView rawHeaders);

} // namespace Wsw::Codec
