#include "savedmessage.h"

#include "format/messageformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

QJsonObject SavedMessage::toJson() const
{
    QJsonObject json{{u"name"_s, name}, {u"type"_s, type == SocketMessageType::Utf8 ? u"text"_s : u"binary"_s}};
    if (type == SocketMessageType::Utf8 && Format::utf8Problem(payload).isEmpty())
        json.insert(u"text"_s, QString::fromUtf8(payload));
    else
        json.insert(u"base64"_s, QString::fromLatin1(payload.toBase64()));
    return json;
}

bool SavedMessage::fromJson(const QJsonObject &json, SavedMessage *message, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    SavedMessage result;
    result.name = json.value(u"name"_s).toString();
    if (result.name.trimmed().isEmpty())
        return fail(u"a saved message has no name"_s);
    const QString type = json.value(u"type"_s).toString();
    if (type == u"text"_s)
        result.type = SocketMessageType::Utf8;
    else if (type == u"binary"_s)
        result.type = SocketMessageType::Binary;
    else
        return fail(u"saved message \"%1\": type must be \"text\" or \"binary\", not \"%2\""_s.arg(result.name, type));
    if (json.contains(u"text"_s)) {
        if (!json.value(u"text"_s).isString())
            return fail(u"saved message \"%1\": \"text\" is not a string"_s.arg(result.name));
        result.payload = json.value(u"text"_s).toString().toUtf8();
    } else if (json.contains(u"base64"_s)) {
        const auto decoded = QByteArray::fromBase64Encoding(json.value(u"base64"_s).toString().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(u"saved message \"%1\": \"base64\" is not valid base64"_s.arg(result.name));
        result.payload = *decoded;
    } else {
        return fail(u"saved message \"%1\" has neither \"text\" nor \"base64\""_s.arg(result.name));
    }
    *message = result;
    return true;
}

} // namespace Wsw::Ui
