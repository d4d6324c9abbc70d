#pragma once

#include <QLabel>

namespace Wsw::Ui {

/** A label naming an editor for screen readers and giving its mnemonic (Alt+letter) the focus. */
inline QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text);
    label->setBuddy(buddy);
    return label;
}

} // namespace Wsw::Ui
