// Certificate details and the chain as shown (engine/api/certificatedetails.h), against the test
// PKI (tests/pki/make_test_pki.sh): what each certificate contains is asserted as that script
// makes it, and the fingerprints, serials and dates are compared with what the openssl CLI prints
// for the same files, an oracle independent of Qt and of the engine.

#include "api/certificatedetails.h"

#include <optional>

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "api/chainvalidation.h"
#include "api/spkipin.h"
#include "testpki.h"

using namespace Wsw;
using namespace Qt::Literals::StringLiterals;
using R = ChainValidationResult;
using Attributes = QList<QPair<QString, QString>>;

namespace {

const QString Org = u"WSW Test PKI"_s;

/** What `openssl ARGS` prints on stdout; nullopt when it fails. */
std::optional<QString> openssl(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(WSW_OPENSSL_PROGRAM), arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        qWarning("openssl %s failed: %s", qPrintable(arguments.join(u' ')),
                 process.readAllStandardError().constData());
        return std::nullopt;
    }
    return QString::fromLatin1(process.readAllStandardOutput()).trimmed();
}

/** The value of "name=value" that `openssl x509 -noout -<option>` prints for a PKI file. */
QString x509Field(const QString &file, const QStringList &options)
{
    const QString out =
        openssl(QStringList{u"x509"_s, u"-in"_s, file, u"-noout"_s} + options).value_or(QString());
    const qsizetype equals = out.indexOf(u'=');
    return equals < 0 ? QString() : out.mid(equals + 1);
}

/** openssl's "Jan  1 00:00:00 2020 GMT". */
QDateTime opensslDate(const QString &text)
{
    QDateTime date = QDateTime::fromString(text.simplified(), u"MMM d HH:mm:ss yyyy 'GMT'"_s);
    date.setTimeSpec(Qt::UTC);
    return date;
}

CertificateDetails detailsOf(const QString &name)
{
    return certificateDetails(TestPki::certificate(name + u".pem"));
}

QSslCertificate pki(const QString &name)
{
    return TestPki::certificate(name + u".pem");
}

QList<QSslCertificate> certificatesOf(const QList<ChainEntry> &chain)
{
    QList<QSslCertificate> certificates;
    for (const ChainEntry &entry : chain)
        certificates.append(entry.certificate);
    return certificates;
}

QList<bool> sentOf(const QList<ChainEntry> &chain)
{
    QList<bool> sent;
    for (const ChainEntry &entry : chain)
        sent.append(entry.sentByServer);
    return sent;
}

} // namespace

class tst_CertificateDetails : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void serverLeaf();
    void rootCa();
    void intermediateCa();
    void expired();
    void notYetValid();
    void daysRemainingRoundsDown();
    void clientCertificate();
    void fingerprintsMatchOpenSslCli_data();
    void fingerprintsMatchOpenSslCli();
    void pemRoundTrip();
    void nullCertificate();
    void generatedRsaAndOrderedSans();
    void generatedEd25519();

    void chainSentInOrder();
    void chainSentInReverseOrder();
    void chainRootSentByServer();
    void chainMissingIntermediate();
    void chainSelfSignedLeaf();
    void chainErrorNamingIntermediate();
    void chainDuplicateErrors();
    void chainErrorNamingUnknownRoot();
    void chainUnrelatedCertificateLast();
    void chainSignedByLeaf();
    void chainCycleEnds();
    void chainEmpty();

private:
    QTemporaryDir m_tmp;
};

void tst_CertificateDetails::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QVERIFY2(!openssl({u"version"_s}).value_or(QString()).isEmpty(), "the openssl CLI does not run");
}

void tst_CertificateDetails::serverLeaf()
{
    const CertificateDetails d = detailsOf(u"server"_s);
    QCOMPARE(d.subject, (Attributes{{u"O"_s, Org}, {u"CN"_s, u"localhost"_s}}));
    QCOMPARE(d.issuer, (Attributes{{u"O"_s, Org}, {u"CN"_s, u"WSW Test Intermediate CA"_s}}));
    QCOMPARE(d.subjectDisplayName, u"localhost"_s);
    QCOMPARE(d.issuerDisplayName, u"WSW Test Intermediate CA"_s);
    QCOMPARE(d.version, 3);
    QCOMPARE(d.subjectAlternativeNames, (QStringList{u"DNS:localhost"_s, u"IP:127.0.0.1"_s, u"IP:::1"_s}));
    QCOMPARE(d.keyUsage, QStringList{u"Digital Signature"_s});
    QVERIFY(d.keyUsageCritical);
    QCOMPARE(d.extendedKeyUsage, QStringList{u"TLS Web Server Authentication (serverAuth)"_s});
    QVERIFY(!d.extendedKeyUsageCritical);
    QVERIFY(d.hasBasicConstraints);
    QVERIFY(d.basicConstraintsCritical);
    QVERIFY(!d.isCertificateAuthority);
    QVERIFY(!d.pathLength.has_value());
    QCOMPARE(d.publicKeyAlgorithm, u"EC (prime256v1)"_s);
    QCOMPARE(d.publicKeyBits, 256);
    QCOMPARE(d.signatureAlgorithm, u"ecdsa-with-SHA256"_s);
    QVERIFY(!d.selfIssued);
    QCOMPARE(d.spkiPin, TestPki::pin(u"server"_s));

    // serial: the CLI prints "serial=HEX" without colons
    const QString serial = x509Field(TestPki::path(u"server.pem"_s), {u"-serial"_s});
    QVERIFY(!serial.isEmpty());
    QVERIFY2(d.serialNumber.contains(u':'), qPrintable(d.serialNumber));
    QCOMPARE(d.serialNumber.toUpper().remove(u':'), serial);

    // dates: UTC, as the CLI prints them, valid now for about ten years
    QCOMPARE(d.notBefore.timeSpec(), Qt::UTC);
    QCOMPARE(d.notAfter.timeSpec(), Qt::UTC);
    QCOMPARE(d.notBefore, opensslDate(x509Field(TestPki::path(u"server.pem"_s), {u"-startdate"_s})));
    QCOMPARE(d.notAfter, opensslDate(x509Field(TestPki::path(u"server.pem"_s), {u"-enddate"_s})));
    QVERIFY(!d.isExpired());
    QVERIFY(!d.isNotYetValid());
    QVERIFY2(d.daysRemaining() > 9 * 365 && d.daysRemaining() <= 10 * 366,
             qPrintable(QString::number(d.daysRemaining())));
}

void tst_CertificateDetails::rootCa()
{
    const CertificateDetails d = detailsOf(u"root-ca"_s);
    const Attributes name{{u"O"_s, Org}, {u"CN"_s, u"WSW Test Root CA"_s}};
    QCOMPARE(d.subject, name);
    QCOMPARE(d.issuer, name);
    QCOMPARE(d.subjectDisplayName, u"WSW Test Root CA"_s);
    QVERIFY(d.selfIssued);
    QVERIFY(d.hasBasicConstraints);
    QVERIFY(d.basicConstraintsCritical);
    QVERIFY(d.isCertificateAuthority);
    QVERIFY(!d.pathLength.has_value());
    QCOMPARE(d.keyUsage, (QStringList{u"Certificate Sign"_s, u"CRL Sign"_s}));
    QVERIFY(d.keyUsageCritical);
    QVERIFY(d.extendedKeyUsage.isEmpty());
    QVERIFY(d.subjectAlternativeNames.isEmpty());
    QCOMPARE(d.publicKeyAlgorithm, u"EC (prime256v1)"_s);
    QCOMPARE(d.signatureAlgorithm, u"ecdsa-with-SHA256"_s);
    QCOMPARE(d.spkiPin, TestPki::pin(u"root-ca"_s));
}

void tst_CertificateDetails::intermediateCa()
{
    const CertificateDetails d = detailsOf(u"intermediate-ca"_s);
    QCOMPARE(d.subject, (Attributes{{u"O"_s, Org}, {u"CN"_s, u"WSW Test Intermediate CA"_s}}));
    QCOMPARE(d.issuer, (Attributes{{u"O"_s, Org}, {u"CN"_s, u"WSW Test Root CA"_s}}));
    QCOMPARE(d.issuerDisplayName, u"WSW Test Root CA"_s);
    QVERIFY(!d.selfIssued);
    QVERIFY(d.hasBasicConstraints);
    QVERIFY(d.isCertificateAuthority);
    QCOMPARE(d.pathLength.value_or(-1), 0);
    QCOMPARE(d.keyUsage, (QStringList{u"Certificate Sign"_s, u"CRL Sign"_s}));
    QVERIFY(d.keyUsageCritical);
    QVERIFY(d.extendedKeyUsage.isEmpty());
    QCOMPARE(d.spkiPin, TestPki::pin(u"intermediate-ca"_s));
}

void tst_CertificateDetails::expired()
{
    const CertificateDetails d = detailsOf(u"expired"_s);
    QCOMPARE(d.notBefore, QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(d.notAfter, QDateTime(QDate(2021, 1, 1), QTime(0, 0), Qt::UTC));
    QVERIFY(d.isExpired());
    QVERIFY(!d.isNotYetValid());
    QVERIFY(d.daysRemaining() < 0);
    // as it was while valid
    const QDateTime midway(QDate(2020, 7, 1), QTime(0, 0), Qt::UTC);
    QVERIFY(!d.isExpired(midway));
    QVERIFY(!d.isNotYetValid(midway));
    QCOMPARE(d.daysRemaining(midway), 184);
    QCOMPARE(d.subjectAlternativeNames, (QStringList{u"DNS:localhost"_s, u"IP:127.0.0.1"_s, u"IP:::1"_s}));
}

void tst_CertificateDetails::notYetValid()
{
    const CertificateDetails d = detailsOf(u"not-yet-valid"_s);
    QCOMPARE(d.notBefore, QDateTime(QDate(2090, 1, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(d.notAfter, QDateTime(QDate(2095, 1, 1), QTime(0, 0), Qt::UTC));
    QVERIFY(d.isNotYetValid());
    QVERIFY(!d.isExpired());
    QVERIFY(d.daysRemaining() > 0);
    QVERIFY(!d.isNotYetValid(QDateTime(QDate(2090, 1, 1), QTime(0, 0, 1), Qt::UTC)));
}

void tst_CertificateDetails::daysRemainingRoundsDown()
{
    const CertificateDetails d = detailsOf(u"expired"_s);
    const QDateTime end = d.notAfter;
    QCOMPARE(d.daysRemaining(end), 0);
    QVERIFY(!d.isExpired(end));
    QCOMPARE(d.daysRemaining(end.addSecs(-3600)), 0);
    QCOMPARE(d.daysRemaining(end.addSecs(-25 * 3600)), 1);
    QCOMPARE(d.daysRemaining(end.addSecs(1)), -1);
    QVERIFY(d.isExpired(end.addSecs(1)));
    QCOMPARE(d.daysRemaining(end.addSecs(3600)), -1);
    QCOMPARE(d.daysRemaining(end.addDays(1)), -1);
    QCOMPARE(d.daysRemaining(end.addDays(1).addSecs(1)), -2);
}

void tst_CertificateDetails::clientCertificate()
{
    const CertificateDetails d = detailsOf(u"client"_s);
    QCOMPARE(d.subject, (Attributes{{u"O"_s, Org}, {u"CN"_s, u"WSW Test Client"_s}}));
    QCOMPARE(d.subjectDisplayName, u"WSW Test Client"_s);
    QCOMPARE(d.extendedKeyUsage, QStringList{u"TLS Web Client Authentication (clientAuth)"_s});
    QCOMPARE(d.subjectAlternativeNames, QStringList{u"email:wsw-test-client@example.invalid"_s});
    QCOMPARE(d.keyUsage, QStringList{u"Digital Signature"_s});
    QCOMPARE(d.publicKeyAlgorithm, u"RSA"_s);
    QCOMPARE(d.publicKeyBits, 2048);
    // signed by the intermediate's EC key
    QCOMPARE(d.signatureAlgorithm, u"ecdsa-with-SHA256"_s);
    QVERIFY(!d.isCertificateAuthority);
    QCOMPARE(d.spkiPin, TestPki::pin(u"client"_s));

    const CertificateDetails wrongUsage = detailsOf(u"wrong-usage"_s);
    QCOMPARE(wrongUsage.extendedKeyUsage, QStringList{u"TLS Web Client Authentication (clientAuth)"_s});
}

void tst_CertificateDetails::fingerprintsMatchOpenSslCli_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"server", "root-ca", "intermediate-ca", "expired", "not-yet-valid",
                             "self-signed", "client", "wrong-host", "other-root-ca"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void tst_CertificateDetails::fingerprintsMatchOpenSslCli()
{
    QFETCH(QString, name);
    const QString file = TestPki::path(name + u".pem");
    const CertificateDetails d = detailsOf(name);
    const QString sha256 = x509Field(file, {u"-fingerprint"_s, u"-sha256"_s});
    const QString sha1 = x509Field(file, {u"-fingerprint"_s, u"-sha1"_s});
    QVERIFY(!sha256.isEmpty());
    QVERIFY(!sha1.isEmpty());
    QCOMPARE(d.sha256Fingerprint, sha256);
    QCOMPARE(d.sha1Fingerprint, sha1);
    QCOMPARE(d.sha256Fingerprint.size(), 32 * 3 - 1);
    QCOMPARE(d.serialNumber.toUpper().remove(u':'), x509Field(file, {u"-serial"_s}));
    QCOMPARE(d.notAfter, opensslDate(x509Field(file, {u"-enddate"_s})));
}

void tst_CertificateDetails::pemRoundTrip()
{
    const QSslCertificate original = pki(u"server"_s);
    const CertificateDetails d = certificateDetails(original);
    QVERIFY(d.pem.startsWith(u"-----BEGIN CERTIFICATE-----"));
    const QList<QSslCertificate> parsed = QSslCertificate::fromData(d.pem.toLatin1(), QSsl::Pem);
    QCOMPARE(parsed.size(), 1);
    QCOMPARE(parsed.constFirst(), original);
    const CertificateDetails again = certificateDetails(parsed.constFirst());
    QCOMPARE(again.sha256Fingerprint, d.sha256Fingerprint);
    QCOMPARE(again.subject, d.subject);
    QCOMPARE(again.pem, d.pem);
}

void tst_CertificateDetails::nullCertificate()
{
    const CertificateDetails d = certificateDetails(QSslCertificate());
    QVERIFY(d.subject.isEmpty());
    QVERIFY(d.subjectDisplayName.isEmpty());
    QVERIFY(d.sha256Fingerprint.isEmpty());
    QVERIFY(d.pem.isEmpty());
    QCOMPARE(d.version, 0);
    QVERIFY(!d.notAfter.isValid());
    QVERIFY(!d.isExpired());
    QVERIFY(!d.isNotYetValid());
    QCOMPARE(d.daysRemaining(), 0);
}

void tst_CertificateDetails::generatedRsaAndOrderedSans()
{
    // SAN types mixed, not grouped (Qt groups them), an unknown EKU OID, CA without pathlen
    const QString key = m_tmp.filePath(u"rsa.key"_s);
    const QString pem = m_tmp.filePath(u"rsa.pem"_s);
    QVERIFY(openssl({u"req"_s,
                     u"-x509"_s,
                     u"-newkey"_s,
                     u"rsa:2048"_s,
                     u"-nodes"_s,
                     u"-keyout"_s,
                     key,
                     u"-out"_s,
                     pem,
                     u"-days"_s,
                     u"2"_s,
                     u"-subj"_s,
                     u"/C=DE/O=Rsa Org/OU=Unit"_s,
                     u"-addext"_s,
                     u"subjectAltName=URI:https://example.org/x,email:a@example.org,DNS:b.example,"
                     u"IP:2001:db8::1,IP:10.0.0.1"_s,
                     u"-addext"_s,
                     u"extendedKeyUsage=critical,serverAuth,codeSigning,1.2.3.4.5"_s,
                     u"-addext"_s,
                     u"basicConstraints=CA:TRUE"_s,
                     u"-addext"_s,
                     u"keyUsage=digitalSignature,keyEncipherment"_s}));
    QFile file(pem);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const CertificateDetails d = certificateDetails(QSslCertificate(file.readAll(), QSsl::Pem));
    QCOMPARE(d.subject, (Attributes{{u"C"_s, u"DE"_s}, {u"O"_s, u"Rsa Org"_s}, {u"OU"_s, u"Unit"_s}}));
    QCOMPARE(d.subjectDisplayName, u"Rsa Org"_s); // no CN: O
    QVERIFY(d.selfIssued);
    QCOMPARE(d.subjectAlternativeNames,
             (QStringList{u"URI:https://example.org/x"_s, u"email:a@example.org"_s, u"DNS:b.example"_s,
                          u"IP:2001:db8::1"_s, u"IP:10.0.0.1"_s}));
    QCOMPARE(d.extendedKeyUsage, (QStringList{u"TLS Web Server Authentication (serverAuth)"_s,
                                              u"Code Signing (codeSigning)"_s, u"1.2.3.4.5"_s}));
    QVERIFY(d.extendedKeyUsageCritical);
    QVERIFY(d.hasBasicConstraints);
    QVERIFY(!d.basicConstraintsCritical);
    QVERIFY(d.isCertificateAuthority);
    QVERIFY(!d.pathLength.has_value());
    QCOMPARE(d.keyUsage, (QStringList{u"Digital Signature"_s, u"Key Encipherment"_s}));
    QVERIFY(!d.keyUsageCritical);
    QCOMPARE(d.publicKeyAlgorithm, u"RSA"_s);
    QCOMPARE(d.publicKeyBits, 2048);
    QCOMPARE(d.signatureAlgorithm, u"sha256WithRSAEncryption"_s);
    QCOMPARE(d.sha256Fingerprint, x509Field(pem, {u"-fingerprint"_s, u"-sha256"_s}));
    QCOMPARE(d.daysRemaining(), 1); // two days from a moment ago
}

void tst_CertificateDetails::generatedEd25519()
{
    const QString key = m_tmp.filePath(u"ed.key"_s);
    const QString pem = m_tmp.filePath(u"ed.pem"_s);
    QVERIFY(openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"ed25519"_s, u"-nodes"_s, u"-keyout"_s, key,
                     u"-out"_s, pem, u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=ed.example"_s}));
    QFile file(pem);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const CertificateDetails d = certificateDetails(QSslCertificate(file.readAll(), QSsl::Pem));
    QCOMPARE(d.subjectDisplayName, u"ed.example"_s);
    QCOMPARE(d.publicKeyAlgorithm, u"Ed25519"_s);
    QCOMPARE(d.publicKeyBits, 256); // EVP_PKEY_get_bits in OpenSSL 3
    QCOMPARE(d.signatureAlgorithm, u"ED25519"_s);
    QVERIFY(d.extendedKeyUsage.isEmpty());
}

void tst_CertificateDetails::chainSentInOrder()
{
    // a peer chain as Qt reports it repeats the leaf: it appears once
    const QList<QSslCertificate> sent = TestPki::certificates(u"server-chain.pem"_s);
    QCOMPARE(sent.size(), 2);
    const QList<ChainEntry> chain = buildDisplayChain(pki(u"server"_s), sent, {}, {pki(u"root-ca"_s)});
    QCOMPARE(certificatesOf(chain), (QList{pki(u"server"_s), pki(u"intermediate-ca"_s), pki(u"root-ca"_s)}));
    QCOMPARE(sentOf(chain), (QList<bool>{true, true, false}));
    for (const ChainEntry &entry : chain) {
        QVERIFY(entry.results.isEmpty());
        QVERIFY(entry.sslErrors.isEmpty());
    }

    // without a trust store the chain stops at the intermediate
    const QList<ChainEntry> partial =
        buildDisplayChain(pki(u"server"_s), {pki(u"intermediate-ca"_s)}, {}, {});
    QCOMPARE(certificatesOf(partial), (QList{pki(u"server"_s), pki(u"intermediate-ca"_s)}));
    // an unrelated trust store adds nothing
    const QList<ChainEntry> other =
        buildDisplayChain(pki(u"server"_s), {pki(u"intermediate-ca"_s)}, {}, {pki(u"other-root-ca"_s)});
    QCOMPARE(certificatesOf(other), (QList{pki(u"server"_s), pki(u"intermediate-ca"_s)}));
}

void tst_CertificateDetails::chainSentInReverseOrder()
{
    const QList<ChainEntry> chain =
        buildDisplayChain(pki(u"server"_s), {pki(u"intermediate-ca"_s), pki(u"server"_s)}, {},
                          {pki(u"other-root-ca"_s), pki(u"root-ca"_s), pki(u"intermediate-ca"_s)});
    QCOMPARE(certificatesOf(chain), (QList{pki(u"server"_s), pki(u"intermediate-ca"_s), pki(u"root-ca"_s)}));
    QCOMPARE(sentOf(chain), (QList<bool>{true, true, false}));

    // the intermediate completed from the trust store as well, when the server sent only its leaf
    const QList<ChainEntry> completed =
        buildDisplayChain(pki(u"server"_s), {}, {}, {pki(u"root-ca"_s), pki(u"intermediate-ca"_s)});
    QCOMPARE(certificatesOf(completed),
             (QList{pki(u"server"_s), pki(u"intermediate-ca"_s), pki(u"root-ca"_s)}));
    QCOMPARE(sentOf(completed), (QList<bool>{true, false, false}));
}

void tst_CertificateDetails::chainRootSentByServer()
{
    const QList<ChainEntry> chain = buildDisplayChain(
        pki(u"server"_s), {pki(u"root-ca"_s), pki(u"intermediate-ca"_s)}, {}, {pki(u"root-ca"_s)});
    QCOMPARE(certificatesOf(chain), (QList{pki(u"server"_s), pki(u"intermediate-ca"_s), pki(u"root-ca"_s)}));
    QCOMPARE(sentOf(chain), (QList<bool>{true, true, true}));
}

void tst_CertificateDetails::chainMissingIntermediate()
{
    const QSslCertificate leaf = pki(u"server"_s);
    const QList<QSslError> errors{QSslError(QSslError::UnableToGetLocalIssuerCertificate, leaf),
                                  QSslError(QSslError::UnableToVerifyFirstCertificate, leaf),
                                  QSslError(QSslError::CertificateUntrusted)};
    const QList<ChainEntry> chain = buildDisplayChain(leaf, {}, errors, {pki(u"root-ca"_s)});
    QCOMPARE(certificatesOf(chain), QList{leaf});
    QCOMPARE(chain[0].results, (QList<R>{R::IncompleteChain, R::Untrusted}));
    QCOMPARE(chain[0].sslErrors, errors);
}

void tst_CertificateDetails::chainSelfSignedLeaf()
{
    const QSslCertificate leaf = pki(u"self-signed"_s);
    const QList<QSslError> errors{QSslError(QSslError::SelfSignedCertificate, leaf),
                                  QSslError(QSslError::HostNameMismatch, leaf)};
    const QList<ChainEntry> chain = buildDisplayChain(leaf, {leaf}, errors, {pki(u"root-ca"_s), leaf});
    QCOMPARE(certificatesOf(chain), QList{leaf});
    QVERIFY(chain[0].sentByServer);
    QCOMPARE(chain[0].results, (QList<R>{R::Untrusted, R::InvalidName}));
    QVERIFY(certificateDetails(leaf).selfIssued);
}

void tst_CertificateDetails::chainErrorNamingIntermediate()
{
    const QSslCertificate leaf = pki(u"expired"_s);
    const QSslCertificate intermediate = pki(u"intermediate-ca"_s);
    const QList<QSslError> errors{QSslError(QSslError::CertificateExpired, leaf),
                                  QSslError(QSslError::PathLengthExceeded, intermediate),
                                  QSslError(QSslError::InvalidCaCertificate, intermediate)};
    const QList<ChainEntry> chain =
        buildDisplayChain(leaf, TestPki::certificates(u"expired-chain.pem"_s), errors, {pki(u"root-ca"_s)});
    QCOMPARE(certificatesOf(chain), (QList{leaf, intermediate, pki(u"root-ca"_s)}));
    QCOMPARE(chain[0].results, QList<R>{R::Expired});
    QCOMPARE(chain[0].sslErrors, QList{errors[0]});
    QCOMPARE(chain[1].results, QList<R>{R::BasicConstraintsError});
    QCOMPARE(chain[1].sslErrors, (QList{errors[1], errors[2]}));
    QVERIFY(chain[2].results.isEmpty());
    QVERIFY(chain[2].sslErrors.isEmpty());
}

void tst_CertificateDetails::chainDuplicateErrors()
{
    const QSslCertificate leaf = pki(u"server"_s);
    const QSslError mismatch(QSslError::HostNameMismatch, leaf);
    const QList<ChainEntry> chain =
        buildDisplayChain(leaf, {pki(u"intermediate-ca"_s), pki(u"intermediate-ca"_s), leaf},
                          {mismatch, mismatch, QSslError(QSslError::NoError, leaf)}, {});
    QCOMPARE(certificatesOf(chain), (QList{leaf, pki(u"intermediate-ca"_s)}));
    QCOMPARE(chain[0].sslErrors, QList{mismatch});
    QCOMPARE(chain[0].results, QList<R>{R::InvalidName});
}

void tst_CertificateDetails::chainErrorNamingUnknownRoot()
{
    // OpenSSL's chain holds the root from its own store, which the caller did not pass: it is shown
    // where it belongs, as not sent
    const QSslCertificate root = pki(u"root-ca"_s);
    const QSslError error(QSslError::CertificateExpired, root);
    const QList<ChainEntry> chain =
        buildDisplayChain(pki(u"server"_s), {pki(u"intermediate-ca"_s)}, {error}, {});
    QCOMPARE(certificatesOf(chain), (QList{pki(u"server"_s), pki(u"intermediate-ca"_s), root}));
    QCOMPARE(sentOf(chain), (QList<bool>{true, true, false}));
    QCOMPARE(chain[2].sslErrors, QList{error});
    QCOMPARE(chain[2].results, QList<R>{R::Expired});

    // a certificate off the path altogether follows it
    const QSslError other(QSslError::CertificateUntrusted, pki(u"other-root-ca"_s));
    const QList<ChainEntry> offPath =
        buildDisplayChain(pki(u"server"_s), {pki(u"intermediate-ca"_s)}, {other}, {});
    QCOMPARE(certificatesOf(offPath),
             (QList{pki(u"server"_s), pki(u"intermediate-ca"_s), pki(u"other-root-ca"_s)}));
    QCOMPARE(sentOf(offPath), (QList<bool>{true, true, false}));
    QCOMPARE(offPath[2].results, QList<R>{R::Untrusted});
}

void tst_CertificateDetails::chainUnrelatedCertificateLast()
{
    const QList<ChainEntry> chain = buildDisplayChain(
        pki(u"server"_s), {pki(u"other-root-ca"_s), pki(u"intermediate-ca"_s), pki(u"client"_s)}, {},
        {pki(u"root-ca"_s)});
    QCOMPARE(certificatesOf(chain), (QList{pki(u"server"_s), pki(u"intermediate-ca"_s), pki(u"root-ca"_s),
                                           pki(u"other-root-ca"_s), pki(u"client"_s)}));
    QCOMPARE(sentOf(chain), (QList<bool>{true, true, false, true, true}));
}

void tst_CertificateDetails::chainSignedByLeaf()
{
    // not-a-ca cannot sign (no keyCertSign), but it is the issuer: the chain shows it so that its
    // error can be read there
    const QSslCertificate notACa = pki(u"not-a-ca"_s);
    const QList<QSslError> errors{QSslError(QSslError::InvalidCaCertificate, notACa)};
    const QList<ChainEntry> chain =
        buildDisplayChain(pki(u"signed-by-leaf"_s), TestPki::certificates(u"signed-by-leaf-chain.pem"_s),
                          errors, {pki(u"root-ca"_s)});
    QCOMPARE(certificatesOf(chain),
             (QList{pki(u"signed-by-leaf"_s), notACa, pki(u"intermediate-ca"_s), pki(u"root-ca"_s)}));
    QCOMPARE(chain[1].results, QList<R>{R::BasicConstraintsError});
}

void tst_CertificateDetails::chainCycleEnds()
{
    // A (CN=Cycle A) issued by B, B (CN=Cycle B) issued by A: made from two throw-away
    // self-signed certificates that lend each other their names and keys
    const auto path = [this](const QString &name) { return m_tmp.filePath(name); };
    for (const QString &name : {u"a"_s, u"b"_s}) {
        QVERIFY(
            openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s,
                     u"-nodes"_s, u"-keyout"_s, path(name + u".key"), u"-out"_s, path(name + u"-self.pem"),
                     u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=Cycle "_s + name.toUpper()}));
        QVERIFY(openssl({u"req"_s, u"-new"_s, u"-key"_s, path(name + u".key"), u"-out"_s,
                         path(name + u".csr"), u"-subj"_s, u"/CN=Cycle "_s + name.toUpper()}));
    }
    for (const auto &[name, issuer] : {std::pair{u"a"_s, u"b"_s}, std::pair{u"b"_s, u"a"_s}}) {
        QVERIFY(openssl({u"x509"_s, u"-req"_s, u"-in"_s, path(name + u".csr"), u"-CA"_s,
                         path(issuer + u"-self.pem"), u"-CAkey"_s, path(issuer + u".key"), u"-set_serial"_s,
                         u"7"_s, u"-days"_s, u"1"_s, u"-out"_s, path(name + u".pem")}));
    }
    const auto load = [&](const QString &name) {
        QFile file(path(name + u".pem"));
        return file.open(QIODevice::ReadOnly) ? QSslCertificate(file.readAll(), QSsl::Pem)
                                              : QSslCertificate();
    };
    const QSslCertificate a = load(u"a"_s);
    const QSslCertificate b = load(u"b"_s);
    QVERIFY(!a.isNull());
    QVERIFY(!b.isNull());
    QCOMPARE(certificateDetails(a).issuerDisplayName, u"Cycle B"_s);
    QCOMPARE(certificateDetails(b).issuerDisplayName, u"Cycle A"_s);

    QElapsedTimer timer;
    timer.start();
    const QList<ChainEntry> chain =
        buildDisplayChain(a, {b, a, b}, {QSslError(QSslError::CertificateUntrusted, b)}, {a, b});
    QCOMPARE(certificatesOf(chain), (QList{a, b}));
    QCOMPARE(sentOf(chain), (QList<bool>{true, true}));
    QCOMPARE(chain[1].results, QList<R>{R::Untrusted});
    // a's self-signed twin (same name, same key) may have issued b: the walk ends on it
    const QSslCertificate aSelf = load(u"a-self"_s);
    const QList<ChainEntry> toRoot = buildDisplayChain(a, {b}, {}, {aSelf});
    QCOMPARE(certificatesOf(toRoot), (QList{a, b, aSelf}));
    QCOMPARE(sentOf(toRoot), (QList<bool>{true, true, false}));
    // only in the trust store: the walk takes b from there, then stops at a
    const QList<ChainEntry> local = buildDisplayChain(a, {}, {}, {b, a});
    QCOMPARE(certificatesOf(local), (QList{a, b}));
    QCOMPARE(sentOf(local), (QList<bool>{true, false}));
    QVERIFY(timer.elapsed() < 10000);
}

void tst_CertificateDetails::chainEmpty()
{
    QVERIFY(
        buildDisplayChain(QSslCertificate(), {}, {QSslError(QSslError::CertificateUntrusted)}, {}).isEmpty());
    // no leaf given: the first certificate sent is the leaf
    const QList<ChainEntry> chain =
        buildDisplayChain(QSslCertificate(), {pki(u"intermediate-ca"_s), pki(u"server"_s)}, {}, {});
    QCOMPARE(certificatesOf(chain), (QList{pki(u"intermediate-ca"_s), pki(u"server"_s)}));
}

QTEST_GUILESS_MAIN(tst_CertificateDetails)
#include "tst_certificatedetails.moc"
