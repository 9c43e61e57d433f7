# Run Doxygen on the public headers; fail if it fails or warns.
file(REMOVE ${OUTPUT_DIR}/warnings.log)
execute_process(COMMAND ${DOXYGEN} ${DOXYFILE}
  WORKING_DIRECTORY ${OUTPUT_DIR}
  RESULT_VARIABLE _result OUTPUT_VARIABLE _output ERROR_VARIABLE _output)
if(NOT _result EQUAL 0)
  message(FATAL_ERROR "doxygen failed (${_result}):\n${_output}")
endif()
file(READ ${OUTPUT_DIR}/warnings.log _warnings)
if(NOT _warnings STREQUAL "")
  message(FATAL_ERROR "doxygen warns:\n${_warnings}")
endif()
if(NOT EXISTS ${OUTPUT_DIR}/html/index.html)
  message(FATAL_ERROR "doxygen wrote no html/index.html")
endif()
message(STATUS "doxygen: no warnings")
