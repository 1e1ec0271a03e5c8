# Finds sluice's dependencies (all from Debian packages; scripts/deps installs
# them) and fails with the name of the package to install when one is missing.
find_package(PkgConfig)

function(sluice_missing what package)
  message(FATAL_ERROR "sluice: ${what} not found. Install the Debian package '${package}' "
                      "(or run ./scripts/deps, which installs everything).")
endfunction()

if(NOT PKG_CONFIG_FOUND)
  sluice_missing("pkg-config" "pkg-config")
endif()

pkg_check_modules(RDKAFKA IMPORTED_TARGET rdkafka>=2.0)
if(NOT RDKAFKA_FOUND)
  sluice_missing("librdkafka (>= 2.0, with rdkafka_mock.h)" "librdkafka-dev")
endif()
add_library(sluice_dep_rdkafka INTERFACE)
target_link_libraries(sluice_dep_rdkafka INTERFACE PkgConfig::RDKAFKA)

find_package(simdjson CONFIG QUIET)
if(NOT simdjson_FOUND)
  sluice_missing("simdjson (CMake config)" "libsimdjson-dev")
endif()

find_package(mimalloc CONFIG QUIET)
if(NOT mimalloc_FOUND)
  sluice_missing("mimalloc (CMake config)" "libmimalloc-dev")
endif()

# moodycamel ships headers only, without a CMake config.
find_path(SLUICE_CONCURRENTQUEUE_DIR concurrentqueue.h PATH_SUFFIXES concurrentqueue)
if(NOT SLUICE_CONCURRENTQUEUE_DIR)
  sluice_missing("moodycamel ConcurrentQueue (concurrentqueue/concurrentqueue.h)"
                 "libconcurrentqueue-dev")
endif()
add_library(sluice_dep_concurrentqueue INTERFACE)
target_include_directories(sluice_dep_concurrentqueue SYSTEM INTERFACE ${SLUICE_CONCURRENTQUEUE_DIR})

find_package(Threads REQUIRED)

if(SLUICE_BUILD_TESTS)
  find_package(GTest CONFIG QUIET)
  if(NOT GTest_FOUND)
    sluice_missing("GoogleTest (CMake config)" "googletest")
  endif()
endif()
if(SLUICE_BUILD_BENCH)
  find_package(benchmark CONFIG QUIET)
  if(NOT benchmark_FOUND)
    sluice_missing("Google Benchmark (CMake config)" "libbenchmark-dev")
  endif()
endif()
