// The socket-free half of wss://: the QSslError → ChainValidationResult → severity → status
// table (spec §7.4, §12.7), pins, the chain judge and the client-certificate loader. The
// certificates come from the test PKI made with the openssl CLI (tests/pki), which also computed
// the pins this test compares with: an oracle independent of Qt.

#include "api/chainvalidation.h"

#include <QFile>
#include <QMetaEnum>
#include <QSslKey>
#include <QTest>

#include "api/clientcertificate.h"
#include "api/spkipin.h"
#include "api/websocketerror.h"
#include "connection/certificatepolicy.h"
#include "testpki.h"

using namespace Wsw;
using namespace Qt::Literals::StringLiterals;
using R = ChainValidationResult;
using E = QSslError;

Q_DECLARE_METATYPE(Wsw::ChainValidationResult)
Q_DECLARE_METATYPE(Wsw::SocketSslErrorSeverity)
Q_DECLARE_METATYPE(Wsw::WebErrorStatus)

namespace {

/** Spec §12.7's first column → second column, written out here independently of the engine. */
const QHash<QString, R> &specTable()
{
    static const QHash<QString, R> table = {
            {u"NoError"_s, R::Success},
            {u"SelfSignedCertificate"_s, R::Untrusted},
            {u"SelfSignedCertificateInChain"_s, R::Untrusted},
            {u"CertificateUntrusted"_s, R::Untrusted},
            {u"CertificateRejected"_s, R::Untrusted},
            {u"UnableToGetIssuerCertificate"_s, R::IncompleteChain},
            {u"UnableToGetLocalIssuerCertificate"_s, R::IncompleteChain},
            {u"UnableToVerifyFirstCertificate"_s, R::IncompleteChain},
            {u"CertificateExpired"_s, R::Expired},
            {u"CertificateNotYetValid"_s, R::Expired},
            {u"HostNameMismatch"_s, R::InvalidName},
            {u"InvalidPurpose"_s, R::WrongUsage},
            {u"CertificateStatusUnknown"_s, R::RevocationInformationMissing},
            {u"OcspNoResponseFound"_s, R::RevocationInformationMissing},
            {u"OcspStatusUnknown"_s, R::RevocationInformationMissing},
            {u"OcspMalformedRequest"_s, R::RevocationFailure},
            {u"OcspMalformedResponse"_s, R::RevocationFailure},
            {u"OcspInternalError"_s, R::RevocationFailure},
            {u"OcspTryLater"_s, R::RevocationFailure},
            {u"OcspSigRequred"_s, R::RevocationFailure},
            {u"OcspUnauthorized"_s, R::RevocationFailure},
            {u"OcspResponseCannotBeTrusted"_s, R::RevocationFailure},
            {u"OcspResponseCertIdUnknown"_s, R::RevocationFailure},
            {u"OcspResponseExpired"_s, R::RevocationFailure},
            {u"CertificateRevoked"_s, R::Revoked},
            {u"CertificateBlacklisted"_s, R::Revoked},
            {u"CertificateSignatureFailed"_s, R::InvalidSignature},
            {u"UnableToDecryptCertificateSignature"_s, R::InvalidSignature},
            {u"UnableToDecodeIssuerPublicKey"_s, R::InvalidSignature},
            {u"InvalidCaCertificate"_s, R::BasicConstraintsError},
            {u"PathLengthExceeded"_s, R::BasicConstraintsError},
            {u"InvalidNotBeforeField"_s, R::OtherErrors},
            {u"InvalidNotAfterField"_s, R::OtherErrors},
            {u"SubjectIssuerMismatch"_s, R::OtherErrors},
            {u"AuthorityIssuerSerialNumberMismatch"_s, R::OtherErrors},
            {u"NoPeerCertificate"_s, R::OtherErrors},
            {u"UnspecifiedError"_s, R::OtherErrors},
            {u"NoSslSupport"_s, R::OtherErrors}, // not a chain error: fails closed
    };
    return table;
}

QList<QSslError> errorsFor(std::initializer_list<E::SslError> kinds, const QSslCertificate &certificate)
{
    QList<QSslError> errors;
    for (E::SslError kind : kinds)
        errors.append(QSslError(kind, certificate));
    return errors;
}

} // namespace

class tst_TlsPolicy final : public QObject
{
    Q_OBJECT

private slots:
    void everyQSslErrorHasItsResult_data();
    void everyQSslErrorHasItsResult();
    void severityAndIgnorability_data();
    void severityAndIgnorability();
    void severityOfASetIsTheWorst();
    void statusOfARefusal_data();
    void statusOfARefusal();
    void resultsAreDistinctInOrder();
    void namesRoundTrip();

    void pinsMatchTheOpensslCli_data();
    void pinsMatchTheOpensslCli();
    void pinSyntax_data();
    void pinSyntax();

    void judgeChain_data();
    void judgeChain();
    void matchPinLeafOnlyWhenUntrusted();

    void loadPem();
    void loadPemWithKeyInTheSameFile();
    void loadEncryptedKey();
    void loadPkcs12();
    void loadFailures_data();
    void loadFailures();
    void keyMatches();
};

void tst_TlsPolicy::everyQSslErrorHasItsResult_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<ChainValidationResult>("expected");
    const QMetaEnum meta = QMetaEnum::fromType<E::SslError>();
    QCOMPARE(specTable().size(), meta.keyCount()); // a QSslError the spec table lacks fails here
    for (int i = 0; i < meta.keyCount(); ++i) {
        const QString key = QString::fromLatin1(meta.key(i));
        QVERIFY2(specTable().contains(key), qPrintable(u"spec §12.7 does not map QSslError::" + key));
        QTest::newRow(meta.key(i)) << meta.value(i) << specTable().value(key);
    }
}

void tst_TlsPolicy::everyQSslErrorHasItsResult()
{
    QFETCH(int, error);
    QFETCH(ChainValidationResult, expected);
    QCOMPARE(ChainValidation::resultFor(E::SslError(error)), expected);
    // the Fatal rows are exactly the values §7.4 marks non-ignorable
    const bool fatal = ChainValidation::severityOf(expected) == SocketSslErrorSeverity::Fatal;
    QCOMPARE(ChainValidation::isIgnorable(expected), !fatal && expected != R::Success);
}

void tst_TlsPolicy::severityAndIgnorability_data()
{
    QTest::addColumn<ChainValidationResult>("result");
    QTest::addColumn<SocketSslErrorSeverity>("severity");
    using S = SocketSslErrorSeverity;
    // spec §7.4's "Ignorable?" column
    QTest::newRow("Success") << R::Success << S::None;
    QTest::newRow("Untrusted") << R::Untrusted << S::Ignorable;
    QTest::newRow("Revoked") << R::Revoked << S::Fatal;
    QTest::newRow("Expired") << R::Expired << S::Ignorable;
    QTest::newRow("IncompleteChain") << R::IncompleteChain << S::Ignorable;
    QTest::newRow("InvalidSignature") << R::InvalidSignature << S::Fatal;
    QTest::newRow("WrongUsage") << R::WrongUsage << S::Ignorable;
    QTest::newRow("InvalidName") << R::InvalidName << S::Ignorable;
    QTest::newRow("InvalidCertificateAuthorityPolicy") << R::InvalidCertificateAuthorityPolicy << S::Fatal;
    QTest::newRow("BasicConstraintsError") << R::BasicConstraintsError << S::Fatal;
    QTest::newRow("UnknownCriticalExtension") << R::UnknownCriticalExtension << S::Fatal;
    QTest::newRow("RevocationInformationMissing") << R::RevocationInformationMissing << S::Ignorable;
    QTest::newRow("RevocationFailure") << R::RevocationFailure << S::Ignorable;
    QTest::newRow("OtherErrors") << R::OtherErrors << S::Fatal;
    QCOMPARE(QMetaEnum::fromType<ChainValidationResult>().keyCount(), 14);
}

void tst_TlsPolicy::severityAndIgnorability()
{
    QFETCH(ChainValidationResult, result);
    QFETCH(SocketSslErrorSeverity, severity);
    QCOMPARE(ChainValidation::severityOf(result), severity);
    QCOMPARE(ChainValidation::isIgnorable(result), severity == SocketSslErrorSeverity::Ignorable);
    QVERIFY(!ChainValidation::explanation(result).isEmpty());
}

void tst_TlsPolicy::severityOfASetIsTheWorst()
{
    using S = SocketSslErrorSeverity;
    QCOMPARE(ChainValidation::severityOf(QList<R>{}), S::None);
    QCOMPARE(ChainValidation::severityOf(QList<R>{R::Expired, R::Untrusted}), S::Ignorable);
    QCOMPARE(ChainValidation::severityOf(QList<R>{R::Expired, R::Revoked, R::Untrusted}), S::Fatal);
}

void tst_TlsPolicy::statusOfARefusal_data()
{
    QTest::addColumn<QList<ChainValidationResult>>("results");
    QTest::addColumn<WebErrorStatus>("status");
    using W = WebErrorStatus;
    QTest::newRow("Untrusted") << QList<R>{R::Untrusted} << W::CertificateIsInvalid;
    QTest::newRow("IncompleteChain") << QList<R>{R::IncompleteChain} << W::CertificateIsInvalid;
    QTest::newRow("Expired") << QList<R>{R::Expired} << W::CertificateExpired;
    QTest::newRow("InvalidName") << QList<R>{R::InvalidName} << W::CertificateCommonNameIsIncorrect;
    QTest::newRow("WrongUsage") << QList<R>{R::WrongUsage} << W::CertificateIsInvalid;
    QTest::newRow("RevocationInformationMissing") << QList<R>{R::RevocationInformationMissing}
                                                  << W::CertificateContainsErrors;
    QTest::newRow("RevocationFailure") << QList<R>{R::RevocationFailure} << W::CertificateContainsErrors;
    QTest::newRow("Revoked") << QList<R>{R::Revoked} << W::CertificateRevoked;
    QTest::newRow("InvalidSignature") << QList<R>{R::InvalidSignature} << W::CertificateIsInvalid;
    QTest::newRow("BasicConstraintsError") << QList<R>{R::BasicConstraintsError} << W::CertificateIsInvalid;
    QTest::newRow("OtherErrors") << QList<R>{R::OtherErrors} << W::CertificateContainsErrors;
    QTest::newRow("several kinds") << QList<R>{R::Expired, R::InvalidName} << W::CertificateContainsErrors;
}

void tst_TlsPolicy::statusOfARefusal()
{
    QFETCH(QList<ChainValidationResult>, results);
    QFETCH(WebErrorStatus, status);
    QCOMPARE(ChainValidation::statusFor(results), status);
}

void tst_TlsPolicy::resultsAreDistinctInOrder()
{
    const QSslCertificate leaf = TestPki::certificate(u"server.pem"_s);
    const QList<QSslError> errors =
            errorsFor({E::UnableToGetLocalIssuerCertificate, E::HostNameMismatch, E::UnableToVerifyFirstCertificate,
                       E::NoError, E::CertificateExpired},
                      leaf);
    QCOMPARE(ChainValidation::resultsFor(errors), (QList<R>{R::IncompleteChain, R::InvalidName, R::Expired}));
}

void tst_TlsPolicy::namesRoundTrip()
{
    const QMetaEnum meta = QMetaEnum::fromType<ChainValidationResult>();
    for (int i = 0; i < meta.keyCount(); ++i) {
        const R result = R(meta.value(i));
        QCOMPARE(ChainValidation::name(result), QString::fromLatin1(meta.key(i)));
        QCOMPARE(ChainValidation::fromName(ChainValidation::name(result).toLower()), std::optional<R>(result));
    }
    QCOMPARE(ChainValidation::fromName(u"NoSuchError"), std::nullopt);
    QCOMPARE(ChainValidation::names().size(), meta.keyCount() - 1);
    QVERIFY(!ChainValidation::names().contains(u"Success"_s));
}

void tst_TlsPolicy::pinsMatchTheOpensslCli_data()
{
    QTest::addColumn<QString>("file");
    for (const char *name : {"root-ca", "intermediate-ca", "server", "self-signed", "other-server", "expired",
                             "wrong-host", "client"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void tst_TlsPolicy::pinsMatchTheOpensslCli()
{
    QFETCH(QString, file);
    const QString expected = TestPki::pin(file);
    QVERIFY2(expected.startsWith(u"sha256/"), qPrintable(expected));
    QCOMPARE(SpkiPin::of(TestPki::certificate(file + u".pem")), expected);
    QCOMPARE(SpkiPin::digestOf(expected), SpkiPin::digestOf(TestPki::certificate(file + u".pem")));
}

void tst_TlsPolicy::pinSyntax_data()
{
    QTest::addColumn<QString>("pin");
    QTest::addColumn<bool>("valid");
    const QString good = TestPki::pin(u"server"_s);
    QTest::newRow("from the openssl CLI") << good << true;
    QTest::newRow("43 zero bytes and padding") << u"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("no prefix") << good.sliced(7) << false;
    QTest::newRow("sha1 prefix") << u"sha1/" + good.sliced(7) << false;
    QTest::newRow("upper-case prefix") << u"SHA256/" + good.sliced(7) << false;
    QTest::newRow("missing padding") << good.chopped(1) << false;
    QTest::newRow("one character short") << good.chopped(2) + u'=' << false;
    QTest::newRow("trailing garbage") << good + u'A' << false;
    QTest::newRow("not base64") << u"sha256/!!!!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="_s << false;
    QTest::newRow("32 bytes of 33") << u"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="_s << false;
    QTest::newRow("space inside") << u"sha256/ " + good.sliced(8) << false;
}

void tst_TlsPolicy::pinSyntax()
{
    QFETCH(QString, pin);
    QFETCH(bool, valid);
    QCOMPARE(SpkiPin::digestOf(pin).size(), valid ? 32 : 0);
}

void tst_TlsPolicy::judgeChain_data()
{
    QTest::addColumn<QList<int>>("errors");
    QTest::addColumn<QList<ChainValidationResult>>("ignorable");
    QTest::addColumn<QString>("pinned"); // file whose key is pinned, or empty
    QTest::addColumn<bool>("overridable");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<QList<ChainValidationResult>>("unresolved");
    using O = ChainJudgement::Outcome;
    const QList<int> selfSigned{E::SelfSignedCertificate};
    const QList<int> expiredUntrusted{E::CertificateExpired, E::UnableToGetLocalIssuerCertificate};

    QTest::newRow("no error") << QList<int>{} << QList<R>{} << QString() << false << int(O::Accepted) << QList<R>{};
    QTest::newRow("untrusted") << selfSigned << QList<R>{} << QString() << false << int(O::Rejected)
                               << QList<R>{R::Untrusted};
    QTest::newRow("untrusted, ignored") << selfSigned << QList<R>{R::Untrusted} << QString() << false
                                        << int(O::Accepted) << QList<R>{};
    QTest::newRow("untrusted, another ignored") << selfSigned << QList<R>{R::Expired} << QString() << false
                                                << int(O::Rejected) << QList<R>{R::Untrusted};
    QTest::newRow("two errors, one ignored") << expiredUntrusted << QList<R>{R::Expired} << QString() << false
                                             << int(O::Rejected) << QList<R>{R::IncompleteChain};
    QTest::newRow("two errors, both ignored") << expiredUntrusted << QList<R>{R::IncompleteChain, R::Expired}
                                              << QString() << false << int(O::Accepted) << QList<R>{};
    QTest::newRow("pinned leaf waives trust") << selfSigned << QList<R>{} << u"server"_s << false
                                              << int(O::Accepted) << QList<R>{};
    QTest::newRow("pinned leaf, not its expiry") << expiredUntrusted << QList<R>{} << u"server"_s << false
                                                 << int(O::Rejected) << QList<R>{R::Expired};
    QTest::newRow("pinned other key waives nothing") << selfSigned << QList<R>{} << u"intermediate-ca"_s << false
                                                     << int(O::Rejected) << QList<R>{R::Untrusted};
    QTest::newRow("pinned leaf, not its name") << QList<int>{E::HostNameMismatch} << QList<R>{} << u"server"_s
                                               << false << int(O::Rejected) << QList<R>{R::InvalidName};
    QTest::newRow("overridable") << selfSigned << QList<R>{} << QString() << true << int(O::NeedsOverride)
                                 << QList<R>{R::Untrusted};
    QTest::newRow("fatal is never overridable") << QList<int>{E::InvalidCaCertificate} << QList<R>{} << QString()
                                                << true << int(O::Rejected) << QList<R>{R::BasicConstraintsError};
    QTest::newRow("fatal beside ignorable") << QList<int>{E::SelfSignedCertificate, E::CertificateRevoked}
                                            << QList<R>{R::Untrusted} << QString() << true << int(O::Rejected)
                                            << QList<R>{R::Revoked};
}

void tst_TlsPolicy::judgeChain()
{
    QFETCH(QList<int>, errors);
    QFETCH(QList<ChainValidationResult>, ignorable);
    QFETCH(QString, pinned);
    QFETCH(bool, overridable);
    QFETCH(int, outcome);
    QFETCH(QList<ChainValidationResult>, unresolved);

    const QSslCertificate leaf = TestPki::certificate(u"server.pem"_s);
    QList<QSslError> sslErrors;
    for (int e : errors)
        sslErrors.append(QSslError(E::SslError(e), leaf));
    TrustPolicy policy;
    policy.ignorable = ignorable;
    policy.overridable = overridable;
    if (!pinned.isEmpty())
        policy.pinDigests.append(SpkiPin::digestOf(TestPki::pin(pinned)));
    const ChainJudgement judgement = Wsw::judgeChain(sslErrors, leaf, policy);
    QCOMPARE(int(judgement.outcome), outcome);
    QCOMPARE(judgement.unresolved, unresolved);
    QCOMPARE(judgement.results, ChainValidation::resultsFor(sslErrors));
    QCOMPARE(judgement.severity, ChainValidation::severityOf(judgement.results));
}

void tst_TlsPolicy::matchPinLeafOnlyWhenUntrusted()
{
    const QList<QSslCertificate> presented{TestPki::certificate(u"server.pem"_s),
                                           TestPki::certificate(u"intermediate-ca.pem"_s)};
    const QList<QByteArray> intermediatePin{SpkiPin::digestOf(TestPki::pin(u"intermediate-ca"_s))};
    const QList<QByteArray> leafPin{SpkiPin::digestOf(TestPki::pin(u"server"_s))};
    const QList<QByteArray> otherPin{SpkiPin::digestOf(TestPki::pin(u"other-server"_s))};
    QCOMPARE(matchPin(presented, intermediatePin, false), TestPki::pin(u"intermediate-ca"_s));
    QCOMPARE(matchPin(presented, intermediatePin, true), QString());
    QCOMPARE(matchPin(presented, leafPin, true), TestPki::pin(u"server"_s));
    QCOMPARE(matchPin(presented, otherPin, false), QString());
    QVERIFY(hasTrustError({R::Expired, R::IncompleteChain}));
    QVERIFY(!hasTrustError({R::Expired, R::InvalidName}));
}

void tst_TlsPolicy::loadPem()
{
    WebSocketError error;
    const auto loaded = ClientCertificate::load(TestPki::path(u"client-chain.pem"_s),
                                                TestPki::path(u"client.key"_s), {}, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(loaded->certificate, TestPki::certificate(u"client.pem"_s));
    QCOMPARE(loaded->intermediates, QList<QSslCertificate>{TestPki::certificate(u"intermediate-ca.pem"_s)});
    QCOMPARE(loaded->privateKey.algorithm(), QSsl::Rsa);
    QCOMPARE(loaded->privateKey.type(), QSsl::PrivateKey);
    QVERIFY(ClientCertificate::keyMatches(loaded->certificate, loaded->privateKey));
}

void tst_TlsPolicy::loadPemWithKeyInTheSameFile()
{
    // an EC key after the certificate, as many tools write a combined file
    QFile combined(QDir::temp().filePath(u"wsw-tst-combined.pem"_s));
    QVERIFY(combined.open(QIODevice::WriteOnly));
    combined.write(TestPki::bytes(u"server.pem"_s) + TestPki::bytes(u"server.key"_s));
    combined.close();
    WebSocketError error;
    const auto loaded = ClientCertificate::load(combined.fileName(), {}, {}, &error);
    combined.remove();
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(loaded->certificate, TestPki::certificate(u"server.pem"_s));
    QCOMPARE(loaded->privateKey.algorithm(), QSsl::Ec);
}

void tst_TlsPolicy::loadEncryptedKey()
{
    WebSocketError error;
    const auto loaded = ClientCertificate::load(TestPki::path(u"client.pem"_s),
                                                TestPki::path(u"client-encrypted.key"_s), "wsw-secret", &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QVERIFY(ClientCertificate::keyMatches(loaded->certificate, loaded->privateKey));
}

void tst_TlsPolicy::loadPkcs12()
{
    WebSocketError error;
    auto loaded = ClientCertificate::load(TestPki::path(u"client.p12"_s), {}, "wsw-secret", &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(loaded->certificate, TestPki::certificate(u"client.pem"_s));
    QCOMPARE(loaded->intermediates, QList<QSslCertificate>{TestPki::certificate(u"intermediate-ca.pem"_s)});
    QVERIFY(ClientCertificate::keyMatches(loaded->certificate, loaded->privateKey));

    loaded = ClientCertificate::load(TestPki::path(u"client-nopass.p12"_s), {}, {}, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(loaded->certificate, TestPki::certificate(u"client.pem"_s));
}

void tst_TlsPolicy::loadFailures_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("passphrase");
    QTest::addColumn<ErrorDetail>("detail");
    QTest::addColumn<QString>("named"); // the file the message must name
    using D = ErrorDetail;
    QTest::newRow("no such file") << u"no-such-file.pem"_s << QString() << QByteArray()
                                  << D::ClientCertificateUnreadable << u"no-such-file.pem"_s;
    QTest::newRow("no such key file") << u"client.pem"_s << u"no-such-file.key"_s << QByteArray()
                                      << D::ClientCertificateUnreadable << u"no-such-file.key"_s;
    QTest::newRow("a key is not a certificate") << u"client.key"_s << QString() << QByteArray()
                                                << D::ClientCertificateUnreadable << u"client.key"_s;
    QTest::newRow("certificate without its key") << u"client.pem"_s << QString() << QByteArray()
                                                 << D::ClientCertificateUnreadable << u"client.pem"_s;
    QTest::newRow("pins.txt is no certificate") << u"pins.txt"_s << QString() << QByteArray()
                                                << D::ClientCertificateUnreadable << u"pins.txt"_s;
    QTest::newRow("encrypted key, no passphrase") << u"client.pem"_s << u"client-encrypted.key"_s << QByteArray()
                                                  << D::ClientCertificatePasswordWrong << u"client-encrypted.key"_s;
    QTest::newRow("encrypted key, wrong passphrase") << u"client.pem"_s << u"client-encrypted.key"_s
                                                     << QByteArray("hunter2-x") << D::ClientCertificatePasswordWrong << u"client-encrypted.key"_s;
    QTest::newRow("PKCS#12, no passphrase") << u"client.p12"_s << QString() << QByteArray()
                                            << D::ClientCertificatePasswordWrong << u"client.p12"_s;
    QTest::newRow("PKCS#12, wrong passphrase") << u"client.p12"_s << QString() << QByteArray("wsw-secreT")
                                               << D::ClientCertificatePasswordWrong << u"client.p12"_s;
    QTest::newRow("PKCS#12 with a key file") << u"client.p12"_s << u"client.key"_s << QByteArray("wsw-secret")
                                             << D::ClientCertificateUnreadable << u"client.p12"_s;
    QTest::newRow("somebody else's key") << u"client.pem"_s << u"server.key"_s << QByteArray()
                                         << D::ClientCertificateKeyMismatch << u"server.key"_s;
}

void tst_TlsPolicy::loadFailures()
{
    QFETCH(QString, certificate);
    QFETCH(QString, key);
    QFETCH(QByteArray, passphrase);
    QFETCH(ErrorDetail, detail);
    QFETCH(QString, named);
    WebSocketError error;
    const QString certificatePath = TestPki::path(certificate);
    const auto loaded = ClientCertificate::load(certificatePath, key.isEmpty() ? QString() : TestPki::path(key),
                                                passphrase, &error);
    QVERIFY(!loaded);
    QCOMPARE(error.detail(), detail);
    // the message names the file, and never the passphrase
    QVERIFY2(error.message().contains(named), qPrintable(error.message()));
    if (!passphrase.isEmpty())
        QVERIFY2(!error.message().contains(QString::fromLatin1(passphrase)), qPrintable(error.message()));
}

void tst_TlsPolicy::keyMatches()
{
    const QSslCertificate client = TestPki::certificate(u"client.pem"_s);
    QVERIFY(ClientCertificate::keyMatches(client, TestPki::key(u"client.key"_s)));
    QVERIFY(!ClientCertificate::keyMatches(client, TestPki::key(u"server.key"_s)));
    QVERIFY(!ClientCertificate::keyMatches(client, QSslKey()));
    QVERIFY(!ClientCertificate::keyMatches(QSslCertificate(), TestPki::key(u"client.key"_s)));
}

QTEST_APPLESS_MAIN(tst_TlsPolicy)
#include "tst_tlspolicy.moc"
