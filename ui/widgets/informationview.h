#pragma once

#include <QHash>
#include <QWidget>

#include "api/messagewebsocketinformation.h"

class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace Wsw::Ui {

/**
 * Everything MessageWebSocket.information() knows, as a two-column tree: addresses, subprotocol,
 * the compression agreement, traffic counters, bandwidth and the TLS summary. Rows are updated
 * in place, so a refresh every second keeps the selection and what is expanded.
 */
class InformationView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InformationView)

public:
    explicit InformationView(QWidget *parent = nullptr);

    void showInformation(const MessageWebSocketInformation &info, ConnectionState state);
    /** The value shown for a row, e.g. value(tr("Traffic"), tr("Messages received")) (for tests). */
    QString value(const QString &section, const QString &row) const;

Q_SIGNALS:
    /** The user wants the server's certificate chain in full. */
    void certificateRequested();

private:
    void setRow(const QString &section, const QString &row, const QString &value, const QString &toolTip = {});
    QTreeWidgetItem *section(const QString &name);

    QTreeWidget *m_tree;
    QPushButton *m_certificateButton;
    QHash<QString, QTreeWidgetItem *> m_sections;
    QHash<QString, QTreeWidgetItem *> m_rows; // "section/row"
};

} // namespace Wsw::Ui
