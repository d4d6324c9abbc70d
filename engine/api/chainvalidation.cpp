#include "api/chainvalidation.h"

#include <algorithm>

#include <QMetaEnum>

namespace Wsw::ChainValidation {

ChainValidationResult resultFor(QSslError::SslError error)
{
    using E = QSslError;
    using R = ChainValidationResult;
    // No default: a QSslError value added by a later Qt fails the build (-Wswitch) instead of
    // being mapped by accident.
    switch (error) {
    case E::NoError:
        return R::Success;
    case E::SelfSignedCertificate:
    case E::SelfSignedCertificateInChain:
    case E::CertificateUntrusted:
    case E::CertificateRejected:
        return R::Untrusted;
    // OpenSSL cannot tell a missing intermediate from an untrusted root
    case E::UnableToGetIssuerCertificate:
    case E::UnableToGetLocalIssuerCertificate:
    case E::UnableToVerifyFirstCertificate:
        return R::IncompleteChain;
    // WinRT has no "not yet valid"
    case E::CertificateExpired:
    case E::CertificateNotYetValid:
        return R::Expired;
    case E::HostNameMismatch:
        return R::InvalidName;
    case E::InvalidPurpose:
        return R::WrongUsage;
    case E::CertificateStatusUnknown:
    case E::OcspNoResponseFound:
    case E::OcspStatusUnknown:
        return R::RevocationInformationMissing;
    case E::OcspMalformedRequest:
    case E::OcspMalformedResponse:
    case E::OcspInternalError:
    case E::OcspTryLater:
    case E::OcspSigRequred:
    case E::OcspUnauthorized:
    case E::OcspResponseCannotBeTrusted:
    case E::OcspResponseCertIdUnknown:
    case E::OcspResponseExpired:
        return R::RevocationFailure;
    case E::CertificateRevoked:
    case E::CertificateBlacklisted:
        return R::Revoked;
    case E::CertificateSignatureFailed:
    case E::UnableToDecryptCertificateSignature:
    case E::UnableToDecodeIssuerPublicKey:
        return R::InvalidSignature;
    case E::InvalidCaCertificate:
    case E::PathLengthExceeded:
        return R::BasicConstraintsError;
    case E::InvalidNotBeforeField:
    case E::InvalidNotAfterField:
    case E::SubjectIssuerMismatch:
    case E::AuthorityIssuerSerialNumberMismatch:
    case E::NoPeerCertificate:
    case E::UnspecifiedError:
    case E::NoSslSupport: // not a chain error: fails closed
        return R::OtherErrors;
    }
    return R::OtherErrors; // a value outside the enumeration
}

SocketSslErrorSeverity severityOf(ChainValidationResult result)
{
    using R = ChainValidationResult;
    switch (result) {
    case R::Success:
        return SocketSslErrorSeverity::None;
    case R::Untrusted:
    case R::Expired:
    case R::IncompleteChain:
    case R::WrongUsage:
    case R::InvalidName:
    case R::RevocationInformationMissing:
    case R::RevocationFailure:
        return SocketSslErrorSeverity::Ignorable;
    case R::Revoked:
    case R::InvalidSignature:
    case R::InvalidCertificateAuthorityPolicy:
    case R::BasicConstraintsError:
    case R::UnknownCriticalExtension:
    case R::OtherErrors:
        return SocketSslErrorSeverity::Fatal;
    }
    return SocketSslErrorSeverity::Fatal;
}

SocketSslErrorSeverity severityOf(const QList<ChainValidationResult> &results)
{
    SocketSslErrorSeverity worst = SocketSslErrorSeverity::None;
    for (ChainValidationResult result : results)
        worst = std::max(worst, severityOf(result));
    return worst;
}

bool isIgnorable(ChainValidationResult result)
{
    return severityOf(result) == SocketSslErrorSeverity::Ignorable;
}

QList<ChainValidationResult> resultsFor(const QList<QSslError> &errors)
{
    QList<ChainValidationResult> results;
    for (const QSslError &error : errors) {
        const ChainValidationResult result = resultFor(error.error());
        if (result != ChainValidationResult::Success && !results.contains(result))
            results.append(result);
    }
    return results;
}

WebErrorStatus statusFor(const QList<ChainValidationResult> &results)
{
    using R = ChainValidationResult;
    if (results.size() != 1)
        return results.isEmpty() ? WebErrorStatus::CertificateIsInvalid
                                 : WebErrorStatus::CertificateContainsErrors;
    switch (results.constFirst()) {
    case R::Expired:
        return WebErrorStatus::CertificateExpired;
    case R::InvalidName:
        return WebErrorStatus::CertificateCommonNameIsIncorrect;
    case R::Revoked:
        return WebErrorStatus::CertificateRevoked;
    case R::RevocationInformationMissing:
    case R::RevocationFailure:
    case R::OtherErrors:
        return WebErrorStatus::CertificateContainsErrors;
    default:
        return WebErrorStatus::CertificateIsInvalid;
    }
}

QString name(ChainValidationResult result)
{
    const char *key = QMetaEnum::fromType<ChainValidationResult>().valueToKey(int(result));
    return key ? QString::fromLatin1(key) : QString::number(int(result));
}

std::optional<ChainValidationResult> fromName(QStringView name)
{
    const QMetaEnum meta = QMetaEnum::fromType<ChainValidationResult>();
    for (int i = 0; i < meta.keyCount(); ++i) {
        if (name.compare(QLatin1StringView(meta.key(i)), Qt::CaseInsensitive) == 0)
            return ChainValidationResult(meta.value(i));
    }
    return std::nullopt;
}

QStringList names()
{
    const QMetaEnum meta = QMetaEnum::fromType<ChainValidationResult>();
    QStringList out;
    for (int i = 0; i < meta.keyCount(); ++i) {
        if (ChainValidationResult(meta.value(i)) != ChainValidationResult::Success)
            out.append(QString::fromLatin1(meta.key(i)));
    }
    return out;
}

QString explanation(ChainValidationResult result)
{
    using R = ChainValidationResult;
    switch (result) {
    case R::Success:
        return QStringLiteral("The chain was verified.");
    case R::Untrusted:
        return QStringLiteral(
            "The chain ends in a certificate that is not trusted (self-signed, or an unknown root CA).");
    case R::Revoked:
        return QStringLiteral("A certificate of the chain has been revoked by its issuer.");
    case R::Expired:
        return QStringLiteral("A certificate of the chain has expired or is not valid yet.");
    case R::IncompleteChain:
        return QStringLiteral("The issuer of a certificate is missing: the server did not send an "
                              "intermediate, or the root is unknown.");
    case R::InvalidSignature:
        return QStringLiteral("A signature in the chain cannot be verified.");
    case R::WrongUsage:
        return QStringLiteral("A certificate is used for a purpose it was not issued for (e.g. a client "
                              "certificate serving TLS).");
    case R::InvalidName:
        return QStringLiteral("The certificate does not name the host that was connected to.");
    case R::InvalidCertificateAuthorityPolicy:
        return QStringLiteral("A certificate violates its CA's policy.");
    case R::BasicConstraintsError:
        return QStringLiteral(
            "A certificate that is not a CA (or exceeds its path length) issued another certificate.");
    case R::UnknownCriticalExtension:
        return QStringLiteral("A certificate has a critical extension that is not understood.");
    case R::RevocationInformationMissing:
        return QStringLiteral("The revocation status of a certificate is unknown.");
    case R::RevocationFailure:
        return QStringLiteral("The revocation status could not be checked (OCSP failed).");
    case R::OtherErrors:
        return QStringLiteral(
            "The chain has another defect (malformed fields, no certificate, an unexpected error).");
    }
    return {};
}

} // namespace Wsw::ChainValidation
