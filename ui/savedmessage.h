#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "codec/wswenums.h"

namespace Wsw::Ui {

/**
 * A message the user keeps to send again: a name, the type it goes out as, and its bytes.
 * Shared by the saved-messages panel, the window's settings and connection profiles.
 */
struct SavedMessage {
    QString name;
    SocketMessageType type = SocketMessageType::Utf8;
    QByteArray payload;

    friend bool operator==(const SavedMessage &, const SavedMessage &) = default;

    /**
     * {"name", "type": "text"|"binary", "text"} for text that is valid UTF-8, otherwise
     * {"name", "type", "base64"}: lossless for any bytes.
     */
    QJsonObject toJson() const;
    /** Reads toJson()'s form; nullopt-like failure: returns false and says why in error. */
    static bool fromJson(const QJsonObject &json, SavedMessage *message, QString *error);
};

} // namespace Wsw::Ui
