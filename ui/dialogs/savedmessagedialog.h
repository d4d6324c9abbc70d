#pragma once

#include <optional>

#include <QDialog>

#include "savedmessage.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace Wsw::Ui {

/**
 * Adds or edits one saved message: a name, the type it goes out as, and its bytes typed as text,
 * hex or base64. What is wrong is said under the fields as it is typed; OK waits until nothing is.
 */
class SavedMessageDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SavedMessageDialog)

public:
    enum class InputFormat : quint8 { Text, Hex, Base64 };

    explicit SavedMessageDialog(QWidget *parent = nullptr);

    /** Fills the fields (for Edit…): text when it is valid UTF-8, otherwise hex. */
    void setMessage(const SavedMessage &message);
    /** The message the fields describe, or nullopt and *problem says why. */
    std::optional<SavedMessage> message(QString *problem = nullptr) const;
    /** What is wrong now (empty when OK may be pressed). */
    QString problem() const;

private:
    void revalidate();

    QLineEdit *m_name;
    QComboBox *m_type;
    QComboBox *m_format;
    QPlainTextEdit *m_payload;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Wsw::Ui
