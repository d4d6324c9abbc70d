#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace Wsw {

class WebSocketError;

/**
 * A certificate and its private key for TLS client authentication (Windows' ClientCertificate,
 * spec §12.3), loaded from files instead of a certificate store. The loaders check everything
 * before any connection: a file that cannot be read, a wrong passphrase and a key that does
 * not belong to the certificate each get their own error naming the file. The passphrase is
 * used once and kept nowhere.
 */
struct ClientCertificate
{
    QSslCertificate certificate{}; // {}: its default constructor is explicit
    /** Sent after the certificate, so the server can build the chain to its CA. */
    QList<QSslCertificate> intermediates;
    QSslKey privateKey;

    bool isNull() const { return certificate.isNull(); }

    /**
     * PKCS#12 when certificateFile is one (keyFile must then be empty), PEM otherwise. For PEM,
     * the first certificate in certificateFile is the client's and the others are intermediates;
     * the key is read from keyFile, or from certificateFile when keyFile is empty. The passphrase
     * opens an encrypted key or the PKCS#12 file. On failure: nullopt and *error (ErrorDetail
     * ClientCertificateUnreadable, ClientCertificatePasswordWrong or ClientCertificateKeyMismatch).
     */
    static std::optional<ClientCertificate> load(const QString &certificateFile, const QString &keyFile,
                                                 const QByteArray &passphrase, WebSocketError *error);
    static std::optional<ClientCertificate> loadPem(const QString &certificateFile, const QString &keyFile,
                                                    const QByteArray &passphrase, WebSocketError *error);
    static std::optional<ClientCertificate> loadPkcs12(const QString &file, const QByteArray &passphrase,
                                                       WebSocketError *error);

    /** Whether the private key belongs to the certificate (OpenSSL's X509_check_private_key). */
    static bool keyMatches(const QSslCertificate &certificate, const QSslKey &key);

    friend bool operator==(const ClientCertificate &, const ClientCertificate &) = default;
};

} // namespace Wsw
