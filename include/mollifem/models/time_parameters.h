#ifndef mollifem_models_time_parameters_h
#define mollifem_models_time_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Time`: the time interval and the one-step
   * theta scheme of transient models,
   * $\frac{m(u^{n+1}) - m(u^n)}{\Delta t} + \theta F(u^{n+1}, t^{n+1})
   *  + (1-\theta) F(u^n, t^n) = 0$,
   * with $\theta = 1$ (implicit Euler) or $\theta = 1/2$ (Crank-Nicolson).
   */
  struct TimeParameters
  {
    double      start_time = 0.;
    double      end_time   = 1.;
    double      time_step  = 0.01;
    std::string scheme     = "Crank-Nicolson";

    static void
    declare_parameters(ParameterHandler &prm);

    void
    parse_parameters(ParameterHandler &prm);

    /// Number of steps: the interval divided by the time step, rounded up.
    unsigned int
    n_steps() const;

    /// The step actually taken: (end - start) / n_steps().
    double
    effective_time_step() const;

    /// $t^n$.
    double
    time(const unsigned int step) const;

    double
    theta() const;
  };
} // namespace mollifem

#endif
