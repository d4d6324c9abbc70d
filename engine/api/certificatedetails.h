#pragma once

#include <optional>

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QStringList>

#include "codec/wswenums.h"

namespace Wsw {

/**
 * Everything a person inspecting a server's certificate wants to read, from QSslCertificate and,
 * where Qt stops (key usage, extended key usage, basic constraints, key and signature algorithms),
 * from the DER with OpenSSL's API. Plain values: the UI and wscli format them.
 */
struct CertificateDetails {
    /** Attributes in the order of the certificate, e.g. {"CN", "localhost"}, {"O", "Example"}. */
    QList<QPair<QString, QString>> subject;
    QList<QPair<QString, QString>> issuer;
    QString subjectDisplayName; // CN, else O, else the whole subject
    QString issuerDisplayName;
    QString serialNumber;       // colon-separated hex, as OpenSSL prints it
    int version = 0;            // 1..3
    QDateTime notBefore;        // UTC
    QDateTime notAfter;         // UTC
    /** Entries as "DNS:example.org", "IP:127.0.0.1", "email:…", "URI:…", in the certificate's order. */
    QStringList subjectAlternativeNames;
    /** "Digital Signature", "Key Encipherment", "Certificate Sign", …; empty when there is no extension. */
    QStringList keyUsage;
    bool keyUsageCritical = false;
    /** "TLS Web Server Authentication (serverAuth)", "…(clientAuth)", or the OID text. */
    QStringList extendedKeyUsage;
    bool extendedKeyUsageCritical = false;
    /** Basic constraints: absent, or CA true/false with an optional path length. */
    bool hasBasicConstraints = false;
    bool isCertificateAuthority = false;
    std::optional<int> pathLength;
    bool basicConstraintsCritical = false;
    QString publicKeyAlgorithm; // "RSA", "EC (prime256v1)", "Ed25519"
    int publicKeyBits = 0;
    QString signatureAlgorithm; // "sha256WithRSAEncryption", "ecdsa-with-SHA256"
    bool selfIssued = false;    // subject == issuer
    QString sha1Fingerprint;    // "AB:CD:…"
    QString sha256Fingerprint;
    QString spkiPin;            // "sha256/BASE64" (SpkiPin::of)
    QString pem;

    /** Whole days from now until notAfter (negative once expired). */
    qint64 daysRemaining(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    bool isExpired(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    bool isNotYetValid(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
};

/** Reads the details of one certificate; a null certificate gives empty details. */
CertificateDetails certificateDetails(const QSslCertificate &certificate);

/** One certificate of a chain as shown, with the errors OpenSSL reported for it. */
struct ChainEntry {
    QSslCertificate certificate;
    /** The server sent it (false: taken from the trust store to complete the chain). */
    bool sentByServer = true;
    /** Errors attached to this certificate, as ChainValidationResult and as OpenSSL's QSslError. */
    QList<ChainValidationResult> results;
    QList<QSslError> sslErrors;
};

/**
 * The chain from the leaf to the root as a person reads it: the leaf, then each issuer found among
 * the certificates the server sent (in issuer order, whatever order they were sent in), then, if
 * the last one is not self-issued, its issuer from trustStore when one is there (the root the
 * server need not send). Certificates the server sent that are not part of the path follow at the
 * end. Each error of sslErrors is attached to the certificate it names; errors without one go to
 * the leaf.
 */
QList<ChainEntry> buildDisplayChain(const QSslCertificate &leaf, const QList<QSslCertificate> &intermediates,
                                    const QList<QSslError> &sslErrors, const QList<QSslCertificate> &trustStore);

} // namespace Wsw
