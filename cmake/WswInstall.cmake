# Installs the engine (codec + connection + API) so that another CMake project can use it:
#   find_package(WswEngine REQUIRED)  target_link_libraries(app PRIVATE Wsw::wsw_engine)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# wsw_common travels along: static libraries carry their private dependencies in their link interface
install(TARGETS wsw_codec wsw_engine wsw_common
    EXPORT WswEngineTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wsw)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/codec ${PROJECT_SOURCE_DIR}/engine/api
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wsw
    FILES_MATCHING PATTERN "*.h")
install(EXPORT WswEngineTargets
    NAMESPACE Wsw::
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/WswEngine)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/WswEngineConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/WswEngineConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/WswEngine)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/WswEngineConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMinorVersion)
install(FILES
    ${CMAKE_CURRENT_BINARY_DIR}/WswEngineConfig.cmake
    ${CMAKE_CURRENT_BINARY_DIR}/WswEngineConfigVersion.cmake
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/WswEngine)
