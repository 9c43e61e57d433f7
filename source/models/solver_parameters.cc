#include <mollifem/models/solver_parameters.h>

namespace mollifem
{
  void
  SolverParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Solver");
    {
      prm.declare_entry(
        "Linear solver",
        "auto",
        Patterns::Selection("auto|CG|GMRES|direct"),
        "Solver of the linear systems: CG or GMRES, both preconditioned by "
        "Trilinos ML algebraic multigrid, or a direct solver (Amesos KLU, "
        "for small or hard systems). 'auto' takes CG for symmetric models "
        "and GMRES otherwise.");
      prm.declare_entry("Linear solver tolerance",
                        "1e-10",
                        Patterns::Double(0., 1.),
                        "Iterative solvers stop when the residual norm has "
                        "dropped by this factor relative to the right-hand "
                        "side.");
      prm.declare_entry("Maximum linear iterations",
                        "5000",
                        Patterns::Integer(1),
                        "Iteration limit of the iterative linear solvers.");
      prm.declare_entry("Newton tolerance",
                        "1e-10",
                        Patterns::Double(0., 1.),
                        "Nonlinear models: Newton's method stops when the "
                        "residual norm has dropped by this factor (or below "
                        "it in absolute terms).");
      prm.declare_entry("Maximum Newton iterations",
                        "25",
                        Patterns::Integer(1),
                        "Iteration limit of Newton's method.");
    }
    prm.leave_subsection();
  }



  void
  SolverParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Solver");
    {
      linear_solver         = prm.get("Linear solver");
      linear_tolerance      = prm.get_double("Linear solver tolerance");
      max_linear_iterations = prm.get_integer("Maximum linear iterations");
      newton_tolerance      = prm.get_double("Newton tolerance");
      max_newton_iterations = prm.get_integer("Maximum Newton iterations");
    }
    prm.leave_subsection();
  }
} // namespace mollifem
