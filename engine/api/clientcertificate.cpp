#include "api/clientcertificate.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include <QFile>
#include <QFileInfo>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "api/websocketerror.h"

// Qt reads keys of a known algorithm only and cannot tell a wrong passphrase from a broken
// file; OpenSSL's own API does both, so the files are read with it and handed to Qt as PEM.

namespace Wsw {

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, Deleter<PKCS12, PKCS12_free>>;

struct StackDeleter
{
    void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), StackDeleter>;

void fail(WebSocketError *error, ErrorDetail detail, const QString &text)
{
    if (error)
        *error = WebSocketError(detail, text);
}

/** OpenSSL's error queue as text (and emptied, so the next call starts clean). */
QString openSslErrors()
{
    QStringList parts;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        parts.append(QString::fromLatin1(buffer));
    }
    return parts.join(u"; ");
}

std::optional<QByteArray> readFile(const QString &path, WebSocketError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(error, ErrorDetail::ClientCertificateUnreadable, path + u": " + file.errorString());
        return std::nullopt;
    }
    constexpr qint64 MaxFileBytes = 1024 * 1024; // certificates and keys are a few KiB
    if (file.size() > MaxFileBytes) {
        fail(error, ErrorDetail::ClientCertificateUnreadable,
             path + u": larger than 1 MiB, not a certificate file");
        return std::nullopt;
    }
    return file.readAll();
}

BioPtr memoryBio(const QByteArray &data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

X509Ptr toX509(const QSslCertificate &certificate)
{
    const QByteArray der = certificate.toDer();
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    return X509Ptr(d2i_X509(nullptr, &p, long(der.size())));
}

QSslCertificate toQt(X509 *x509)
{
    unsigned char *der = nullptr;
    const int size = i2d_X509(x509, &der);
    if (size <= 0)
        return QSslCertificate();
    QSslCertificate certificate(QByteArray(reinterpret_cast<const char *>(der), size), QSsl::Der);
    OPENSSL_free(der);
    return certificate;
}

/** An OpenSSL key as a QSslKey: unencrypted PKCS#8 PEM for the algorithms Qt knows, a native handle
 * otherwise. */
QSslKey toQt(EVP_PKEY *key)
{
    QSsl::KeyAlgorithm algorithm = QSsl::Opaque;
    switch (EVP_PKEY_base_id(key)) {
    case EVP_PKEY_RSA:
        algorithm = QSsl::Rsa;
        break;
    case EVP_PKEY_EC:
        algorithm = QSsl::Ec;
        break;
    case EVP_PKEY_DSA:
        algorithm = QSsl::Dsa;
        break;
    default:
        break;
    }
    if (algorithm == QSsl::Opaque) {
        EVP_PKEY_up_ref(key); // the QSslKey takes ownership of the handle
        return QSslKey(Qt::HANDLE(key), QSsl::PrivateKey);
    }
    BioPtr out(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_PKCS8PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return QSslKey(QByteArray(data, qsizetype(size)), algorithm, QSsl::Pem, QSsl::PrivateKey);
}

KeyPtr toOpenSsl(const QSslKey &key)
{
    if (key.algorithm() == QSsl::Opaque) {
        auto *handle = static_cast<EVP_PKEY *>(key.handle());
        if (handle)
            EVP_PKEY_up_ref(handle);
        return KeyPtr(handle);
    }
    const QByteArray pem = key.toPem();
    BioPtr in = memoryBio(pem);
    return KeyPtr(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
}

struct PassphraseRequest
{
    const QByteArray *passphrase;
    bool asked = false;
};

int passphraseCallback(char *buffer, int size, int /*rwflag*/, void *userData)
{
    auto *request = static_cast<PassphraseRequest *>(userData);
    request->asked = true;
    const int n = int(std::min<qsizetype>(request->passphrase->size(), size));
    std::memcpy(buffer, request->passphrase->constData(), size_t(n));
    return n;
}

bool checkKey(X509 *certificate, EVP_PKEY *key, const QString &file, WebSocketError *error)
{
    if (X509_check_private_key(certificate, key) == 1)
        return true;
    ERR_clear_error();
    fail(error, ErrorDetail::ClientCertificateKeyMismatch, file);
    return false;
}

} // namespace

std::optional<ClientCertificate> ClientCertificate::load(const QString &certificateFile,
                                                         const QString &keyFile, const QByteArray &passphrase,
                                                         WebSocketError *error)
{
    const std::optional<QByteArray> data = readFile(certificateFile, error);
    if (!data)
        return std::nullopt;
    // PEM is text with "-----BEGIN"; PKCS#12 is DER, a SEQUENCE (0x30)
    if (!data->contains("-----BEGIN") && data->startsWith('\x30')) {
        if (!keyFile.isEmpty()) {
            fail(error, ErrorDetail::ClientCertificateUnreadable,
                 certificateFile + u" is a PKCS#12 file, which holds its own key: give no separate key file");
            return std::nullopt;
        }
        return loadPkcs12(certificateFile, passphrase, error);
    }
    return loadPem(certificateFile, keyFile, passphrase, error);
}

std::optional<ClientCertificate> ClientCertificate::loadPem(const QString &certificateFile,
                                                            const QString &keyFile,
                                                            const QByteArray &passphrase,
                                                            WebSocketError *error)
{
    const std::optional<QByteArray> certificateData = readFile(certificateFile, error);
    if (!certificateData)
        return std::nullopt;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(*certificateData, QSsl::Pem);
    if (certificates.isEmpty()) {
        fail(error, ErrorDetail::ClientCertificateUnreadable,
             certificateFile + u": no PEM certificate in it");
        return std::nullopt;
    }
    const QString keyPath = keyFile.isEmpty() ? certificateFile : keyFile;
    const std::optional<QByteArray> keyData = keyFile.isEmpty() ? certificateData : readFile(keyFile, error);
    if (!keyData)
        return std::nullopt;

    ERR_clear_error();
    BioPtr in = memoryBio(*keyData);
    PassphraseRequest request{&passphrase};
    KeyPtr key(PEM_read_bio_PrivateKey(in.get(), nullptr, passphraseCallback, &request));
    if (!key) {
        const QString details = openSslErrors();
        if (request.asked) {
            fail(error, ErrorDetail::ClientCertificatePasswordWrong,
                 keyPath + (passphrase.isEmpty()
                                ? QStringLiteral(": the key is encrypted and no passphrase was given")
                                : QStringLiteral(": the passphrase does not open the key")));
        } else {
            fail(error, ErrorDetail::ClientCertificateUnreadable,
                 keyPath + u": no PEM private key in it" +
                     (details.isEmpty() ? QString() : u" (" + details + u')'));
        }
        return std::nullopt;
    }
    X509Ptr x509 = toX509(certificates.constFirst());
    if (!x509 || !checkKey(x509.get(), key.get(), keyPath, error))
        return std::nullopt;

    ClientCertificate result;
    result.certificate = certificates.constFirst();
    result.intermediates = certificates.mid(1);
    result.privateKey = toQt(key.get());
    if (result.privateKey.isNull()) {
        fail(error, ErrorDetail::ClientCertificateUnreadable, keyPath + u": Qt cannot use this kind of key");
        return std::nullopt;
    }
    return result;
}

std::optional<ClientCertificate>
ClientCertificate::loadPkcs12(const QString &file, const QByteArray &passphrase, WebSocketError *error)
{
    const std::optional<QByteArray> data = readFile(file, error);
    if (!data)
        return std::nullopt;
    ERR_clear_error();
    BioPtr in = memoryBio(*data);
    Pkcs12Ptr p12(d2i_PKCS12_bio(in.get(), nullptr));
    if (!p12) {
        fail(error, ErrorDetail::ClientCertificateUnreadable,
             file + u": not a PKCS#12 file (" + openSslErrors() + u')');
        return std::nullopt;
    }
    // an empty passphrase may mean "none" or "the empty string" (PKCS#12 allows both)
    const QByteArray pass = passphrase;
    const char *passText = pass.isEmpty() ? nullptr : pass.constData();
    if (PKCS12_verify_mac(p12.get(), passText, int(pass.size())) != 1 &&
        !(pass.isEmpty() && PKCS12_verify_mac(p12.get(), "", 0) == 1)) {
        ERR_clear_error();
        fail(error, ErrorDetail::ClientCertificatePasswordWrong,
             file + (passphrase.isEmpty()
                         ? QStringLiteral(": the PKCS#12 file is protected and no passphrase was given")
                         : QStringLiteral(": the passphrase does not open the PKCS#12 file")));
        return std::nullopt;
    }
    EVP_PKEY *rawKey = nullptr;
    X509 *rawCertificate = nullptr;
    STACK_OF(X509) *rawCas = nullptr;
    const bool parsed =
        PKCS12_parse(p12.get(), passText, &rawKey, &rawCertificate, &rawCas) == 1 ||
        (pass.isEmpty() && PKCS12_parse(p12.get(), "", &rawKey, &rawCertificate, &rawCas) == 1);
    KeyPtr key(rawKey);
    X509Ptr certificate(rawCertificate);
    X509StackPtr cas(rawCas);
    if (!parsed || !key || !certificate) {
        fail(error, ErrorDetail::ClientCertificateUnreadable,
             file + u": no certificate with a private key in it (" + openSslErrors() + u')');
        return std::nullopt;
    }
    if (!checkKey(certificate.get(), key.get(), file, error))
        return std::nullopt;

    ClientCertificate result;
    result.certificate = toQt(certificate.get());
    for (int i = 0; cas && i < sk_X509_num(cas.get()); ++i)
        result.intermediates.append(toQt(sk_X509_value(cas.get(), i)));
    result.privateKey = toQt(key.get());
    if (result.certificate.isNull() || result.privateKey.isNull()) {
        fail(error, ErrorDetail::ClientCertificateUnreadable,
             file + u": Qt cannot use this certificate or key");
        return std::nullopt;
    }
    return result;
}

bool ClientCertificate::keyMatches(const QSslCertificate &certificate, const QSslKey &key)
{
    if (certificate.isNull() || key.isNull() || key.type() != QSsl::PrivateKey)
        return false;
    X509Ptr x509 = toX509(certificate);
    KeyPtr pkey = toOpenSsl(key);
    const bool matches = x509 && pkey && X509_check_private_key(x509.get(), pkey.get()) == 1;
    ERR_clear_error();
    return matches;
}

} // namespace Wsw
