#pragma once

#include <optional>

#include <QDateTime>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace Wsw {

/** The built-in echo server's TLS identity: a self-signed certificate for localhost and its key. */
struct ServerIdentity
{
    QSslCertificate certificate{}; // {}: its default constructor is explicit
    QSslKey key;
    QString certificatePath;
    QString keyPath;
    bool created = false; // generated now rather than loaded
    /** Why an identity that was already in the directory was replaced (empty when it was loaded, or
     * when there was none): expired, expiring soon, key not matching, a file unreadable or corrupt. */
    QString regeneratedBecause;
};

/** The files kept in the identity directory. */
inline constexpr char16_t SelfSignedCertificateFileName[] = u"echo-server.pem";
inline constexpr char16_t SelfSignedKeyFileName[] = u"echo-server.key";

/** A kept certificate that expires sooner than this after now is replaced. */
inline constexpr int SelfSignedRenewalMarginDays = 30;
/** How long a new certificate is valid (the CA/Browser Forum's former maximum). */
inline constexpr int SelfSignedValidityDays = 825;

/**
 * Loads the identity kept in directory, or creates a new self-signed one there (echo-server.pem,
 * echo-server.key) when there is none or the one there cannot be used: expired, expiring within
 * SelfSignedRenewalMarginDays, a key that does not belong to the certificate, or a file that cannot be
 * read or parsed (regeneratedBecause says which). A new identity is an EC P-256 key and a certificate
 * for CN "WebSocket Workbench local echo server" with subjectAltName DNS:localhost, IP:127.0.0.1 and
 * IP:::1, valid from an hour before now for SelfSignedValidityDays, made with OpenSSL's API. Both files
 * are written atomically; the key file (unencrypted PKCS#8 PEM) is readable by its owner only. The
 * directory is created if needed.
 *
 * On failure (the directory cannot be created or written, OpenSSL fails): std::nullopt and *error
 * naming the path and the reason.
 *
 * now is the time the identity is judged and generated at; an invalid QDateTime (the default) means
 * the current time. Tests pass a time in the past to make a certificate that has already expired.
 */
std::optional<ServerIdentity> loadOrCreateSelfSignedIdentity(const QString &directory, QString *error,
                                                             const QDateTime &now = QDateTime());

} // namespace Wsw
