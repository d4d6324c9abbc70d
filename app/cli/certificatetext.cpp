#include "certificatetext.h"

#include <QCryptographicHash>
#include <QMultiMap>

#include "api/chainvalidation.h"
#include "api/spkipin.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Cli::CertificateText {

namespace {

enum class Side { Subject, Issuer };

/**
 * Qt hands out a name's attributes sorted by key, not in the certificate's order; this is the
 * order `openssl x509 -subject` shows for the usual ones, the rest follow by key.
 */
QString distinguishedName(const QSslCertificate &certificate, Side side)
{
    static const QList<QByteArray> usualOrder{"C", "ST", "L", "O", "OU", "CN"};
    const QList<QByteArray> present =
        side == Side::Subject ? certificate.subjectInfoAttributes() : certificate.issuerInfoAttributes();
    QList<QByteArray> keys;
    for (const QByteArray &key : usualOrder)
        if (present.contains(key))
            keys.append(key);
    for (const QByteArray &key : present)
        if (!keys.contains(key))
            keys.append(key);
    QStringList parts;
    for (const QByteArray &key : std::as_const(keys)) {
        const QStringList values =
            side == Side::Subject ? certificate.subjectInfo(key) : certificate.issuerInfo(key);
        for (const QString &value : values)
            parts.append(QString::fromLatin1(key) + u'=' + value);
    }
    return parts.join(u", ");
}

QString shortName(const QSslCertificate &certificate, Side side)
{
    const QStringList commonNames = side == Side::Subject
                                        ? certificate.subjectInfo(QSslCertificate::CommonName)
                                        : certificate.issuerInfo(QSslCertificate::CommonName);
    if (!commonNames.isEmpty())
        return commonNames.join(u", ");
    return distinguishedName(certificate, side);
}

/** "label:" padded so that the values line up. */
QString label(const QString &text)
{
    constexpr qsizetype Width = 12; // "not before: " is the longest label
    return QString(text + u':').leftJustified(Width);
}

/** Validation failures that concern the server's certificate, where showing it helps. */
bool concernsServerCertificate(ErrorDetail detail)
{
    switch (detail) {
    case ErrorDetail::CertificateRejected:
    case ErrorDetail::PinMismatch:
    case ErrorDetail::ServerValidationRejected:
    case ErrorDetail::ServerValidationAbandoned:
    case ErrorDetail::ServerValidationTimeout:
        return true;
    default:
        return false;
    }
}

} // namespace

QString sha256Fingerprint(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString subjectName(const QSslCertificate &certificate)
{
    return distinguishedName(certificate, Side::Subject);
}

QString issuerName(const QSslCertificate &certificate)
{
    return distinguishedName(certificate, Side::Issuer);
}

QString issuedTo(const QSslCertificate &certificate)
{
    return shortName(certificate, Side::Subject);
}

QString issuedBy(const QSslCertificate &certificate)
{
    return shortName(certificate, Side::Issuer);
}

QString alternativeNames(const QSslCertificate &certificate)
{
    QStringList names;
    const auto entries = certificate.subjectAlternativeNames();
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        switch (it.key()) {
        case QSsl::DnsEntry:
            names.append(u"DNS:" + it.value());
            break;
        case QSsl::IpAddressEntry:
            names.append(u"IP:" + it.value());
            break;
        case QSsl::EmailEntry:
            names.append(u"email:" + it.value());
            break;
        }
    }
    return names.join(u", ");
}

QString utcTime(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
}

QStringList certificateLines(const QSslCertificate &certificate, const QDateTime &now)
{
    if (certificate.isNull())
        return {};
    QStringList lines;
    lines.append(label(u"subject"_s) + subjectName(certificate));
    lines.append(label(u"issuer"_s) + issuerName(certificate));
    if (const QString names = alternativeNames(certificate); !names.isEmpty())
        lines.append(label(u"names"_s) + names);
    const QDateTime notBefore = certificate.effectiveDate();
    const QDateTime notAfter = certificate.expiryDate();
    lines.append(label(u"not before"_s) + utcTime(notBefore) +
                 (now < notBefore ? u" (not yet valid)"_s : QString()));
    lines.append(label(u"not after"_s) + utcTime(notAfter) + (now > notAfter ? u" (expired)"_s : QString()));
    lines.append(label(u"SHA-256"_s) + sha256Fingerprint(certificate));
    lines.append(label(u"pin"_s) + SpkiPin::of(certificate));
    return lines;
}

QString certificateErrorLine(ChainValidationResult result)
{
    return ChainValidation::name(result) + u": " + ChainValidation::explanation(result);
}

bool isTlsFailure(const WebSocketError &error)
{
    switch (error.detail()) {
    case ErrorDetail::TlsHandshakeFailed:
    case ErrorDetail::CertificateRejected:
    case ErrorDetail::PinMismatch:
    case ErrorDetail::ServerValidationRejected:
    case ErrorDetail::ServerValidationAbandoned:
    case ErrorDetail::ServerValidationTimeout:
    case ErrorDetail::ClientCertificateRequired:
    case ErrorDetail::ClientCertificateRejected:
    case ErrorDetail::TlsError:
        return true;
    default:
        return !error.certificateErrors().isEmpty();
    }
}

QStringList tlsFailureLines(const WebSocketError &error, const MessageWebSocketInformation &info,
                            const QList<ChainValidationResult> &ignored, const QDateTime &now)
{
    if (!isTlsFailure(error))
        return {};
    QStringList lines;
    const QList<ChainValidationResult> results =
        error.certificateErrors().isEmpty() ? info.serverCertificateErrors : error.certificateErrors();
    if (!results.isEmpty()) {
        lines.append(u"certificate errors:"_s);
        for (ChainValidationResult result : results)
            lines.append(u"  " + certificateErrorLine(result) +
                         (ignored.contains(result) ? u" (ignored)"_s : QString()));
    }
    const QSslCertificate leaf = info.serverCertificate.value_or(QSslCertificate());
    if (!leaf.isNull() && (concernsServerCertificate(error.detail()) || !results.isEmpty())) {
        lines.append(u"server certificate:"_s);
        for (const QString &line : certificateLines(leaf, now))
            lines.append(u"  " + line);
        QStringList chain{issuedTo(leaf)};
        for (const QSslCertificate &certificate : info.serverIntermediateCertificates)
            chain.append(issuedTo(certificate));
        lines.append(
            u"  " + label(u"chain sent"_s) + chain.join(u", ") +
            (info.serverIntermediateCertificates.isEmpty() ? u" (the leaf alone)"_s : u" (leaf first)"_s));
    }
    if (error.detail() == ErrorDetail::PinMismatch && !info.tls.presentedPins.isEmpty()) {
        lines.append(u"pins the server presented (leaf first):"_s);
        QList<QSslCertificate> presented{leaf};
        presented += info.serverIntermediateCertificates;
        for (qsizetype i = 0; i < info.tls.presentedPins.size(); ++i) {
            // presentedPins has one pin per presented certificate, in the same order
            const bool known = presented.size() == info.tls.presentedPins.size() && !presented.at(i).isNull();
            lines.append(u"  " + info.tls.presentedPins.at(i) +
                         (known ? u"  " + issuedTo(presented.at(i)) : QString()));
        }
    }
    return lines;
}

QString tlsSessionLine(const MessageWebSocketInformation &info)
{
    const TlsInformation &tls = info.tls;
    if (!tls.encrypted)
        return {};
    QString line = tls.protocol + u", " + tls.cipher;
    if (tls.cipherBits > 0)
        line += u" (" + QString::number(tls.cipherBits) + u"-bit)";
    if (info.serverCertificate)
        line += u", certificate issued to " + issuedTo(*info.serverCertificate) + u" by " +
                issuedBy(*info.serverCertificate);
    if (!tls.matchedPin.isEmpty())
        line += u", pinned key " + tls.matchedPin;
    if (tls.acceptedByOverride)
        line += u", accepted by the validation handler"_s;
    if (!info.serverCertificateErrors.isEmpty()) {
        QStringList names;
        for (ChainValidationResult result : info.serverCertificateErrors)
            names.append(ChainValidation::name(result));
        line += u", accepted despite: " + names.join(u", ");
    }
    return line;
}

} // namespace Wsw::Cli::CertificateText
