#ifndef mollifem_base_exceptions_h
#define mollifem_base_exceptions_h

#include <deal.II/base/exceptions.h>

#include <string>

namespace mollifem
{
  /**
   * A problem with a file (a parameter, observation or mesh file to read, or
   * an output file to write) that the user has to fix. It names the file
   * and, where it makes sense, the line (counted from 1; 0 means "the file as
   * a whole").
   */
  DeclException3(ExcFile,
                 std::string,
                 unsigned int,
                 std::string,
                 << "File <" << arg1 << ">"
                 << (arg2 > 0 ? ", line " + std::to_string(arg2) : "") << ": "
                 << arg3);

  /**
   * A parameter whose value is inadmissible, alone or in combination with
   * others. The first argument is the full path of the parameter, for example
   * "Model/Heat/Time step".
   */
  DeclException2(ExcParameter,
                 std::string,
                 std::string,
                 << "Parameter <" << arg1 << ">: " << arg2);

  /**
   * A state solve that did not converge: Newton's method or an iterative
   * linear solver. At a trial point of the optimizer this is not fatal: the
   * objective is then NaN there, and the trust region rejects the step and
   * shrinks.
   */
  DeclException1(ExcSolveFailed, std::string, << arg1);

  /**
   * The user-facing part of an exception: for deal.II exceptions the
   * additional information only (no source file, line, or back trace of the
   * library), for other exceptions what(). Leading and trailing white space
   * is removed, so that messages compare in tests.
   */
  std::string
  user_message(const std::exception &exception);
} // namespace mollifem

#endif
