// The echo server's self-signed identity (engine/server/selfsignedidentity.h): what a new
// certificate holds, that the one kept on disk is used again, when it is replaced and why, and
// that it really serves TLS to a client that trusts it, under each name it is issued for.

#include "server/selfsignedidentity.h"

#include <sys/stat.h>

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificateExtension>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Wsw;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int WaitMs = 10000;

/** The permission bits of path (Qt would add the "User" bits of whoever runs the test). */
int modeOf(const QString &path)
{
    struct stat status{};
    if (::stat(QFile::encodeName(path).constData(), &status) != 0)
        return -1;
    return int(status.st_mode & 07777);
}

QByteArray digestOf(const ServerIdentity &identity)
{
    return identity.certificate.digest(QCryptographicHash::Sha256);
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_SelfSignedIdentity : public QObject
{
    Q_OBJECT

private slots:
    void createsIdentity();
    void keyFileIsOwnerOnlyEvenWhenReplacingAnOpenOne();
    void secondCallLoadsTheSameIdentity();
    void regenerates_data();
    void regenerates();
    void expiredCertificateIsReplaced();
    void certificateExpiringSoonIsReplaced();
    void unwritableDirectoryGivesError();
    void servesTls_data();
    void servesTls();
    void refusedWhenNotTrustedOrOtherName_data();
    void refusedWhenNotTrustedOrOtherName();
};

void tst_SelfSignedIdentity::createsIdentity()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString directory = temp.filePath(u"state/identity"_s); // the parents are created too
    const QDateTime before = QDateTime::currentDateTimeUtc();
    QString error;
    const std::optional<ServerIdentity> identity = loadOrCreateSelfSignedIdentity(directory, &error);
    QVERIFY2(identity, qPrintable(error));
    QVERIFY(identity->created);
    QVERIFY(identity->regeneratedBecause.isEmpty());
    QCOMPARE(identity->certificatePath, directory + u"/echo-server.pem"_s);
    QCOMPARE(identity->keyPath, directory + u"/echo-server.key"_s);

    // the files hold what the struct holds
    const QList<QSslCertificate> onDisk = QSslCertificate::fromPath(identity->certificatePath, QSsl::Pem);
    QCOMPARE(onDisk.size(), 1);
    QCOMPARE(onDisk.first(), identity->certificate);
    const QByteArray keyPem = readFile(identity->keyPath);
    QVERIFY(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n")); // unencrypted PKCS#8
    QCOMPARE(QSslKey(keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey), identity->key);
    QCOMPARE(modeOf(identity->keyPath), 0600);

    const QSslCertificate &certificate = identity->certificate;
    QVERIFY(!certificate.isNull());
    QCOMPARE(certificate.subjectInfo(QSslCertificate::CommonName),
             QStringList{u"WebSocket Workbench local echo server"_s});
    QCOMPARE(certificate.subjectInfo(QSslCertificate::Organization), QStringList{u"WebSocket Workbench"_s});
    QCOMPARE(certificate.issuerInfo(QSslCertificate::CommonName),
             certificate.subjectInfo(QSslCertificate::CommonName));
    QCOMPARE(certificate.issuerInfo(QSslCertificate::Organization),
             certificate.subjectInfo(QSslCertificate::Organization));
    // Qt's isSelfSigned() is OpenSSL's X509_check_issued(cert, cert), which also wants the keyUsage
    // keyCertSign that only a CA may have (RFC 5280 §4.2.1.3): false for this end-entity certificate.
    // OpenSSL's verifier itself accepts such a self-issued end-entity certificate as its own anchor
    // (RFC 6818 §2): it checks the signature below, and servesTls() shows that Qt trusts it.
    QVERIFY(!certificate.isSelfSigned());
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (!openssl.isEmpty()) {
        QProcess verify;
        verify.setProcessChannelMode(QProcess::MergedChannels);
        verify.start(openssl, {u"verify"_s, u"-check_ss_sig"_s, u"-x509_strict"_s, u"-purpose"_s, u"sslserver"_s,
                               u"-verify_hostname"_s, u"localhost"_s, u"-verify_ip"_s, u"::1"_s, u"-CAfile"_s,
                               identity->certificatePath, identity->certificatePath});
        QVERIFY(verify.waitForFinished(WaitMs));
        const QByteArray output = verify.readAll();
        QVERIFY2(verify.exitStatus() == QProcess::NormalExit && verify.exitCode() == 0, output.constData());
        QVERIFY2(output.trimmed().endsWith(": OK"), output.constData());
    } else {
        qWarning("no openssl command: the self-signature is checked by servesTls() only");
    }
    QCOMPARE(certificate.version(), QByteArray("3"));

    const QMultiMap<QSsl::AlternativeNameEntryType, QString> names = certificate.subjectAlternativeNames();
    QCOMPARE(names.values(QSsl::DnsEntry), QStringList{u"localhost"_s});
    QList<QHostAddress> addresses;
    for (const QString &address : names.values(QSsl::IpAddressEntry))
        addresses.append(QHostAddress(address));
    QCOMPARE(addresses.size(), 2);
    QVERIFY2(addresses.contains(QHostAddress(QHostAddress::LocalHost)), qPrintable(QDebug::toString(addresses)));
    QVERIFY2(addresses.contains(QHostAddress(QHostAddress::LocalHostIPv6)), qPrintable(QDebug::toString(addresses)));
    QCOMPARE(names.size(), 3);

    // from an hour before now for 825 days
    const QDateTime after = QDateTime::currentDateTimeUtc();
    const QDateTime effective = certificate.effectiveDate();
    const QDateTime expiry = certificate.expiryDate();
    QVERIFY2(effective >= before.addSecs(-3600 - 1) && effective <= after.addSecs(-3600),
             qPrintable(effective.toString(Qt::ISODate)));
    QCOMPARE(effective.secsTo(expiry), qint64(825) * 86400 + 3600);

    QCOMPARE(certificate.publicKey().algorithm(), QSsl::Ec);
    QCOMPARE(certificate.publicKey().length(), 256);
    QCOMPARE(identity->key.algorithm(), QSsl::Ec);
    QCOMPARE(identity->key.type(), QSsl::PrivateKey);
    QCOMPARE(identity->key.length(), 256);

    // a positive serial of at most 128 bits (Qt shows its magnitude as colon-separated hex bytes)
    const QByteArray serial = certificate.serialNumber();
    QVERIFY2(!serial.startsWith('-'), serial.constData());
    const QList<QByteArray> serialBytes = serial.split(':');
    QVERIFY2(serialBytes.size() >= 8 && serialBytes.size() <= 16, serial.constData());

    QHash<QString, bool> critical;
    const QList<QSslCertificateExtension> extensions = certificate.extensions();
    for (const QSslCertificateExtension &extension : extensions)
        critical.insert(extension.name(), extension.isCritical());
    QCOMPARE(critical.value(u"basicConstraints"_s, false), true);
    QCOMPARE(critical.value(u"keyUsage"_s, false), true);
    QVERIFY(critical.contains(u"extendedKeyUsage"_s));
    QCOMPARE(critical.value(u"extendedKeyUsage"_s), false);
    QVERIFY(critical.contains(u"subjectKeyIdentifier"_s));
    QVERIFY(critical.contains(u"subjectAltName"_s));
    QCOMPARE(critical.size(), 5);
    for (const QSslCertificateExtension &extension : extensions) {
        if (extension.name() == u"basicConstraints")
            QCOMPARE(extension.value().toMap().value(u"ca"_s), QVariant(false));
    }
    // OpenSSL's own description of the rest (via Qt's toText, which is X509_print)
    const QString text = certificate.toText();
    QVERIFY2(text.contains(u"Signature Algorithm: ecdsa-with-SHA256"), qPrintable(text));
    QVERIFY2(text.contains(u"NIST CURVE: P-256") || text.contains(u"prime256v1"), qPrintable(text));
    QVERIFY2(text.contains(u"Digital Signature\n"), qPrintable(text)); // and nothing else
    QVERIFY2(text.contains(u"TLS Web Server Authentication\n"), qPrintable(text));

    // every new identity gets a new key and serial
    QTemporaryDir other;
    const std::optional<ServerIdentity> second = loadOrCreateSelfSignedIdentity(other.path(), &error);
    QVERIFY2(second, qPrintable(error));
    QVERIFY(second->certificate.serialNumber() != certificate.serialNumber());
    QVERIFY(second->key != identity->key);
}

void tst_SelfSignedIdentity::keyFileIsOwnerOnlyEvenWhenReplacingAnOpenOne()
{
    QTemporaryDir temp;
    const QString keyPath = temp.filePath(u"echo-server.key"_s);
    QVERIFY(writeFile(keyPath, "not a key"));
    QVERIFY(QFile::setPermissions(keyPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                   | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QCOMPARE(modeOf(keyPath), 0644);
    QString error;
    const std::optional<ServerIdentity> identity = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(identity, qPrintable(error));
    QVERIFY(identity->created);
    QCOMPARE(modeOf(keyPath), 0600);
}

void tst_SelfSignedIdentity::secondCallLoadsTheSameIdentity()
{
    QTemporaryDir temp;
    QString error;
    const std::optional<ServerIdentity> first = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(first, qPrintable(error));
    QVERIFY(first->created);
    const QByteArray keyBytes = readFile(first->keyPath);

    const std::optional<ServerIdentity> second = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(second, qPrintable(error));
    QVERIFY(!second->created);
    QVERIFY(second->regeneratedBecause.isEmpty());
    QCOMPARE(digestOf(*second), digestOf(*first));
    QCOMPARE(second->key, first->key);
    QCOMPARE(second->certificatePath, first->certificatePath);
    QCOMPARE(second->keyPath, first->keyPath);
    QCOMPARE(readFile(first->keyPath), keyBytes); // not rewritten
}

void tst_SelfSignedIdentity::regenerates_data()
{
    QTest::addColumn<QString>("file"); // which file to damage
    QTest::addColumn<QByteArray>("content"); // empty: delete it; "other": another identity's
    QTest::addColumn<QString>("reason");

    QTest::newRow("corrupt key") << u"echo-server.key"_s << QByteArray("-----BEGIN PRIVATE KEY-----\nAAAA\n")
                                 << u"echo-server.key holds no unencrypted PEM EC private key"_s;
    QTest::newRow("empty key") << u"echo-server.key"_s << QByteArray("\n")
                               << u"echo-server.key holds no unencrypted PEM EC private key"_s;
    QTest::newRow("corrupt certificate") << u"echo-server.pem"_s << QByteArray("garbage")
                                         << u"echo-server.pem holds no PEM certificate"_s;
    QTest::newRow("certificate of another key") << u"echo-server.pem"_s << QByteArray("other")
                                                << u"echo-server.pem does not belong to the key in"_s;
    QTest::newRow("key of another certificate") << u"echo-server.key"_s << QByteArray("other")
                                                << u"echo-server.pem does not belong to the key in"_s;
    QTest::newRow("key missing") << u"echo-server.key"_s << QByteArray() << u"echo-server.key is missing"_s;
    QTest::newRow("certificate missing") << u"echo-server.pem"_s << QByteArray()
                                         << u"echo-server.pem is missing"_s;
}

void tst_SelfSignedIdentity::regenerates()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);

    QTemporaryDir temp;
    QString error;
    const std::optional<ServerIdentity> original = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(original, qPrintable(error));
    const QString path = temp.filePath(file);
    if (content.isEmpty()) {
        QVERIFY(QFile::remove(path));
    } else if (content == "other") {
        QTemporaryDir otherDirectory;
        const std::optional<ServerIdentity> other = loadOrCreateSelfSignedIdentity(otherDirectory.path(), &error);
        QVERIFY2(other, qPrintable(error));
        QVERIFY(QFile::remove(path));
        QVERIFY(QFile::copy(otherDirectory.filePath(file), path));
    } else {
        QVERIFY(writeFile(path, content));
    }

    const std::optional<ServerIdentity> replaced = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(replaced, qPrintable(error));
    QVERIFY(replaced->created);
    QVERIFY2(replaced->regeneratedBecause.contains(reason), qPrintable(replaced->regeneratedBecause));
    QVERIFY2(replaced->regeneratedBecause.contains(temp.path()), qPrintable(replaced->regeneratedBecause));
    QVERIFY(digestOf(*replaced) != digestOf(*original));
    QCOMPARE(modeOf(replaced->keyPath), 0600);

    // what was written is kept from now on
    const std::optional<ServerIdentity> reloaded = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(reloaded, qPrintable(error));
    QVERIFY(!reloaded->created);
    QCOMPARE(digestOf(*reloaded), digestOf(*replaced));
    QCOMPARE(reloaded->key, replaced->key);
}

void tst_SelfSignedIdentity::expiredCertificateIsReplaced()
{
    QTemporaryDir temp;
    QString error;
    // made 900 days ago, so it expired 75 days ago
    const QDateTime longAgo = QDateTime::currentDateTimeUtc().addDays(-900);
    const std::optional<ServerIdentity> old = loadOrCreateSelfSignedIdentity(temp.path(), &error, longAgo);
    QVERIFY2(old, qPrintable(error));
    QVERIFY(old->created);
    QVERIFY(old->certificate.expiryDate() < QDateTime::currentDateTimeUtc());
    QVERIFY(old->certificate.effectiveDate() < longAgo);

    const std::optional<ServerIdentity> renewed = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(renewed, qPrintable(error));
    QVERIFY(renewed->created);
    QVERIFY2(renewed->regeneratedBecause.contains(u"echo-server.pem expired on "_s),
             qPrintable(renewed->regeneratedBecause));
    QVERIFY(renewed->certificate.expiryDate() > QDateTime::currentDateTimeUtc().addDays(824));
    QVERIFY(digestOf(*renewed) != digestOf(*old));
    QVERIFY(renewed->key != old->key);
}

void tst_SelfSignedIdentity::certificateExpiringSoonIsReplaced()
{
    QTemporaryDir temp;
    QString error;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // expires in 31 days: kept; in 10 days: replaced
    const std::optional<ServerIdentity> old =
            loadOrCreateSelfSignedIdentity(temp.path(), &error, now.addDays(31 - 825));
    QVERIFY2(old, qPrintable(error));
    const std::optional<ServerIdentity> kept = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(kept, qPrintable(error));
    QVERIFY(!kept->created);
    QCOMPARE(digestOf(*kept), digestOf(*old));

    // the same files judged 21 days later
    const std::optional<ServerIdentity> renewed =
            loadOrCreateSelfSignedIdentity(temp.path(), &error, now.addDays(21));
    QVERIFY2(renewed, qPrintable(error));
    QVERIFY(renewed->created);
    QVERIFY2(renewed->regeneratedBecause.contains(u"within 30 days"_s), qPrintable(renewed->regeneratedBecause));
    QVERIFY(digestOf(*renewed) != digestOf(*old));
}

void tst_SelfSignedIdentity::unwritableDirectoryGivesError()
{
    QTemporaryDir temp;
    const QString regularFile = temp.filePath(u"a-file"_s);
    QVERIFY(writeFile(regularFile, "x"));

    // a directory under a regular file cannot be created (even by root)
    const QString under = regularFile + u"/identity"_s;
    QString error;
    QVERIFY(!loadOrCreateSelfSignedIdentity(under, &error));
    QVERIFY2(error.contains(under), qPrintable(error));
    QVERIFY2(error.contains(u"Not a directory"_s), qPrintable(error)); // the OS's reason

    // the directory is a regular file
    error.clear();
    QVERIFY(!loadOrCreateSelfSignedIdentity(regularFile, &error));
    QVERIFY2(error.contains(regularFile), qPrintable(error));

    // no error pointer: still refused, and no crash
    QVERIFY(!loadOrCreateSelfSignedIdentity(under, nullptr));
    QVERIFY(!loadOrCreateSelfSignedIdentity(QString(), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFileInfo::exists(under));
}

void tst_SelfSignedIdentity::servesTls_data()
{
    QTest::addColumn<QHostAddress>("address");
    QTest::addColumn<QString>("peerName");

    QTest::newRow("localhost") << QHostAddress(QHostAddress::LocalHost) << u"localhost"_s;
    QTest::newRow("127.0.0.1") << QHostAddress(QHostAddress::LocalHost) << u"127.0.0.1"_s;
    QTest::newRow("::1") << QHostAddress(QHostAddress::LocalHostIPv6) << u"::1"_s;
}

void tst_SelfSignedIdentity::servesTls()
{
    QFETCH(QHostAddress, address);
    QFETCH(QString, peerName);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");

    QTemporaryDir temp;
    QString error;
    // loaded from the files, as the echo server does on its second start
    QVERIFY2(loadOrCreateSelfSignedIdentity(temp.path(), &error), qPrintable(error));
    const std::optional<ServerIdentity> identity = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(identity, qPrintable(error));
    QVERIFY(!identity->created);

    QSslConfiguration serverConfiguration = QSslConfiguration::defaultConfiguration();
    serverConfiguration.setLocalCertificate(identity->certificate);
    serverConfiguration.setPrivateKey(identity->key);
    serverConfiguration.setPeerVerifyMode(QSslSocket::VerifyNone);
    QSslServer server;
    server.setSslConfiguration(serverConfiguration);
    if (!server.listen(address, 0)) {
        if (address.protocol() == QAbstractSocket::IPv6Protocol)
            QSKIP("no IPv6 loopback here");
        QFAIL(qPrintable(server.errorString()));
    }
    QSignalSpy serverErrors(&server, &QSslServer::errorOccurred);
    QSignalSpy serverSslErrors(&server, &QSslServer::sslErrors);
    QSignalSpy accepted(&server, &QSslServer::pendingConnectionAvailable);

    QSslSocket client;
    QSslConfiguration clientConfiguration = QSslConfiguration::defaultConfiguration();
    clientConfiguration.setCaCertificates({identity->certificate}); // trusts this certificate only
    clientConfiguration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    client.setSslConfiguration(clientConfiguration);
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    QSignalSpy sslErrors(&client, &QSslSocket::sslErrors);
    QSignalSpy clientErrors(&client, &QSslSocket::errorOccurred);
    // to the listening address, checking the certificate against peerName
    client.connectToHostEncrypted(address.toString(), server.serverPort(), peerName);

    QVERIFY2(encrypted.wait(WaitMs) || encrypted.size() == 1,
             qPrintable(client.errorString() + u"; " + QDebug::toString(client.sslHandshakeErrors())));
    QCOMPARE(sslErrors.size(), 0);
    QCOMPARE(clientErrors.size(), 0);
    QVERIFY(client.sslHandshakeErrors().isEmpty());
    QVERIFY(client.isEncrypted());
    QCOMPARE(client.peerCertificate(), identity->certificate);
    QCOMPARE(client.sessionProtocol(), QSsl::TlsV1_3);

    QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, WaitMs);
    QCOMPARE(serverErrors.size(), 0);
    QCOMPARE(serverSslErrors.size(), 0);
    std::unique_ptr<QTcpSocket> serverSide(server.nextPendingConnection());
    QVERIFY(serverSide);
    auto *serverTls = qobject_cast<QSslSocket *>(serverSide.get());
    QVERIFY(serverTls);
    QVERIFY(serverTls->isEncrypted());

    // bytes flow both ways over it
    QVERIFY(client.write("ping") == 4);
    QTRY_COMPARE_WITH_TIMEOUT(serverTls->bytesAvailable(), qint64(4), WaitMs);
    QCOMPARE(serverTls->readAll(), QByteArray("ping"));
    QVERIFY(serverTls->write("pong") == 4);
    QTRY_COMPARE_WITH_TIMEOUT(client.bytesAvailable(), qint64(4), WaitMs);
    QCOMPARE(client.readAll(), QByteArray("pong"));
}

void tst_SelfSignedIdentity::refusedWhenNotTrustedOrOtherName_data()
{
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<QString>("peerName");
    QTest::addColumn<QSslError::SslError>("expected");

    // the checks servesTls() passes are real ones
    QTest::newRow("other name") << true << u"example.test"_s << QSslError::HostNameMismatch;
    QTest::newRow("other address") << true << u"127.0.0.2"_s << QSslError::HostNameMismatch;
    QTest::newRow("not trusted") << false << u"localhost"_s << QSslError::SelfSignedCertificate;
}

void tst_SelfSignedIdentity::refusedWhenNotTrustedOrOtherName()
{
    QFETCH(bool, trusted);
    QFETCH(QString, peerName);
    QFETCH(QSslError::SslError, expected);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");

    QTemporaryDir temp;
    QString error;
    const std::optional<ServerIdentity> identity = loadOrCreateSelfSignedIdentity(temp.path(), &error);
    QVERIFY2(identity, qPrintable(error));
    QSslConfiguration serverConfiguration = QSslConfiguration::defaultConfiguration();
    serverConfiguration.setLocalCertificate(identity->certificate);
    serverConfiguration.setPrivateKey(identity->key);
    QSslServer server;
    server.setSslConfiguration(serverConfiguration);
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));

    QSslSocket client;
    QSslConfiguration clientConfiguration = QSslConfiguration::defaultConfiguration();
    if (trusted)
        clientConfiguration.setCaCertificates({identity->certificate});
    client.setSslConfiguration(clientConfiguration);
    QSignalSpy sslErrors(&client, &QSslSocket::sslErrors);
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    client.connectToHostEncrypted(u"127.0.0.1"_s, server.serverPort(), peerName);
    QVERIFY(sslErrors.wait(WaitMs));
    QList<QSslError::SslError> kinds;
    for (const QSslError &sslError : client.sslHandshakeErrors())
        kinds.append(sslError.error());
    QVERIFY2(kinds.contains(expected), qPrintable(QDebug::toString(client.sslHandshakeErrors())));
    QCOMPARE(encrypted.size(), 0);
}

QTEST_GUILESS_MAIN(tst_SelfSignedIdentity)
#include "tst_selfsignedidentity.moc"
