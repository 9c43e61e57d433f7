# Doxygen input filter (INPUT_FILTER = cmake -P dollar_math.cmake): the
# headers write LaTeX as $...$ and $$...$$, as deal.II's do; Doxygen 1.9
# reads @f$...@f$ and @f[...@f]. Prints the converted file on stdout.
set(_file "${CMAKE_ARGV3}")
file(READ "${_file}" _text)
string(REGEX REPLACE "\\$\\$([^$]*)\\$\\$" "@f[\\1@f]" _text "${_text}")
string(REGEX REPLACE "\\$([^$]*)\\$" "@f$\\1@f$" _text "${_text}")
file(WRITE /dev/stdout "${_text}")
