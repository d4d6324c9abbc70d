#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace Wsw::Ui {

/**
 * The extra headers of the upgrade request (MessageWebSocket::setRequestHeader): a Name/Value
 * table with Add and Remove. Every row is checked as the engine checks it (codec
 * validateRequestHeader): a bad row is tinted and its tooltip says why. Rows left empty are
 * ignored. A name listed twice is an error, since the engine would keep only the last value.
 */
class RequestHeadersEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestHeadersEditor)

public:
    using HeaderList = QList<QPair<QByteArray, QByteArray>>;

    explicit RequestHeadersEditor(QWidget *parent = nullptr);

    /**
     * The headers in table order (names and values as UTF-8), possibly none; nullopt and *error
     * ("Request headers, row 2 (Host): ...") for the first bad row.
     */
    std::optional<HeaderList> headers(QString *error = nullptr) const;
    /** Replaces the rows; emits nothing. Bad headers are shown (and flagged), not dropped. */
    void setHeaders(const HeaderList &headers);

    /** Fixed while connected: the table becomes read-only and Add/Remove are disabled. */
    void setLocked(bool locked);
    bool isLocked() const { return m_locked; }

Q_SIGNALS:
    /** The user changed, added or removed a row. */
    void edited();

private:
    void onAddClicked();
    void onRemoveClicked();
    void onItemChanged();
    /** Tints every bad row and gives it its reason as tooltip. */
    void validateRows();
    /** The reason a row is wrong; empty when it is fine or empty. */
    QString rowProblem(int row) const;
    void appendRow(const QString &name, const QString &value);
    void updateEnabledState();

    QLabel *m_label = nullptr;
    QTableWidget *m_table = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_lockNote = nullptr;
    bool m_locked = false;
    bool m_updating = false; // true while the editor itself changes items
};

} // namespace Wsw::Ui
