#pragma once

#include <QTableView>

namespace Wsw::Ui {

/**
 * A table for a log of up to hundreds of thousands of rows: whole-row single selection, fixed
 * row heights (the view never measures rows), no row header, the last column stretched.
 */
class LogTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogTableView)

public:
    explicit LogTableView(QWidget *parent = nullptr);
};

} // namespace Wsw::Ui
