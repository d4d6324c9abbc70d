#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

namespace Wsw::Ui {

/** A public key the user trusts for one server, from "Trust this certificate for this host". */
struct TrustedPin {
    QString host;    // "host:port" as in the URL (lower-case host), e.g. "localhost:8766"
    QString pin;     // "sha256/BASE64"
    QString subject; // the certificate's display name when it was trusted, for people
    QDateTime added; // UTC
};

/**
 * The workbench's trusted pins, kept in an INI file so they survive restarts (SSH's known_hosts
 * for wss://). Later connections to the same host and port pass on the pin
 * (Control.pinnedPublicKeys); the pins manager lists and removes them.
 */
class PinStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PinStore)

public:
    /** filePath empty: trusted-pins.ini in the app's config folder. */
    explicit PinStore(const QString &filePath = {}, QObject *parent = nullptr);

    /** "host:port" of a wss:// URL (default port 443); empty for other URLs. */
    static QString hostKey(const QUrl &url);

    QList<TrustedPin> pins() const { return m_pins; }
    QStringList pinsFor(const QString &hostKey) const;
    /** Adds (or refreshes the date of) a pin; false with *error when the file cannot be written. */
    bool add(const QString &hostKey, const QString &pin, const QString &subject, QString *error = nullptr);
    bool remove(const QString &hostKey, const QString &pin, QString *error = nullptr);
    QString filePath() const { return m_filePath; }
    /** Why the file could not be read at start; empty when it was fine or absent. */
    QString loadProblem() const { return m_loadProblem; }

Q_SIGNALS:
    void changed();

private:
    void load();
    bool save(QString *error);

    QString m_filePath;
    QList<TrustedPin> m_pins;
    QString m_loadProblem;
};

} // namespace Wsw::Ui
