# wsw_add_test(NAME <name> SOURCES <files...> [LIBS <targets...>] [LABELS <labels...>] [TIMEOUT <s>] [GUILESS|APPLESS])
# One executable per unit, registered with CTest; offscreen so no display is needed.
function(wsw_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    qt_add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE wsw_common Qt6::Test ${T_LIBS})
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    set_tests_properties(${T_NAME} PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
        TIMEOUT ${T_TIMEOUT}
        LABELS "${T_LABELS}")
    # the suites the sanitizer build runs (scripts/sanitize.sh): everything but the UI
    if(T_LABELS MATCHES "codec|engine|cli")
        set_property(GLOBAL APPEND PROPERTY WSW_SANITIZER_TARGETS ${T_NAME})
    endif()
endfunction()
