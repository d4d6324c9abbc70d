#pragma once

#include <optional>

#include <QJsonObject>
#include <QString>

namespace Wsw::Ui {

/**
 * Passwords sealed with a passphrase, for files people share (connection profiles). The
 * passphrase is stretched with PBKDF2-HMAC-SHA256 (RFC 8018) over a random 16-byte salt into an
 * AES-256-GCM key; the secrets (a JSON object) are encrypted under a random 12-byte nonce, and the
 * format's name and the iteration count are authenticated with them. The box is JSON with base64
 * fields and names its own KDF and cipher, so a reader knows how it was made:
 *
 *     {"kdf": "PBKDF2-HMAC-SHA256", "iterations": 600000, "salt": "…",
 *      "cipher": "AES-256-GCM", "nonce": "…", "ciphertext": "…", "tag": "…"}
 *
 * GCM cannot tell a wrong passphrase from changed bytes: both fail its tag, and open() says so.
 * Socket-free; OpenSSL's EVP API.
 */
namespace SecretBox {

/** OWASP's 2023 advice for PBKDF2-HMAC-SHA256; about a quarter of a second on a desktop CPU. */
constexpr int DefaultIterations = 600000;
/** What open() accepts: fewer protects too little, more lets a file keep the window busy for minutes. */
constexpr int MinimumIterations = 1000;
constexpr int MaximumIterations = 10000000;

/**
 * Encrypts the secrets; nullopt and *error for an empty passphrase, an iteration count outside
 * Minimum..MaximumIterations, or an OpenSSL failure.
 */
std::optional<QJsonObject> seal(const QJsonObject &secrets, const QString &passphrase,
                                int iterations = DefaultIterations, QString *error = nullptr);

/**
 * The secrets back; nullopt and *error naming the field for a malformed box, and "the passphrase
 * is wrong, or the encrypted data was changed" when authentication fails.
 */
std::optional<QJsonObject> open(const QJsonObject &box, const QString &passphrase, QString *error = nullptr);

} // namespace SecretBox

} // namespace Wsw::Ui
