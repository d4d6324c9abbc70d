#include "persistence/connectionprofile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include "codec/handshake.h"
#include "persistence/controljson.h"
#include "persistence/jsonfields.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

const QString Format = QString::fromUtf16(ProfileFile::FormatName);

/** The fields shared by profile files and the settings' tabs; fields may hold more keys (the envelope's). */
std::optional<ConnectionProfile> readProfile(JsonFields &fields, const std::optional<QJsonObject> &secrets,
                                             QStringList *warnings)
{
    ConnectionProfile profile;
    fields.readString(u"name"_s, &profile.name);
    fields.readString(u"url"_s, &profile.url);
    QJsonArray headers;
    if (fields.readArray(u"headers"_s, &headers)) {
        for (qsizetype i = 0; i < headers.size(); ++i) {
            const QString key = u"headers[%1]"_s.arg(i);
            if (!headers.at(i).isObject()) {
                fields.fail(key, u"must be an object {\"name\", \"value\"}, not %1"_s.arg(JsonFields::describe(headers.at(i))));
                break;
            }
            JsonFields header(headers.at(i).toObject(), fields.pathOf(key), warnings);
            QString name;
            QString value;
            header.readString(u"name"_s, &name);
            header.readString(u"value"_s, &value);
            if (header.ok() && name.isEmpty())
                header.fail(u"name"_s, u"empty"_s);
            // the same rule the headers editor and the engine apply (no CR/LF, no forbidden names)
            if (header.ok() && Codec::validateRequestHeader(name.toUtf8(), value.toUtf8()) != ErrorDetail::None)
                header.fail(u"name"_s, u"\"%1\" cannot be sent as a request header (forbidden name, or a line break "
                                       "or control character)"_s.arg(name));
            header.finish();
            if (!fields.adopt(header))
                break;
            profile.headers.append({name.toUtf8(), value.toUtf8()});
        }
    }
    QJsonObject control;
    bool hasControl = false;
    if (fields.readObject(u"control"_s, &control, &hasControl) && hasControl) {
        ControlJson::ReadResult read = ControlJson::fromJson(control, secrets, fields.pathOf(u"control"_s));
        if (!read.control)
            fields.adopt(read.error);
        else
            profile.control = *read.control;
        warnings->append(read.warnings);
    }
    QJsonArray messages;
    if (fields.ok() && fields.readArray(u"savedMessages"_s, &messages)) {
        for (qsizetype i = 0; i < messages.size(); ++i) {
            SavedMessage message;
            QString why = u"must be an object, not %1"_s.arg(JsonFields::describe(messages.at(i)));
            if (!messages.at(i).isObject() || !SavedMessage::fromJson(messages.at(i).toObject(), &message, &why)) {
                fields.fail(u"savedMessages[%1]"_s.arg(i), why);
                break;
            }
            profile.savedMessages.append(message);
        }
    }
    if (!fields.ok())
        return std::nullopt;
    return profile;
}

ProfileFile::LoadResult failed(const QString &error)
{
    ProfileFile::LoadResult result;
    result.error = error;
    return result;
}

} // namespace

QJsonArray ProfileFile::headersToJson(const Codec::HeaderList &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonObject{{u"name"_s, QString::fromUtf8(name)}, {u"value"_s, QString::fromUtf8(value)}});
    return array;
}

QJsonObject ProfileJson::toJson(const ConnectionProfile &profile)
{
    QJsonArray messages;
    for (const SavedMessage &message : profile.savedMessages)
        messages.append(message.toJson());
    return {{u"name"_s, profile.name},
            {u"url"_s, profile.url},
            {u"headers"_s, ProfileFile::headersToJson(profile.headers)},
            {u"control"_s, ControlJson::toJson(profile.control)},
            {u"savedMessages"_s, messages}};
}

std::optional<ConnectionProfile> ProfileJson::fromJson(const QJsonObject &json, const std::optional<QJsonObject> &secrets,
                                                       const QString &path, QString *error, QStringList *warnings)
{
    QStringList found;
    JsonFields fields(json, path, &found);
    std::optional<ConnectionProfile> profile = readProfile(fields, secrets, &found);
    fields.finish();
    if (!profile && error)
        *error = fields.error();
    if (profile && warnings)
        warnings->append(found);
    return profile;
}

std::optional<QJsonObject> ProfileFile::toJson(const ConnectionProfile &profile, const SaveOptions &options,
                                               QString *error)
{
    QJsonObject document{{u"format"_s, Format}, {u"version"_s, Version}};
    const QJsonObject fields = ProfileJson::toJson(profile);
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
        document.insert(it.key(), it.value());
    if (options.includeSecrets) {
        const QJsonObject secrets = ControlJson::secretsOf(profile.control);
        if (!secrets.isEmpty()) { // nothing to seal: no box, so opening asks for no passphrase
            const std::optional<QJsonObject> box = SecretBox::seal(secrets, options.passphrase, options.iterations, error);
            if (!box)
                return std::nullopt;
            document.insert(u"secrets"_s, *box);
        }
    }
    return document;
}

bool ProfileFile::save(const QString &path, const ConnectionProfile &profile, const SaveOptions &options,
                       QString *error)
{
    const std::optional<QJsonObject> document = toJson(profile, options, error);
    if (!document)
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(*document).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

ProfileFile::LoadResult ProfileFile::fromJson(const QJsonObject &document, const std::optional<QString> &passphrase)
{
    LoadResult result;
    const QJsonValue format = document.value(u"format"_s);
    if (format.toString() != Format)
        return failed(format.isUndefined()
                              ? u"not a WebSocket Workbench profile: it has no \"format\": \"%1\""_s.arg(Format)
                              : u"not a WebSocket Workbench profile: \"format\" is %1, not \"%2\""_s.arg(
                                        JsonFields::describe(format), Format));
    const QJsonValue version = document.value(u"version"_s);
    if (!version.isDouble() || version.toDouble() != double(Version)) {
        if (version.isDouble() && version.toDouble() > Version)
            return failed(u"profile version %1 is newer than this workbench reads (%2); update the workbench"_s.arg(
                    JsonFields::describe(version)).arg(Version));
        return failed(u"\"version\" must be %1, not %2"_s.arg(Version).arg(JsonFields::describe(version)));
    }
    JsonFields fields(document, QString(), &result.warnings);
    fields.contains(u"format"_s);
    fields.contains(u"version"_s);
    QJsonObject box;
    fields.readObject(u"secrets"_s, &box, &result.hasEncryptedSecrets);
    if (!fields.ok())
        return failed(fields.error());
    std::optional<QJsonObject> secrets;
    if (result.hasEncryptedSecrets) {
        if (!passphrase) {
            result.secretsLeftOut = true;
            result.warnings.append(u"the profile holds encrypted passwords; opened without them"_s);
        } else {
            QString why;
            secrets = SecretBox::open(box, *passphrase, &why);
            if (!secrets) {
                result.error = u"encrypted passwords: "_s + why;
                result.passphraseRejected = true;
                return result;
            }
        }
    }
    result.profile = readProfile(fields, secrets, &result.warnings);
    fields.finish();
    if (!result.profile) {
        result.error = fields.error();
        result.warnings.clear();
    }
    return result;
}

ProfileFile::LoadResult ProfileFile::load(const QString &path, const std::optional<QString> &passphrase)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    if (file.size() > MaxFileBytes)
        return failed(u"%1 is larger than %2 MiB: not a connection profile"_s.arg(path).arg(MaxFileBytes >> 20));
    const QByteArray bytes = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failed(u"%1 is not valid JSON: %2 at byte %3"_s.arg(path, parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return failed(u"%1 is not a connection profile: its top level is not a JSON object"_s.arg(path));
    LoadResult result = fromJson(document.object(), passphrase);
    if (!result.profile && !result.passphraseRejected)
        result.error = path + u": "_s + result.error;
    return result;
}

} // namespace Wsw::Ui
