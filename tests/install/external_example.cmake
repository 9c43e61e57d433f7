# Run by ctest (tests/install/CMakeLists.txt): install, build the external
# example against the installed package, run it, compare with its
# expected_output. Every step's failure fails the test with its log.
function(step _name)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE _result OUTPUT_VARIABLE _output ERROR_VARIABLE _output)
  file(WRITE ${WORK_DIR}/${_name}.log "${_output}")
  set(step_output "${_output}" PARENT_SCOPE)
  if(NOT _result EQUAL 0)
    message(FATAL_ERROR "${_name} failed (${_result}):\n${_output}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(_prefix ${WORK_DIR}/prefix)
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()
step(install ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${_prefix})
step(configure ${CMAKE_COMMAND} -S ${EXAMPLE_DIR} -B ${WORK_DIR}/build
  -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
  -Dmollifem_DIR=${_prefix}/lib/cmake/mollifem)
step(build ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
# The installed program runs without LD_LIBRARY_PATH pointing anywhere.
set(ENV{LD_LIBRARY_PATH} "")
step(run ${WORK_DIR}/build/advection_diffusion)
file(COPY_FILE ${WORK_DIR}/run.log ${WORK_DIR}/output)
step(compare ${NUMDIFF} -q -a 1e-6 -r 1e-8 -s " \\t\\n:,"
  ${EXAMPLE_DIR}/expected_output ${WORK_DIR}/output)

# The plugins: the model and the regularization registered from outside
# appear in the program's parameter reference, and a parameter file runs
# them to a stated accuracy.
step(print ${WORK_DIR}/build/mollifem_plus --print-parameters markdown)
foreach(_expected "## Model/Advection-diffusion" "'advection-diffusion': steady"
    "## Inverse problem/H1 and L2" "'H1 and L2': alpha/2")
  string(FIND "${step_output}" "${_expected}" _position)
  if(_position EQUAL -1)
    message(FATAL_ERROR "--print-parameters lacks <${_expected}>")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E copy
  ${EXAMPLE_DIR}/advection_diffusion.prm ${WORK_DIR})
step(plugin_run ${CMAKE_COMMAND} -E chdir ${WORK_DIR}
  ${WORK_DIR}/build/mollifem_plus advection_diffusion.prm)
file(READ ${WORK_DIR}/output-advection-diffusion/summary.json _summary)
foreach(_stage_threshold "stage 1;0.8" "stage 2;0.9")
  list(GET _stage_threshold 0 _stage)
  list(GET _stage_threshold 1 _threshold)
  string(JSON _correlation GET "${_summary}" "${_stage}" "correlation")
  if(NOT _correlation GREATER ${_threshold})
    message(FATAL_ERROR "mollifem_plus advection_diffusion.prm: ${_stage} "
      "correlation ${_correlation}, expected > ${_threshold}")
  endif()
  message(STATUS "plugin run: ${_stage} correlation ${_correlation} > ${_threshold}")
endforeach()
# The Taylor test of the objective with both plugins (Stage 2/Taylor test).
string(JSON _rate GET "${_summary}" "stage 2" "Taylor smallest rate")
if(NOT _rate GREATER 1.9)
  message(FATAL_ERROR "mollifem_plus advection_diffusion.prm: Taylor rate "
    "${_rate}, expected > 1.9 (a correct gradient gives 2)")
endif()
message(STATUS "plugin run: smallest Taylor rate ${_rate} > 1.9")
