#pragma once

#include <optional>

#include <QList>
#include <QSslError>
#include <QString>

#include "codec/wswenums.h"

namespace Wsw {

/**
 * What a certificate error means in Windows' terms (spec §7.3, §7.4, §12.7), as one table:
 * QSslError → ChainValidationResult → severity → the WebErrorStatus a failure gets. Pure
 * functions; no socket.
 */
namespace ChainValidation {

/**
 * The ChainValidationResult for one of Qt's (OpenSSL's) certificate errors. NoError is Success;
 * NoSslSupport, which is no chain error at all, counts as OtherErrors so that it fails closed.
 */
ChainValidationResult resultFor(QSslError::SslError error);

/** Ignorable for the values Windows lets an application ignore (spec §7.4), Fatal for the rest, None for
 * Success. */
SocketSslErrorSeverity severityOf(ChainValidationResult result);
/** The worst severity of a set; None for an empty one. */
SocketSslErrorSeverity severityOf(const QList<ChainValidationResult> &results);
/** Whether Control.ignorableServerCertificateErrors may list it. */
bool isIgnorable(ChainValidationResult result);

/** Each distinct result of a list of errors, in the order they first appear (NoError left out). */
QList<ChainValidationResult> resultsFor(const QList<QSslError> &errors);

/** The status of a connection refused for these results: the one kind's own, or CertificateContainsErrors for
 * several. */
WebErrorStatus statusFor(const QList<ChainValidationResult> &results);

/** "Untrusted", "Expired"… (the enumerator's name). */
QString name(ChainValidationResult result);
/** The value for a name, compared case-insensitively; nullopt for an unknown name. */
std::optional<ChainValidationResult> fromName(QStringView name);
/** Every name a person may write, Success left out, for help texts and error messages. */
QStringList names();
/** One sentence for people: what the result means. */
QString explanation(ChainValidationResult result);

} // namespace ChainValidation

} // namespace Wsw
