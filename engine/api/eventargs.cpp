#include "api/eventargs.h"

#include <QBuffer>

#include "codec/utf8validator.h"

namespace Wsw {

QString MessageWebSocketMessageReceivedEventArgs::text() const
{
    return Codec::decodeUtf8(m_data);
}

std::unique_ptr<QIODevice> MessageWebSocketMessageReceivedEventArgs::getDataStream() const
{
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(m_data);
    buffer->open(QIODevice::ReadOnly);
    return buffer;
}

} // namespace Wsw
