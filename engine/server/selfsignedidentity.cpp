#include "server/selfsignedidentity.h"

#include <array>
#include <ctime>
#include <filesystem>
#include <memory>
#include <system_error>

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStringList>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// The identity is made with OpenSSL's API, not the openssl command (which may be missing, and whose
// failures would come back as text on stderr): every step is checked and its error kept.

namespace Wsw {

using namespace Qt::Literals::StringLiterals;

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

constexpr char CommonName[] = "WebSocket Workbench local echo server";
constexpr char OrganizationName[] = "WebSocket Workbench";
constexpr char SubjectAltNames[] = "DNS:localhost,IP:127.0.0.1,IP:::1";
constexpr int SerialBytes = 16; // 128 bits
constexpr long NotBeforeSlackSeconds = -3600; // an hour before now: tolerates clocks a little behind
constexpr qint64 MaxFileBytes = 64 * 1024; // the two files are about 1 KiB each

/** OpenSSL's error queue as text (and emptied, so the next call starts clean). */
QString openSslErrors()
{
    QStringList parts;
    while (const unsigned long code = ERR_get_error()) {
        std::array<char, 256> buffer{};
        ERR_error_string_n(code, buffer.data(), buffer.size());
        parts.append(QString::fromLatin1(buffer.data()));
    }
    if (parts.isEmpty())
        return u"no error reported by OpenSSL"_s;
    return parts.join(u"; ");
}

/** "what failed: OpenSSL's errors" into *error; false, so callers can return it. */
bool openSslFailed(QString *error, const QString &what)
{
    if (error)
        *error = what + u": " + openSslErrors();
    else
        ERR_clear_error();
    return false;
}

QByteArray memoryBioData(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    if (size <= 0 || !data)
        return {};
    return QByteArray(data, qsizetype(size));
}

struct GeneratedPem
{
    QByteArray certificate;
    QByteArray key;
};

bool addName(X509_NAME *name, const char *field, const char *value, QString *error)
{
    if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(value),
                                   -1, -1, 0)
        != 1)
        return openSslFailed(error, u"X509_NAME_add_entry_by_txt(" + QString::fromLatin1(field) + u')');
    return true;
}

bool addExtension(X509 *certificate, X509V3_CTX *context, int nid, const char *value, QString *error)
{
    const ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, context, nid, value));
    if (!extension)
        return openSslFailed(error, u"X509V3_EXT_nconf_nid(" + QString::fromLatin1(OBJ_nid2sn(nid)) + u", "
                                            + QString::fromLatin1(value) + u')');
    if (X509_add_ext(certificate, extension.get(), -1) != 1) // copies the extension
        return openSslFailed(error, u"X509_add_ext(" + QString::fromLatin1(OBJ_nid2sn(nid)) + u')');
    return true;
}

/** A random positive serial of SerialBytes bytes (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
bool setRandomSerial(X509 *certificate, QString *error)
{
    std::array<unsigned char, SerialBytes> bytes{};
    BignumPtr serial;
    do {
        if (RAND_bytes(bytes.data(), int(bytes.size())) != 1)
            return openSslFailed(error, u"RAND_bytes"_s);
        serial.reset(BN_bin2bn(bytes.data(), int(bytes.size()), nullptr)); // unsigned: never negative
        if (!serial)
            return openSslFailed(error, u"BN_bin2bn"_s);
    } while (BN_is_zero(serial.get())); // zero is not positive (and as likely as never)
    if (!BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)))
        return openSslFailed(error, u"BN_to_ASN1_INTEGER"_s);
    return true;
}

/** A new EC P-256 key and a self-signed certificate for it, valid from now - 1 h for the validity days. */
std::optional<GeneratedPem> generate(std::time_t now, QString *error)
{
    const KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key) {
        openSslFailed(error, u"EVP_PKEY_Q_keygen(EC, P-256)"_s);
        return std::nullopt;
    }

    const X509Ptr certificate(X509_new());
    if (!certificate) {
        openSslFailed(error, u"X509_new"_s);
        return std::nullopt;
    }
    if (X509_set_version(certificate.get(), X509_VERSION_3) != 1) {
        openSslFailed(error, u"X509_set_version"_s);
        return std::nullopt;
    }
    if (!setRandomSerial(certificate.get(), error))
        return std::nullopt;

    const NamePtr name(X509_NAME_new());
    if (!name) {
        openSslFailed(error, u"X509_NAME_new"_s);
        return std::nullopt;
    }
    if (!addName(name.get(), "CN", CommonName, error) || !addName(name.get(), "O", OrganizationName, error))
        return std::nullopt;
    // both copy the name; issuer == subject makes it self-signed
    if (X509_set_subject_name(certificate.get(), name.get()) != 1
        || X509_set_issuer_name(certificate.get(), name.get()) != 1) {
        openSslFailed(error, u"X509_set_subject_name/X509_set_issuer_name"_s);
        return std::nullopt;
    }

    if (!ASN1_TIME_adj(X509_getm_notBefore(certificate.get()), now, 0, NotBeforeSlackSeconds)
        || !ASN1_TIME_adj(X509_getm_notAfter(certificate.get()), now, SelfSignedValidityDays, 0)) {
        openSslFailed(error, u"ASN1_TIME_adj"_s);
        return std::nullopt;
    }
    if (X509_set_pubkey(certificate.get(), key.get()) != 1) {
        openSslFailed(error, u"X509_set_pubkey"_s);
        return std::nullopt;
    }

    // the subject key identifier is the hash of the public key set above
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
    if (!addExtension(certificate.get(), &context, NID_basic_constraints, "critical,CA:FALSE", error)
        || !addExtension(certificate.get(), &context, NID_key_usage, "critical,digitalSignature", error)
        || !addExtension(certificate.get(), &context, NID_ext_key_usage, "serverAuth", error)
        || !addExtension(certificate.get(), &context, NID_subject_key_identifier, "hash", error)
        || !addExtension(certificate.get(), &context, NID_subject_alt_name, SubjectAltNames, error))
        return std::nullopt;

    if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0) {
        openSslFailed(error, u"X509_sign(SHA-256)"_s);
        return std::nullopt;
    }

    GeneratedPem pem;
    const BioPtr certificateOut(BIO_new(BIO_s_mem()));
    if (!certificateOut || PEM_write_bio_X509(certificateOut.get(), certificate.get()) != 1) {
        openSslFailed(error, u"PEM_write_bio_X509"_s);
        return std::nullopt;
    }
    pem.certificate = memoryBioData(certificateOut.get());
    // secure memory (when OpenSSL has a secure heap) that is cleared when freed
    const BioPtr keyOut(BIO_new(BIO_s_secmem()));
    if (!keyOut
        || PEM_write_bio_PKCS8PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        openSslFailed(error, u"PEM_write_bio_PKCS8PrivateKey"_s);
        return std::nullopt;
    }
    pem.key = memoryBioData(keyOut.get());
    if (pem.certificate.isEmpty() || pem.key.isEmpty()) {
        openSslFailed(error, u"BIO_get_mem_data"_s);
        return std::nullopt;
    }
    return pem;
}

/** Overwrites the bytes of a key held in a QByteArray (no-op when empty). */
void cleanse(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
}

/**
 * Writes data to path atomically (a temporary file renamed over it). ownerOnly: the temporary file is
 * made 0600 before the first byte is written, so the key is never readable by others, not even for a
 * moment, whatever the umask or the permissions of a file it replaces.
 */
bool writeAtomically(const QString &path, const QByteArray &data, bool ownerOnly, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"Cannot write " + path + u": " + file.errorString();
        return false;
    }
    if (ownerOnly && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        if (error)
            *error = u"Cannot make " + path + u" readable by its owner only: " + file.errorString();
        file.cancelWriting();
        return false;
    }
    if (file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = u"Cannot write " + path + u": " + file.errorString();
        file.cancelWriting();
        return false;
    }
    return true;
}

/** The whole file, or nullopt and *problem (naming the file). */
std::optional<QByteArray> readSmallFile(const QString &path, QString *problem)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = path + u" cannot be read: " + file.errorString();
        return std::nullopt;
    }
    if (file.size() > MaxFileBytes) {
        *problem = path + u" is larger than " + QString::number(MaxFileBytes / 1024) + u" KiB";
        return std::nullopt;
    }
    QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        *problem = path + u" cannot be read: " + file.errorString();
        return std::nullopt;
    }
    return data;
}

/** Whether key is the private key of certificate's public key (OpenSSL's X509_check_private_key). */
bool keyMatches(const QSslCertificate &certificate, const QSslKey &key, QString *problem)
{
    const QByteArray der = certificate.toDer();
    const auto *derBytes = reinterpret_cast<const unsigned char *>(der.constData());
    const X509Ptr x509(d2i_X509(nullptr, &derBytes, long(der.size())));
    QByteArray pem = key.toPem();
    const BioPtr in(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    const KeyPtr openSslKey(in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr) : nullptr);
    cleanse(pem);
    if (!x509 || !openSslKey) {
        *problem = u"OpenSSL cannot read what Qt read: " + openSslErrors();
        return false;
    }
    if (X509_check_private_key(x509.get(), openSslKey.get()) != 1) {
        ERR_clear_error();
        return false;
    }
    return true;
}

/** The identity kept in the two files if it can still be used; otherwise nullopt and *problem. */
std::optional<ServerIdentity> loadKept(const QString &certificatePath, const QString &keyPath,
                                       const QDateTime &now, QString *problem)
{
    const std::optional<QByteArray> certificateData = readSmallFile(certificatePath, problem);
    if (!certificateData)
        return std::nullopt;
    std::optional<QByteArray> keyData = readSmallFile(keyPath, problem);
    if (!keyData)
        return std::nullopt;

    ServerIdentity identity;
    identity.certificatePath = certificatePath;
    identity.keyPath = keyPath;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(*certificateData, QSsl::Pem);
    if (certificates.isEmpty() || certificates.first().isNull()) {
        *problem = certificatePath + u" holds no PEM certificate";
        return std::nullopt;
    }
    identity.certificate = certificates.first();
    identity.key = QSslKey(*keyData, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    cleanse(*keyData);
    if (identity.key.isNull()) {
        *problem = keyPath + u" holds no unencrypted PEM EC private key";
        return std::nullopt;
    }
    QString matchProblem;
    if (!keyMatches(identity.certificate, identity.key, &matchProblem)) {
        *problem = certificatePath + u" does not belong to the key in " + keyPath;
        if (!matchProblem.isEmpty())
            *problem += u" (" + matchProblem + u')';
        return std::nullopt;
    }

    const QDateTime effective = identity.certificate.effectiveDate();
    const QDateTime expiry = identity.certificate.expiryDate();
    if (!effective.isValid() || !expiry.isValid()) {
        *problem = certificatePath + u" has no readable validity period";
        return std::nullopt;
    }
    if (expiry <= now) {
        *problem = certificatePath + u" expired on " + expiry.toString(Qt::ISODate);
        return std::nullopt;
    }
    if (expiry <= now.addDays(SelfSignedRenewalMarginDays)) {
        *problem = certificatePath + u" expires on " + expiry.toString(Qt::ISODate) + u", within "
                   + QString::number(SelfSignedRenewalMarginDays) + u" days";
        return std::nullopt;
    }
    if (effective > now) {
        *problem = certificatePath + u" is not valid before " + effective.toString(Qt::ISODate);
        return std::nullopt;
    }
    return identity;
}

/** Creates directory and its parents; false and *error with the OS's reason when it cannot. */
bool makeDirectory(const QString &directory, QString *error)
{
    std::error_code code;
    const std::filesystem::path path(QFile::encodeName(directory).toStdString());
    std::filesystem::create_directories(path, code);
    if (!code && !QFileInfo(directory).isDir())
        code = std::make_error_code(std::errc::not_a_directory);
    if (code) {
        if (error)
            *error = u"Cannot create the directory " + directory + u": "
                     + QString::fromLocal8Bit(code.message());
        return false;
    }
    return true;
}

} // namespace

std::optional<ServerIdentity> loadOrCreateSelfSignedIdentity(const QString &directory, QString *error,
                                                             const QDateTime &now)
{
    if (directory.isEmpty()) {
        if (error)
            *error = u"No directory given for the echo server's certificate"_s;
        return std::nullopt;
    }
    const QDateTime moment = now.isValid() ? now.toUTC() : QDateTime::currentDateTimeUtc();
    const QString certificatePath = directory + u'/' + QStringView(SelfSignedCertificateFileName);
    const QString keyPath = directory + u'/' + QStringView(SelfSignedKeyFileName);

    QString regeneratedBecause;
    const bool certificateExists = QFileInfo::exists(certificatePath);
    const bool keyExists = QFileInfo::exists(keyPath);
    if (certificateExists && keyExists) {
        if (std::optional<ServerIdentity> kept = loadKept(certificatePath, keyPath, moment, &regeneratedBecause))
            return kept;
    } else if (certificateExists) {
        regeneratedBecause = keyPath + u" is missing";
    } else if (keyExists) {
        regeneratedBecause = certificatePath + u" is missing";
    }

    if (!makeDirectory(directory, error))
        return std::nullopt;
    ERR_clear_error(); // whatever an earlier caller left there is not ours to report
    std::optional<GeneratedPem> pem = generate(std::time_t(moment.toSecsSinceEpoch()), error);
    if (!pem)
        return std::nullopt;

    ServerIdentity identity;
    identity.certificatePath = certificatePath;
    identity.keyPath = keyPath;
    identity.created = true;
    identity.regeneratedBecause = regeneratedBecause;
    identity.certificate = QSslCertificate(pem->certificate, QSsl::Pem);
    identity.key = QSslKey(pem->key, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (identity.certificate.isNull() || identity.key.isNull()) {
        cleanse(pem->key);
        if (error)
            *error = u"Qt cannot read the certificate and key OpenSSL generated"_s;
        return std::nullopt;
    }
    // the key first: a certificate without its key is replaced on the next call anyway
    const bool written = writeAtomically(keyPath, pem->key, true, error)
                         && writeAtomically(certificatePath, pem->certificate, false, error);
    cleanse(pem->key);
    if (!written)
        return std::nullopt;
    return identity;
}

} // namespace Wsw
