#pragma once

#include <optional>

#include <QJsonObject>
#include <QStringList>

#include "api/messagewebsocketcontrol.h"

namespace Wsw::Ui {

/**
 * A MessageWebSocketControl as JSON, for settings and connection profiles: every field, under the
 * Control's own names (durations in milliseconds carry "Ms"; certificates are PEM text; enums are
 * words). Secrets never go into toJson(): the passwords of serverCredential and proxyCredential
 * and the client certificate's private key come out of secretsOf() as a separate object, which a
 * caller either drops or seals with SecretBox. toJson() only records that a password existed
 * ("hasPassword"), so a reader can say what is missing.
 */
namespace ControlJson {

/** The Control without secrets. */
QJsonObject toJson(const MessageWebSocketControl &control);

/**
 * {"serverPassword", "proxyPassword", "clientCertificateKey" (unencrypted PKCS#8 PEM)}: only those
 * the Control holds; empty when it holds none.
 */
QJsonObject secretsOf(const MessageWebSocketControl &control);

struct ReadResult {
    /** nullopt when a field is wrong; error then names it ("control.timeoutsMs.connect: …"). */
    std::optional<MessageWebSocketControl> control;
    QString error;
    /** Read, but worth saying: unknown keys (ignored), secrets that were not available. */
    QStringList warnings;
};

/**
 * Reads toJson()'s form, checking types and ranges the way MessageWebSocket::setControl() does.
 * A missing key keeps the Control's default; an unknown key is ignored with a warning. secrets is
 * secretsOf()'s object, or nullopt when the caller has none: a credential then keeps its user name
 * with an empty password, and a client certificate (useless without its key) is left out, each
 * with a warning. path prefixes every message.
 */
ReadResult fromJson(const QJsonObject &json, const std::optional<QJsonObject> &secrets = std::nullopt,
                    const QString &path = QStringLiteral("control"));

} // namespace ControlJson

} // namespace Wsw::Ui
