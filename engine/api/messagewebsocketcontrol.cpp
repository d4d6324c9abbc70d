#include "api/messagewebsocketcontrol.h"

namespace Wsw {

std::chrono::milliseconds MessageWebSocketControl::actualPongInterval(std::chrono::milliseconds desired)
{
    using namespace std::chrono_literals;
    if (desired <= 0ms)
        return 0ms;
    return desired < 1000ms ? 1000ms : desired; // a heartbeat faster than 1 s only adds load
}

bool MessageWebSocketControl::differsOnlyInMessageType(const MessageWebSocketControl &other) const
{
    MessageWebSocketControl copy = other;
    copy.messageType = messageType;
    return copy == *this;
}

} // namespace Wsw
