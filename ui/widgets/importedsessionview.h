#pragma once

#include <QWidget>

#include "export/sessionrecord.h"

class QLabel;
class QTabWidget;

namespace Wsw::Ui {

class FrameLogModel;
class HandshakeView;
class MessageDetailView;
class MessageLogModel;
class MessageLogPanel;
class FrameInspector;

/**
 * A session's log read back from a file, for reading only: a banner ("Imported from FILE —
 * read-only", the URL and the time span), the message log with its filters, the selected
 * message in full, the frames and the handshake. No connect, no composer, nothing to change:
 * the record is a copy of the past. The window puts it in a tab of its own.
 */
class ImportedSessionView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportedSessionView)

public:
    /** fileName is what the banner and title() name (the path is fine; only its file name is shown). */
    ImportedSessionView(SessionRecord record, const QString &fileName, QWidget *parent = nullptr);

    const SessionRecord &record() const { return m_record; }
    /** "Imported: FILE", for the tab. */
    QString title() const;
    /** The banner's text (for tests and the accessible description). */
    QString bannerText() const;
    /** What the import skipped (SessionImport::skipped and warnings): one more line in the banner. */
    void setImportWarnings(int skipped, const QStringList &warnings);
    MessageLogModel *messageLog() const { return m_messageLog; }
    FrameLogModel *frameLog() const { return m_frameLog; }

private:
    SessionRecord m_record;
    QString m_fileName;
    int m_skipped = 0;
    MessageLogModel *m_messageLog;
    FrameLogModel *m_frameLog;
    QLabel *m_banner;
    MessageLogPanel *m_logPanel;
    QTabWidget *m_inspectors;
    MessageDetailView *m_detail;
    FrameInspector *m_frames;
    HandshakeView *m_handshake;
};

} // namespace Wsw::Ui
