#include "persistence/jsonfields.h"

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

JsonFields::JsonFields(const QJsonObject &object, QString path, QStringList *warnings)
    : m_object(object)
    , m_path(std::move(path))
    , m_warnings(warnings)
{
}

QString JsonFields::pathOf(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

bool JsonFields::fail(const QString &key, const QString &why)
{
    if (m_error.isEmpty())
        m_error = pathOf(key) + u": "_s + why;
    return false;
}

bool JsonFields::failAt(const QString &path, const QString &why)
{
    if (m_error.isEmpty())
        m_error = path + u": "_s + why;
    return false;
}

bool JsonFields::adopt(const JsonFields &nested)
{
    if (nested.ok())
        return true;
    if (m_error.isEmpty())
        m_error = nested.error();
    return false;
}

bool JsonFields::adopt(const QString &error)
{
    if (m_error.isEmpty())
        m_error = error;
    return false;
}

QJsonValue JsonFields::take(const QString &key)
{
    m_known.insert(key);
    return m_object.value(key);
}

bool JsonFields::contains(const QString &key)
{
    m_known.insert(key);
    return m_object.contains(key);
}

bool JsonFields::readBool(const QString &key, bool *out)
{
    const QJsonValue value = take(key);
    if (!ok())
        return false;
    if (value.isUndefined())
        return true;
    if (!value.isBool())
        return fail(key, u"must be true or false, not %1"_s.arg(describe(value)));
    *out = value.toBool();
    return true;
}

bool JsonFields::readInteger(const QString &key, qint64 min, qint64 max, qint64 *out, bool *present)
{
    if (present)
        *present = false;
    const QJsonValue value = take(key);
    if (!ok())
        return false;
    if (value.isUndefined() || value.isNull())
        return true;
    const double number = value.toDouble();
    // doubles hold every whole number up to 2^53 exactly, more than any field needs
    if (!value.isDouble() || std::floor(number) != number || number < double(min) || number > double(max))
        return fail(key, u"must be a whole number from %1 to %2, not %3"_s.arg(min).arg(max).arg(describe(value)));
    *out = qint64(number);
    if (present)
        *present = true;
    return true;
}

bool JsonFields::readString(const QString &key, QString *out)
{
    const QJsonValue value = take(key);
    if (!ok())
        return false;
    if (value.isUndefined())
        return true;
    if (!value.isString())
        return fail(key, u"must be a string, not %1"_s.arg(describe(value)));
    *out = value.toString();
    return true;
}

bool JsonFields::readChoice(const QString &key, const QStringList &words, int *index)
{
    QString word;
    bool found = contains(key);
    if (!readString(key, &word))
        return false;
    if (!found)
        return true;
    const int at = int(words.indexOf(word));
    if (at < 0)
        return fail(key, u"must be one of \"%1\", not \"%2\""_s.arg(words.join(u"\", \""_s), word));
    *index = at;
    return true;
}

bool JsonFields::readStringList(const QString &key, QStringList *out)
{
    QJsonArray array;
    const bool found = contains(key);
    if (!readArray(key, &array))
        return false;
    if (!found)
        return true;
    QStringList strings;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString())
            return fail(u"%1[%2]"_s.arg(key).arg(i), u"must be a string, not %1"_s.arg(describe(array.at(i))));
        strings.append(array.at(i).toString());
    }
    *out = strings;
    return true;
}

bool JsonFields::readObject(const QString &key, QJsonObject *out, bool *present)
{
    *present = false;
    const QJsonValue value = take(key);
    if (!ok())
        return false;
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isObject())
        return fail(key, u"must be an object, not %1"_s.arg(describe(value)));
    *out = value.toObject();
    *present = true;
    return true;
}

bool JsonFields::readArray(const QString &key, QJsonArray *out)
{
    const QJsonValue value = take(key);
    if (!ok())
        return false;
    if (value.isUndefined())
        return true;
    if (!value.isArray())
        return fail(key, u"must be an array, not %1"_s.arg(describe(value)));
    *out = value.toArray();
    return true;
}

void JsonFields::finish()
{
    if (!m_warnings || !ok())
        return;
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it)
        if (!m_known.contains(it.key()))
            m_warnings->append(pathOf(it.key()) + u": unknown key, ignored"_s);
}

QString JsonFields::describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::String: {
        const QString text = value.toString();
        return u"\"%1\""_s.arg(text.size() > 40 ? text.left(40) + u"…"_s : text);
    }
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

} // namespace Wsw::Ui
