#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "api/messagewebsocketcontrol.h"
#include "codec/httpheadreader.h"
#include "persistence/secretbox.h"
#include "savedmessage.h"

namespace Wsw::Ui {

/** One connection as a team shares it: where to, with which Control, headers and saved messages. */
struct ConnectionProfile {
    QString name;
    QString url;
    MessageWebSocketControl control;
    Codec::HeaderList headers;
    QList<SavedMessage> savedMessages;

    friend bool operator==(const ConnectionProfile &, const ConnectionProfile &) = default;
};

/**
 * A profile as a JSON file:
 *
 *     {"format": "wsworkbench-profile", "version": 1, "name": …, "url": …,
 *      "headers": [{"name": …, "value": …}], "control": {ControlJson}, "savedMessages": [SavedMessage],
 *      "secrets": {SecretBox}}
 *
 * Passwords and the client certificate's private key are left out unless the user asks; then
 * they are sealed with a passphrase ("secrets") and never written in clear.
 */
namespace ProfileFile {

inline constexpr char16_t FormatName[] = u"wsworkbench-profile";
constexpr int Version = 1;
/** Larger files are refused before parsing: a profile is a few kilobytes, saved messages included. */
constexpr qint64 MaxFileBytes = 64ll * 1024 * 1024;

struct SaveOptions {
    /** Seal the Control's secrets with passphrase; otherwise they are left out. */
    bool includeSecrets = false;
    QString passphrase;
    int iterations = SecretBox::DefaultIterations;
};

/** The document; nullopt and *error when the secrets cannot be sealed (empty passphrase). */
std::optional<QJsonObject> toJson(const ConnectionProfile &profile, const SaveOptions &options = {},
                                  QString *error = nullptr);
/** Writes atomically (QSaveFile): an old file stays whole when anything fails. */
bool save(const QString &path, const ConnectionProfile &profile, const SaveOptions &options = {},
          QString *error = nullptr);

struct LoadResult {
    /** nullopt on failure; error says what is wrong (and where). */
    std::optional<ConnectionProfile> profile;
    QString error;
    /** Read, but worth telling the user: unknown keys, passwords that were not available. */
    QStringList warnings;
    /** The file holds encrypted secrets (whether or not they were opened). */
    bool hasEncryptedSecrets = false;
    /** The secrets were there but not opened: no passphrase was given. */
    bool secretsLeftOut = false;
    /** A passphrase was given and the secrets did not open with it (wrong, or the file was changed). */
    bool passphraseRejected = false;
};

/**
 * Reads toJson()'s form. Encrypted secrets need the passphrase: without one (nullopt) the profile
 * loads without them and says so (secretsLeftOut and a warning); a wrong one fails the load.
 */
LoadResult fromJson(const QJsonObject &document, const std::optional<QString> &passphrase = std::nullopt);
/** Reads a file: "cannot open", "not JSON: … at byte N", wrong format or version, or fromJson()'s errors. */
LoadResult load(const QString &path, const std::optional<QString> &passphrase = std::nullopt);

/** The headers as [{"name", "value"}] (UTF-8), shared with the window's settings. */
QJsonArray headersToJson(const Codec::HeaderList &headers);

} // namespace ProfileFile

/**
 * The profile's fields without the envelope ("format", "version", "secrets"), for the window's
 * settings, which keep open tabs as profiles. Secrets are never part of it.
 */
namespace ProfileJson {
QJsonObject toJson(const ConnectionProfile &profile);
/** secrets: the opened SecretBox, or nullopt. path prefixes messages ("profile", "tabs[2]"). */
std::optional<ConnectionProfile> fromJson(const QJsonObject &json, const std::optional<QJsonObject> &secrets,
                                          const QString &path, QString *error, QStringList *warnings);
} // namespace ProfileJson

} // namespace Wsw::Ui
