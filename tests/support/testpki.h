#pragma once

// The test PKI (tests/pki/make_test_pki.sh, made with the openssl CLI at build time) for the
// tests that need certificates. Header-only; a test target that includes it gets
// WSW_TEST_PKI_DIR from tests/pki/CMakeLists.txt (wsw_use_test_pki).

#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>
#include <QTest>

#ifndef WSW_TEST_PKI_DIR
#error "link the test with wsw_use_test_pki() (tests/pki/CMakeLists.txt)"
#endif

namespace TestPki {

inline QString path(const QString &name)
{
    return QDir(QStringLiteral(WSW_TEST_PKI_DIR)).filePath(name);
}

inline QByteArray bytes(const QString &name)
{
    QFile file(path(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("test PKI file missing: %s", qPrintable(file.fileName()));
    return file.readAll();
}

/** Every certificate in a PEM file, in order (a chain file: leaf first). */
inline QList<QSslCertificate> certificates(const QString &name)
{
    return QSslCertificate::fromData(bytes(name), QSsl::Pem);
}

inline QSslCertificate certificate(const QString &name)
{
    const QList<QSslCertificate> all = certificates(name);
    if (all.isEmpty())
        qFatal("no certificate in %s", qPrintable(name));
    return all.constFirst();
}

/** An unencrypted PEM private key, EC or RSA. */
inline QSslKey key(const QString &name)
{
    const QByteArray pem = bytes(name);
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    qFatal("no usable key in %s", qPrintable(name));
}

/** The pin the openssl CLI computed for <name>.pem (pins.txt: "<name> sha256/BASE64"). */
inline QString pin(const QString &name)
{
    const QList<QByteArray> lines = bytes(QStringLiteral("pins.txt")).split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() == 2 && QString::fromLatin1(fields[0]) == name)
            return QString::fromLatin1(fields[1]);
    }
    qFatal("no pin for %s in pins.txt", qPrintable(name));
}

/**
 * A server configuration presenting <leaf>-chain.pem (or <leaf>.pem when there is no chain file,
 * or when withIntermediate is false) with <leaf>.key.
 */
inline QSslConfiguration serverConfiguration(const QString &leaf, bool withIntermediate = true)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    const QString chainFile = leaf + QStringLiteral("-chain.pem");
    const bool haveChain = withIntermediate && QFile::exists(path(chainFile));
    config.setLocalCertificateChain(certificates(haveChain ? chainFile : leaf + QStringLiteral(".pem")));
    config.setPrivateKey(key(leaf + QStringLiteral(".key")));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}

/** The same, requiring a client certificate issued under the test root (mutual TLS). */
inline QSslConfiguration mutualTlsServerConfiguration()
{
    QSslConfiguration config = serverConfiguration(QStringLiteral("server"));
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    config.setCaCertificates(certificates(QStringLiteral("client-ca-bundle.pem")));
    return config;
}

} // namespace TestPki
