#include "persistence/secretbox.h"

#include <memory>

#include <QByteArray>
#include <QJsonDocument>

#include <openssl/evp.h>
#include <openssl/rand.h>

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui::SecretBox {

namespace {

constexpr int SaltBytes = 16;  // NIST SP 800-132: at least 128 bits
constexpr int NonceBytes = 12; // GCM's native IV size (NIST SP 800-38D)
constexpr int TagBytes = 16;
constexpr int KeyBytes = 32;   // AES-256

const QString KdfName = u"PBKDF2-HMAC-SHA256"_s;
const QString CipherName = u"AES-256-GCM"_s;

struct CipherContextFree {
    void operator()(EVP_CIPHER_CTX *context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

/** Bound to the ciphertext, so a box cannot be replayed with a weaker iteration count. */
QByteArray associatedData(int iterations)
{
    return "wsworkbench-secrets/1 " + KdfName.toLatin1() + ' ' + QByteArray::number(iterations) + ' '
            + CipherName.toLatin1();
}

/** Wipes key material once it is no longer needed (OPENSSL_cleanse cannot be optimised away). */
struct Wiped {
    QByteArray bytes;
    ~Wiped()
    {
        if (!bytes.isEmpty())
            OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    }
};

bool deriveKey(const QString &passphrase, const QByteArray &salt, int iterations, QByteArray *key)
{
    const Wiped secret{passphrase.toUtf8()};
    key->resize(KeyBytes);
    return PKCS5_PBKDF2_HMAC(secret.bytes.constData(), int(secret.bytes.size()),
                             reinterpret_cast<const unsigned char *>(salt.constData()), int(salt.size()), iterations,
                             EVP_sha256(), KeyBytes, reinterpret_cast<unsigned char *>(key->data()))
            == 1;
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

/** A base64 field of the box with an exact or minimum decoded length. */
bool readBytes(const QJsonObject &box, const QString &name, int exactSize, QByteArray *out, QString *error)
{
    const QJsonValue value = box.value(name);
    if (!value.isString())
        return fail(error, value.isUndefined() ? u"encrypted secrets: \"%1\" is missing"_s.arg(name)
                                                : u"encrypted secrets: \"%1\" is not a string"_s.arg(name));
    const auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return fail(error, u"encrypted secrets: \"%1\" is not valid base64"_s.arg(name));
    if (exactSize >= 0 && decoded.decoded.size() != exactSize)
        return fail(error, u"encrypted secrets: \"%1\" must be %2 bytes, not %3"_s.arg(name).arg(exactSize).arg(
                                   decoded.decoded.size()));
    *out = *decoded;
    return true;
}

QString base64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

} // namespace

std::optional<QJsonObject> seal(const QJsonObject &secrets, const QString &passphrase, int iterations, QString *error)
{
    if (passphrase.isEmpty()) {
        fail(error, u"the passphrase is empty"_s);
        return std::nullopt;
    }
    if (iterations < MinimumIterations || iterations > MaximumIterations) {
        fail(error, u"the iteration count must be from %1 to %2"_s.arg(MinimumIterations).arg(MaximumIterations));
        return std::nullopt;
    }
    QByteArray salt(SaltBytes, Qt::Uninitialized);
    QByteArray nonce(NonceBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), SaltBytes) != 1
        || RAND_bytes(reinterpret_cast<unsigned char *>(nonce.data()), NonceBytes) != 1) {
        fail(error, u"OpenSSL has no random bytes"_s);
        return std::nullopt;
    }
    Wiped key;
    if (!deriveKey(passphrase, salt, iterations, &key.bytes)) {
        fail(error, u"OpenSSL could not derive a key from the passphrase"_s);
        return std::nullopt;
    }
    const Wiped plain{QJsonDocument(secrets).toJson(QJsonDocument::Compact)};
    const QByteArray aad = associatedData(iterations);
    QByteArray ciphertext(plain.bytes.size(), Qt::Uninitialized);
    QByteArray tag(TagBytes, Qt::Uninitialized);
    CipherContext context(EVP_CIPHER_CTX_new());
    int written = 0;
    int finalWritten = 0;
    const bool ok = context
            && EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr,
                                  reinterpret_cast<const unsigned char *>(key.bytes.constData()),
                                  reinterpret_cast<const unsigned char *>(nonce.constData()))
                    == 1
            && EVP_EncryptUpdate(context.get(), nullptr, &written, reinterpret_cast<const unsigned char *>(aad.constData()),
                                 int(aad.size()))
                    == 1
            && EVP_EncryptUpdate(context.get(), reinterpret_cast<unsigned char *>(ciphertext.data()), &written,
                                 reinterpret_cast<const unsigned char *>(plain.bytes.constData()),
                                 int(plain.bytes.size()))
                    == 1
            && EVP_EncryptFinal_ex(context.get(), reinterpret_cast<unsigned char *>(ciphertext.data()) + written,
                                   &finalWritten)
                    == 1
            && EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, TagBytes, tag.data()) == 1;
    if (!ok) {
        fail(error, u"OpenSSL could not encrypt the secrets"_s);
        return std::nullopt;
    }
    ciphertext.truncate(written + finalWritten);
    return QJsonObject{{u"kdf"_s, KdfName},
                       {u"iterations"_s, iterations},
                       {u"salt"_s, base64(salt)},
                       {u"cipher"_s, CipherName},
                       {u"nonce"_s, base64(nonce)},
                       {u"ciphertext"_s, base64(ciphertext)},
                       {u"tag"_s, base64(tag)}};
}

std::optional<QJsonObject> open(const QJsonObject &box, const QString &passphrase, QString *error)
{
    if (box.value(u"kdf"_s).toString() != KdfName) {
        fail(error, u"encrypted secrets: \"kdf\" must be \"%1\""_s.arg(KdfName));
        return std::nullopt;
    }
    if (box.value(u"cipher"_s).toString() != CipherName) {
        fail(error, u"encrypted secrets: \"cipher\" must be \"%1\""_s.arg(CipherName));
        return std::nullopt;
    }
    const QJsonValue iterationsValue = box.value(u"iterations"_s);
    const double iterationsNumber = iterationsValue.toDouble(-1);
    if (!iterationsValue.isDouble() || iterationsNumber != double(qint64(iterationsNumber))
        || iterationsNumber < MinimumIterations || iterationsNumber > MaximumIterations) {
        fail(error, u"encrypted secrets: \"iterations\" must be a whole number from %1 to %2"_s.arg(MinimumIterations)
                            .arg(MaximumIterations));
        return std::nullopt;
    }
    const int iterations = int(iterationsNumber);
    QByteArray salt;
    QByteArray nonce;
    QByteArray ciphertext;
    QByteArray tag;
    if (!readBytes(box, u"salt"_s, SaltBytes, &salt, error) || !readBytes(box, u"nonce"_s, NonceBytes, &nonce, error)
        || !readBytes(box, u"ciphertext"_s, -1, &ciphertext, error) || !readBytes(box, u"tag"_s, TagBytes, &tag, error))
        return std::nullopt;
    if (passphrase.isEmpty()) {
        fail(error, u"the passphrase is empty"_s);
        return std::nullopt;
    }
    Wiped key;
    if (!deriveKey(passphrase, salt, iterations, &key.bytes)) {
        fail(error, u"OpenSSL could not derive a key from the passphrase"_s);
        return std::nullopt;
    }
    const QByteArray aad = associatedData(iterations);
    Wiped plain{QByteArray(ciphertext.size(), Qt::Uninitialized)};
    CipherContext context(EVP_CIPHER_CTX_new());
    int written = 0;
    int finalWritten = 0;
    const bool prepared = context
            && EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr,
                                  reinterpret_cast<const unsigned char *>(key.bytes.constData()),
                                  reinterpret_cast<const unsigned char *>(nonce.constData()))
                    == 1
            && EVP_DecryptUpdate(context.get(), nullptr, &written, reinterpret_cast<const unsigned char *>(aad.constData()),
                                 int(aad.size()))
                    == 1
            && EVP_DecryptUpdate(context.get(), reinterpret_cast<unsigned char *>(plain.bytes.data()), &written,
                                 reinterpret_cast<const unsigned char *>(ciphertext.constData()), int(ciphertext.size()))
                    == 1
            && EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, TagBytes, tag.data()) == 1;
    if (!prepared) {
        fail(error, u"OpenSSL could not decrypt the secrets"_s);
        return std::nullopt;
    }
    // the tag check: a wrong key and changed bytes look the same to GCM
    if (EVP_DecryptFinal_ex(context.get(), reinterpret_cast<unsigned char *>(plain.bytes.data()) + written,
                            &finalWritten)
        != 1) {
        fail(error, u"the passphrase is wrong, or the encrypted passwords were changed after saving"_s);
        return std::nullopt;
    }
    plain.bytes.truncate(written + finalWritten);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(plain.bytes, &parseError);
    if (!document.isObject()) {
        fail(error, u"encrypted secrets: the decrypted data is not a JSON object"_s);
        return std::nullopt;
    }
    return document.object();
}

} // namespace Wsw::Ui::SecretBox
