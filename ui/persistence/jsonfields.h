#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

namespace Wsw::Ui {

/**
 * Reads the fields of one JSON object with type and range checks, for the settings and profile
 * readers. The first wrong field wins: its message names the field by path ("control.proxy.port:
 * must be a whole number from 1 to 65535, not 70000") and later reads do nothing. A missing key
 * (or null, for the nullable readers) leaves the output as it was, so defaults stay. finish()
 * reports the keys nobody asked for as warnings ("… : unknown key, ignored").
 */
class JsonFields final
{
public:
    JsonFields(const QJsonObject &object, QString path, QStringList *warnings);

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    /** "path.key", for messages about a field read elsewhere. */
    QString pathOf(const QString &key) const;
    /** Records the first error at "path.key"; returns false. */
    bool fail(const QString &key, const QString &why);
    /** Records the first error at a path of the caller's choosing ("secrets.serverPassword"). */
    bool failAt(const QString &path, const QString &why);
    /** Takes a nested reader's error as this one's (its path already names the field). */
    bool adopt(const JsonFields &nested);
    /** Takes a complete message ("control.proxy.port: …") from another reader as this one's error. */
    bool adopt(const QString &error);

    bool contains(const QString &key);
    bool readBool(const QString &key, bool *out);
    /** A whole number within [min, max]; *present (if given) says whether the key held one. */
    bool readInteger(const QString &key, qint64 min, qint64 max, qint64 *out, bool *present = nullptr);
    template <typename T>
    bool readNumber(const QString &key, qint64 min, qint64 max, T *out, bool *present = nullptr)
    {
        qint64 value = 0;
        bool found = false;
        if (!readInteger(key, min, max, &value, &found))
            return false;
        if (found)
            *out = T(value);
        if (present)
            *present = found;
        return true;
    }
    bool readString(const QString &key, QString *out);
    /** One of the given words, as its index. */
    bool readChoice(const QString &key, const QStringList &words, int *index);
    bool readStringList(const QString &key, QStringList *out);
    /** An object; null or missing leave *present false. */
    bool readObject(const QString &key, QJsonObject *out, bool *present);
    bool readArray(const QString &key, QJsonArray *out);

    /** Adds a warning for each key no read asked about. */
    void finish();

    /** A short description of a value for messages: 42, "text", true, an array, an object, null. */
    static QString describe(const QJsonValue &value);

private:
    QJsonValue take(const QString &key);

    QJsonObject m_object;
    QString m_path;
    QStringList *m_warnings;
    QSet<QString> m_known;
    QString m_error;
};

} // namespace Wsw::Ui
