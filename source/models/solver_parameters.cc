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
      prm.declare_entry("Pseudo time step",
                        "0",
                        Patterns::Double(0.),
                        "Steady nonlinear models: > 0 solves them by "
                        "pseudo-transient continuation from the initial "
                        "guess, then Newton: implicit Euler steps "
                        "of the transient form (its storage term), starting "
                        "with this step and doubling it after every step "
                        "(a quarter after a failed one) until the steady "
                        "residual has dropped by the Newton tolerance (long "
                        "steps are Newton's method on the steady problem). "
                        "The state follows the model's own "
                        "dynamics to the nearest steady state: a pattern "
                        "stays a pattern, where Newton's method alone may "
                        "jump to another of the many steady states of a "
                        "pattern-forming model (card B3 with A > 4.1), or "
                        "fail. Costs more linear solves per steady solve. "
                        "0: Newton's method only.");
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
      pseudo_time_step      = prm.get_double("Pseudo time step");
    }
    prm.leave_subsection();
  }
} // namespace mollifem
