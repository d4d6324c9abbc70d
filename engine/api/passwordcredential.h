#pragma once

#include <QString>

namespace Wsw {

/**
 * A user name and password (Windows' PasswordCredential, reduced to what a connection needs).
 * The engine never logs it and never puts it in an error message, toString() or Information.
 */
struct PasswordCredential {
    QString userName;
    QString password;

    friend bool operator==(const PasswordCredential &, const PasswordCredential &) = default;
};

} // namespace Wsw
