#include "api/spkipin.h"

#include <QCryptographicHash>
#include <QSslKey>

namespace Wsw::SpkiPin {

namespace {
constexpr QStringView Prefix = u"sha256/";
constexpr qsizetype DigestBytes = 32;
} // namespace

QByteArray digestOf(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    // QSslKey::toDer() of a public key is its SubjectPublicKeyInfo
    const QByteArray spki = certificate.publicKey().toDer();
    return spki.isEmpty() ? QByteArray() : QCryptographicHash::hash(spki, QCryptographicHash::Sha256);
}

QString of(const QSslCertificate &certificate)
{
    const QByteArray digest = digestOf(certificate);
    return digest.isEmpty() ? QString() : Prefix + QString::fromLatin1(digest.toBase64());
}

QByteArray digestOf(QStringView pin)
{
    if (!pin.startsWith(Prefix))
        return {};
    const QByteArray base64 = pin.sliced(Prefix.size()).toLatin1();
    // strict: exactly the 44 characters of 32 bytes, so a typo is caught instead of ignored
    auto decoded = QByteArray::fromBase64Encoding(base64, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != DigestBytes || decoded.decoded.toBase64() != base64)
        return {};
    return decoded.decoded;
}

} // namespace Wsw::SpkiPin
