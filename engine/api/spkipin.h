#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QString>

namespace Wsw {

/**
 * Public-key pins as HPKP (RFC 7469) and curl's --pinnedpubkey write them: "sha256/" followed by
 * the base64 of SHA-256 over the DER SubjectPublicKeyInfo. A pin names a key, so it survives
 * the renewal of a certificate that keeps its key.
 */
namespace SpkiPin {

/** The pin of a certificate's public key; empty for a null certificate. */
QString of(const QSslCertificate &certificate);
/** The 32-byte digest a pin stands for; empty when the text is not a valid "sha256/BASE64" pin. */
QByteArray digestOf(QStringView pin);
/** The digest of a certificate's public key. */
QByteArray digestOf(const QSslCertificate &certificate);

} // namespace SpkiPin

} // namespace Wsw
