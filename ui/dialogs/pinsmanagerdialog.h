#pragma once

#include <QDialog>

class QLabel;
class QPushButton;
class QTableWidget;

namespace Wsw::Ui {

class PinStore;

/** The trusted pins: host, pin, certificate and date; Remove forgets the selected one. */
class PinsManagerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PinsManagerDialog)

public:
    explicit PinsManagerDialog(PinStore *store, QWidget *parent = nullptr);

private:
    void refresh();
    void removeSelected();

    PinStore *m_store;
    QTableWidget *m_table;
    QPushButton *m_remove;
    QLabel *m_note;
};

} // namespace Wsw::Ui
