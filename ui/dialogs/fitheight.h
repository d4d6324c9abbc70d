#pragma once

#include <QLayout>
#include <QWidget>

namespace Wsw::Ui {

/** Grows a dialog to the height its wrapped texts need at its current width (labels that wrap
 *  report no height for width to the window on their own, so errors and notes would be cut). */
inline void fitHeightToContents(QWidget *dialog)
{
    const int needed = dialog->layout()->totalHeightForWidth(dialog->width());
    dialog->setMinimumHeight(needed);
    if (dialog->height() < needed)
        dialog->resize(dialog->width(), needed);
}

} // namespace Wsw::Ui
