#pragma once

#include <QWidget>

#include "api/frameinfo.h"

class QPlainTextEdit;

namespace Wsw::Ui {

/** The opening handshake as sent and received (a non-101 answer's body too), credentials redacted. */
class HandshakeView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HandshakeView)

public:
    explicit HandshakeView(QWidget *parent = nullptr);

    void showTranscript(const HandshakeTranscript &transcript);
    QString text() const;

    /** Header blocks with the values of Authorization, Proxy-Authorization and Cookie replaced. */
    static QString redacted(const QByteArray &headers);

private:
    QPlainTextEdit *m_text;
};

} // namespace Wsw::Ui
