#pragma once

#include <QWidget>

namespace Wsw::Test {

/** The first widget of type T below root whose accessible name is name, as a screen reader finds it. */
template <typename T>
T *named(QWidget *root, const QString &name)
{
    for (T *w : root->findChildren<T *>())
        if (w->accessibleName() == name)
            return w;
    return nullptr;
}

} // namespace Wsw::Test
