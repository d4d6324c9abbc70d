#pragma once

#include <chrono>
#include <optional>

#include <QFutureWatcher>
#include <QWidget>

#include "codec/wswenums.h"
#include "savedmessage.h"

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace Wsw::Ui {

/**
 * Writing to the server: the prominent Text/Binary switch (MessageType, live), the message typed
 * as text, JSON, hex or base64 or taken from a file, a ping with its payload and measured round
 * trip, and a close with a chosen standard code and reason. It only builds payloads; the window
 * hands them to the Session. A message that cannot be built stays in the editor with the reason.
 */
class Composer final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Composer)

public:
    enum class InputFormat : quint8 { Text, Json, Hex, Base64 };
    Q_ENUM(InputFormat)

    /**
     * Files larger than this are refused with a clear error. What bounds a send is memory, not a
     * protocol limit: the file is held once (the log shares those bytes) and the engine masks a
     * second copy into its send queue (compression needs a third while it runs); one message
     * larger than Control.maxBufferedAmountBytes is still accepted, and the server may refuse
     * it (1009; the built-in echo server takes up to 64 MiB).
     */
    static constexpr qint64 MaxFileBytes = 1024ll * 1024 * 1024;

    explicit Composer(QWidget *parent = nullptr);
    ~Composer() override;

    void setMessageType(SocketMessageType type);
    SocketMessageType messageType() const;
    void setInputFormat(InputFormat format);
    InputFormat inputFormat() const;
    /** Enables what needs an open connection. */
    void setOpen(bool open);
    void setRoundTrip(std::chrono::milliseconds roundTrip);

    QString messageText() const;
    void setMessageText(const QString &text);
    /** The bytes the editor holds in the chosen input format, or nullopt and *error. */
    std::optional<QByteArray> payload(QString *error) const;
    /**
     * Reads a file in a worker thread (checking UTF-8 there for a text message) and then asks to
     * send it whole with sendRequested(); refused with problem() beyond MaxFileBytes or while
     * another file is being read. The Send file button shows how far the reading is and stops it.
     */
    void sendFile(const QString &path);
    /** Whether a file is being read for sending. */
    bool isReadingFile() const;
    void focusMessage();

Q_SIGNALS:
    void messageTypeChanged(Wsw::SocketMessageType type);
    /** Send these bytes; the editor is cleared by messageSent() once the session took them. */
    void sendRequested(const QByteArray &payload);
    /** "Save message": the editor's bytes (checked like a send) as a saved message of the current type. */
    void saveRequested(const Wsw::Ui::SavedMessage &message);
    void pingRequested(const QByteArray &payload);
    void closeRequested(quint16 code, const QString &reason);
    /** Something the user asked for cannot be done; the text says why. */
    void problem(const QString &text);
    /** sendFile() has read the whole file (sendRequested() follows), failed, or was stopped. */
    void fileReadEnded();

public Q_SLOTS:
    /** The last sendRequested() was accepted: clear the editor. */
    void messageSent();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildTypeSwitch();
    QWidget *buildMessageRow();
    QWidget *buildControlFramesRow();
    void onSendClicked();
    void onSaveClicked();
    /** The editor's bytes, checked as a send checks them; nullopt after problem() said why. */
    std::optional<QByteArray> checkedPayload();
    void onPrettifyClicked();
    void onFileClicked();
    void onPingClicked();
    void onCloseClicked();
    void onTypeToggled();
    void updatePlaceholder();
    void onFileRead();
    void updateFileButton();

    QToolButton *m_textButton;
    QToolButton *m_binaryButton;
    QButtonGroup *m_typeGroup;
    QComboBox *m_format;
    QPlainTextEdit *m_message;
    QPushButton *m_sendButton;
    QPushButton *m_prettifyButton;
    QPushButton *m_fileButton;
    QLineEdit *m_pingPayload;
    QPushButton *m_pingButton;
    QLabel *m_roundTrip;
    QComboBox *m_closeCode;
    QLineEdit *m_closeReason;
    QPushButton *m_closeButton;
    bool m_open = false;
    struct FileRead {
        QByteArray bytes;
        QString error; // empty when bytes hold the whole file
    };
    QFutureWatcher<FileRead> *m_fileRead = nullptr; // while a file is being read
    QString m_fileName;
};

} // namespace Wsw::Ui
