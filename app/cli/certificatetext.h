#pragma once

#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

#include "api/messagewebsocketinformation.h"
#include "api/websocketerror.h"

namespace Wsw::Cli {

/**
 * Certificates and TLS failures in words, for every wscli command and later the workbench:
 * functions that return strings and print nothing. Lines carry no prefix or timestamp; nested
 * lines are indented by two spaces per level, so a caller only adds its own indentation.
 * `now` decides what counts as expired, so results are reproducible in tests.
 */
namespace CertificateText {

/** SHA-256 over the DER certificate in upper-case colon hex, as `openssl x509 -fingerprint -sha256` prints
 * it. */
QString sha256Fingerprint(const QSslCertificate &certificate);
/** "O=WSW Test PKI, CN=localhost": the subject's attributes in the certificate's order. */
QString subjectName(const QSslCertificate &certificate);
QString issuerName(const QSslCertificate &certificate);
/** Whom the certificate was issued to: the subject's common name, or its whole name without one. */
QString issuedTo(const QSslCertificate &certificate);
/** The same for the issuer. */
QString issuedBy(const QSslCertificate &certificate);
/** "DNS:localhost, IP:127.0.0.1": the subject alternative names; empty when there are none. */
QString alternativeNames(const QSslCertificate &certificate);
/** "2036-12-06 07:02:42 UTC" */
QString utcTime(const QDateTime &time);

/**
 * One certificate, a "label: value" line each: subject, issuer, names, not before, not after
 * (marked "(not yet valid)" / "(expired)" against now), SHA-256 fingerprint and its public-key
 * pin (sha256/BASE64, the form Control.pinnedPublicKeys takes).
 */
QStringList certificateLines(const QSslCertificate &certificate,
                             const QDateTime &now = QDateTime::currentDateTimeUtc());

/** "IncompleteChain: The issuer of a certificate is missing: ..." (name and one-line explanation). */
QString certificateErrorLine(ChainValidationResult result);

/**
 * Whether the error ended a wss:// connection in TLS: the handshake, the validation of the
 * server's certificate (default, pins, custom) or the client certificate.
 */
bool isTlsFailure(const WebSocketError &error);

/**
 * The explanation that goes below a TLS failure's error line: every certificate error by name
 * with its explanation ("(ignored)" for those in ignored), the server's certificate
 * (certificateLines()) and the chain it sent, and for PinMismatch the pins it presented. Empty
 * for an error that is no TLS failure. info is MessageWebSocket::information() after the failure.
 */
QStringList tlsFailureLines(const WebSocketError &error, const MessageWebSocketInformation &info,
                            const QList<ChainValidationResult> &ignored = {},
                            const QDateTime &now = QDateTime::currentDateTimeUtc());

/**
 * One line for an open wss:// connection: "TLSv1.3, TLS_AES_256_GCM_SHA384 (256-bit), certificate
 * issued to localhost by WSW Test Intermediate CA", plus the pin that matched and the certificate
 * errors the connection was accepted despite, if any. Empty when the connection is not encrypted.
 */
QString tlsSessionLine(const MessageWebSocketInformation &info);

} // namespace CertificateText

} // namespace Wsw::Cli
