#ifndef mollifem_study_driver_h
#define mollifem_study_driver_h

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <ostream>
#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * The mollifem program: `mollifem FILE.prm`, `mollifem --print-parameters
   * [prm|markdown|json]`, `mollifem --help`, `mollifem --version`. Returns the
   * exit code: 0 on success, 1 for an error in the input or the run (the
   * message goes to standard error on rank 0), 2 for a wrong command line.
   */
  int
  run_driver(int argc, char **argv, const MPI_Comm communicator);

  /**
   * Declare every parameter of a study in dimension @p dim, including the
   * top-level "Dimension".
   */
  void
  declare_all_parameters(ParameterHandler &prm, const unsigned int dim = 2);

  /**
   * The parameter reference in Markdown: one section per subsection, and per
   * parameter its default, pattern and documentation.
   */
  void
  print_parameters_markdown(const ParameterHandler &prm, std::ostream &out);

  /// The version string, "mollifem 0.1.0".
  std::string
  version();
} // namespace mollifem

#endif
