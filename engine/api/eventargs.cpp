#include "api/eventargs.h"

#include <QBuffer>

namespace Wsw {

std::unique_ptr<QIODevice> MessageWebSocketMessageReceivedEventArgs::getDataStream() const
{
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(m_data);
    buffer->open(QIODevice::ReadOnly);
    return buffer;
}

} // namespace Wsw
