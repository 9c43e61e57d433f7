#ifndef mollifem_output_output_parameters_h
#define mollifem_output_output_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Output`.
   */
  struct OutputParameters
  {
    std::string  directory      = "results";
    bool         write_vtu      = true;
    unsigned int vtu_interval   = 1;
    bool         print_timings  = true;
    /// Points per direction of coefficient_grid.dat; 0: not written.
    unsigned int coefficient_grid_points = 0;

    static void
    declare_parameters(ParameterHandler &prm);

    void
    parse_parameters(ParameterHandler &prm);
  };
} // namespace mollifem

#endif
