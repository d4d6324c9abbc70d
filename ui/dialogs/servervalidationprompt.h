#pragma once

#include <chrono>

#include <QDialog>
#include <QElapsedTimer>
#include <QTimer>

#include "api/messagewebsocketcontrol.h"
#include "api/messagewebsocketinformation.h"

class QLabel;
class QPushButton;

namespace Wsw::Ui {

/**
 * The question the engine's validation deferral holds open: a certificate failed validation, go
 * on anyway? Non-modal (open()). Accept once, Trust this certificate for this host (its key's pin
 * is kept for later connections), or Reject; the time left is shown, and running out of it or
 * closing the prompt rejects (fail closed).
 */
class ServerValidationPrompt final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerValidationPrompt)

public:
    enum class Answer : quint8 { AcceptOnce, TrustHost, Reject };
    Q_ENUM(Answer)

    ServerValidationPrompt(const MessageWebSocketInformation &certificate, const MessageWebSocketControl &control,
                           const QString &hostKey, std::chrono::milliseconds timeLeft, QWidget *parent = nullptr);

    /** The seconds-left text (for tests). */
    QString timeLeftText() const;

Q_SIGNALS:
    /** Emitted once: the user's answer, or Reject for a timeout or a closed prompt. */
    void answered(Wsw::Ui::ServerValidationPrompt::Answer answer);
    void detailsRequested();

protected:
    void done(int result) override;

private:
    void answer(Answer answer);
    void onTick();

    MessageWebSocketInformation m_certificate;
    QLabel *m_timeLeft;
    QTimer m_tick;
    QElapsedTimer m_clock;
    std::chrono::milliseconds m_timeout;
    bool m_answered = false;
};

} // namespace Wsw::Ui
