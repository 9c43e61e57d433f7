#ifndef mollifem_models_solver_parameters_h
#define mollifem_models_solver_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Solver`: how the (linearized) state equations
   * are solved.
   */
  struct SolverParameters
  {
    /// auto, CG, GMRES or direct.
    std::string  linear_solver            = "auto";
    double       linear_tolerance         = 1e-10;
    unsigned int max_linear_iterations    = 5000;
    double       newton_tolerance         = 1e-10;
    unsigned int max_newton_iterations    = 25;
    /// First step of the pseudo-transient continuation of steady nonlinear
    /// solves; 0: Newton's method only.
    double       pseudo_time_step         = 0.;

    static void
    declare_parameters(ParameterHandler &prm);

    void
    parse_parameters(ParameterHandler &prm);
  };
} // namespace mollifem

#endif
