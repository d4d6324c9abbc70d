# Settings every target of ours shares (qBittorrent's qbt_common_cfg pattern).
add_library(wsw_common INTERFACE)
target_compile_features(wsw_common INTERFACE cxx_std_20)
target_compile_options(wsw_common INTERFACE
    -Wall -Wextra -Wpedantic -Wold-style-cast -Woverloaded-virtual -Wnon-virtual-dtor
    $<$<BOOL:${WSW_WERROR}>:-Werror>)
target_compile_definitions(wsw_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

if(WSW_SANITIZE)
    set(_wsw_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_compile_options(wsw_common INTERFACE ${_wsw_san})
    target_link_options(wsw_common INTERFACE ${_wsw_san})
endif()
